/*
 * What every `parley` subcommand shares: its entry point's shape and the
 * exit statuses scripts rely on.
 */
#ifndef PARLEY_CLI_H
#define PARLEY_CLI_H

/* Exit statuses: scripts tell bad input (1) from a wrong command line (2). */
#define CLI_EXIT_OK 0
#define CLI_EXIT_FAIL 1  /* bad input, the codec said no, or output failed */
#define CLI_EXIT_USAGE 2 /* unknown option, missing argument; usage went to stderr */
#define CLI_EXIT_REFUSED 3 /* policy refused it (opted out, no consent): the output says which */

#endif
