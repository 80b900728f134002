/*
 * A modem's serial port: a USB or UART tty through libserialport, or any
 * other terminal (a pseudo-terminal from the simulator, which libserialport
 * does not enumerate) through termios. Raw 8N1, no flow control,
 * non-blocking; the owner polls serial_port_fd.
 */
#ifndef PARLEY_SERIAL_PORT_H
#define PARLEY_SERIAL_PORT_H

#include <stddef.h>
#include <sys/types.h>

struct serial_port;

/*
 * Opens path (a /dev/serial/by-id/ link is resolved now, so a re-open
 * after a USB re-enumeration follows the link again) at baud.
 * Returns 0 and *out; or a negative errno with a sentence in err:
 * -ENOENT no such device, -EACCES no permission (the dialout group),
 * -EBUSY held by another process (ModemManager is the usual one),
 * -ENOTTY not a terminal, -EINVAL unsupported baud rate.
 */
int serial_port_open(const char *path, unsigned baud, struct serial_port **out, char *err,
		     size_t err_size);

/* Closes and frees; NULL is a no-op. */
void serial_port_close(struct serial_port *port);

int serial_port_fd(const struct serial_port *port);

/* The device the path led to when it was opened. */
const char *serial_port_device(const struct serial_port *port);

/*
 * Reads what is there: the byte count, 0 when nothing is waiting, or -EIO
 * when the device is gone (unplugged, or the simulator closed its side).
 */
ssize_t serial_port_read(struct serial_port *port, void *buf, size_t size);

/* Writes what fits now: the byte count (maybe 0), or -EIO when the device is gone. */
ssize_t serial_port_write(struct serial_port *port, const void *buf, size_t len);

#endif
