/*
 * `parley`: the command line. main() only picks a subcommand from the table
 * below and hands it the rest of argv; each subcommand parses its own
 * options and prints its own output.
 *
 * To add a subcommand, write its `int cli_<name>_main(int argc, char **argv)`
 * in its own file and add one row to commands[].
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "cli_pdu.h"
#include "cli_consent.h"
#include "cli_queue.h"
#include "cli_stats.h"

/* The build may pass -DPARLEY_VERSION="\"x.y.z\"" from git describe. */
#ifndef PARLEY_VERSION
#define PARLEY_VERSION "0.1.0"
#endif

struct cli_command {
	const char *name;
	const char *summary;
	int (*run)(int argc, char **argv); /* argv[0] is the subcommand's name */
};

static const struct cli_command commands[] = {
	{ "send", "queue a text for a number", cli_send_main },
	{ "queue", "list outbound messages", cli_queue_main },
	{ "inbox", "list received messages", cli_inbox_main },
	{ "show", "one message with its state history", cli_show_main },
	{ "cancel", "cancel a queued or held message", cli_cancel_main },
	{ "retry", "send an unknown or held message again", cli_retry_main },
	{ "status", "the running daemon's modems and message counts", cli_status_main },
	{ "at", "send one AT command to a modem through the daemon (debugging)", cli_at_main },
	{ "consent", "a number's consent history; record, revoke, export, import", cli_consent_main },
	{ "stats", "figures per line and agent: traffic, response times, opt-outs", cli_stats_main },
	{ "pdu", "decode, encode and count SMS PDUs (no modem needed)", cli_pdu_main },
};

#define COMMAND_COUNT (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *f)
{
	fputs("usage: parley [--help | --version] COMMAND [ARGS...]\n\ncommands:\n", f);
	for (size_t i = 0; i < COMMAND_COUNT; i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fputs("\nRun `parley COMMAND --help` for a command's options.\n", f);
}

/* Reports a failed write to stdout (a full disk, a closed pipe) as a failure. */
static int finish(int status)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fputs("parley: cannot write output\n", stderr);
		return status == CLI_EXIT_OK ? CLI_EXIT_FAIL : status;
	}
	return status;
}

int main(int argc, char **argv)
{
	const char *name;

	/*
	 * What the CLI creates holds phone numbers and message bodies: a store
	 * (with its -wal and -shm, which SQLite gives the database's mode) made
	 * by `parley send` before parleyd ever ran, a consent export. Its
	 * owner's alone, whatever the caller's umask.
	 */
	umask(077);
	if (argc < 2) {
		usage(stderr);
		return CLI_EXIT_USAGE;
	}
	/* `parley -c FILE COMMAND ...` is `parley COMMAND -c FILE ...` */
	if ((!strcmp(argv[1], "-c") || !strcmp(argv[1], "--config")) && argc >= 4) {
		static char *moved[256];
		if (argc > 250) {
			fputs("parley: too many arguments\n", stderr);
			return CLI_EXIT_USAGE;
		}
		moved[0] = argv[0];
		moved[1] = argv[3];
		moved[2] = argv[1];
		moved[3] = argv[2];
		for (int i = 4; i < argc; i++)
			moved[i] = argv[i];
		argv = moved;
	}
	name = argv[1];
	if (!strcmp(name, "--help") || !strcmp(name, "-h")) {
		usage(stdout);
		return finish(CLI_EXIT_OK);
	}
	if (!strcmp(name, "--version")) {
		puts("parley " PARLEY_VERSION);
		return finish(CLI_EXIT_OK);
	}
	for (size_t i = 0; i < COMMAND_COUNT; i++)
		if (!strcmp(name, commands[i].name))
			return finish(commands[i].run(argc - 1, argv + 1));
	fprintf(stderr, "parley: unknown command '%s'\n\n", name);
	usage(stderr);
	return CLI_EXIT_USAGE;
}
