/*
 * The control commands: one JSON object in, one JSON object out, always
 * with "ok" first and, when false, an "error" sentence. Invalid JSON and
 * unknown commands are answered like any other mistake.
 */
#ifndef MODEMSIM_CTL_CMDS_H
#define MODEMSIM_CTL_CMDS_H

/* A control_handler: ctx is the struct sim. Returns a malloc'd line, NULL on no memory. */
char *ctl_dispatch(void *ctx, const char *line);

#endif
