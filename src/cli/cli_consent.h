/* `parley consent`: the consent ledger from the command line (cli_consent.c). */
#ifndef PARLEY_CLI_CONSENT_H
#define PARLEY_CLI_CONSENT_H

int cli_consent_main(int argc, char **argv);

#endif
