/* `parley stats`: figures per line and per agent over a period (cli_stats.c). */
#ifndef PARLEY_CLI_STATS_H
#define PARLEY_CLI_STATS_H

int cli_stats_main(int argc, char **argv);

#endif
