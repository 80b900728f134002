/* `parley send | queue | inbox | show | status`: the store and the running daemon. */
#ifndef PARLEY_CLI_QUEUE_H
#define PARLEY_CLI_QUEUE_H

int cli_send_main(int argc, char **argv);
int cli_queue_main(int argc, char **argv);
int cli_inbox_main(int argc, char **argv);
int cli_show_main(int argc, char **argv);
int cli_status_main(int argc, char **argv);
int cli_at_main(int argc, char **argv);
int cli_cancel_main(int argc, char **argv);
int cli_retry_main(int argc, char **argv);

#endif
