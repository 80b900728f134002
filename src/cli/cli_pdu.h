/* `parley pdu`: decode, encode and count SMS PDUs from the command line. */
#ifndef PARLEY_CLI_PDU_H
#define PARLEY_CLI_PDU_H

/*
 * Runs `parley pdu ...`; argv[0] is "pdu". Prints its results on stdout and
 * returns an exit status from cli.h.
 */
int cli_pdu_main(int argc, char **argv);

#endif
