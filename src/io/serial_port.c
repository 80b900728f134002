/*
 * Opening modems' serial ports. libserialport knows real serial devices
 * (it enumerates them through sysfs) and sets them up portably; it refuses
 * pseudo-terminals, which get the same raw setup through termios here.
 */
#define _DEFAULT_SOURCE /* cfmakeraw, flock */
#include <errno.h>
#include <fcntl.h>
#include <libserialport.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "parley/serial_port.h"

struct serial_port {
	struct sp_port *sp;     /* NULL for a plain terminal */
	int fd;
	char device[PATH_MAX];
};

/* "<path>: <what>: <errno words>" into err; returns code. */
static int fail(char *err, size_t size, int code, const char *what, const char *path)
{
	snprintf(err, size, "%s: %s%s%s", path, what, *what ? ": " : "", strerror(-code));
	return code;
}

static speed_t termios_speed(unsigned baud)
{
	switch (baud) {
	case 9600: return B9600;
	case 19200: return B19200;
	case 38400: return B38400;
	case 57600: return B57600;
	case 115200: return B115200;
	case 230400: return B230400;
	case 460800: return B460800;
	case 921600: return B921600;
	default: return 0;
	}
}

static int open_plain(struct serial_port *p, unsigned baud, char *err, size_t size)
{
	struct termios tio;
	speed_t speed = termios_speed(baud);

	if (!speed)
		return fail(err, size, -EINVAL, "unsupported baud rate", p->device);
	p->fd = open(p->device, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (p->fd < 0)
		return fail(err, size, -errno, "", p->device);
	if (!isatty(p->fd))
		return fail(err, size, -ENOTTY, "not a terminal", p->device);
	if (tcgetattr(p->fd, &tio) < 0)
		return fail(err, size, -errno, "", p->device);
	cfmakeraw(&tio);
	tio.c_cflag |= CLOCAL | CREAD;
	tio.c_cflag &= (tcflag_t)~CRTSCTS;
	cfsetispeed(&tio, speed);
	cfsetospeed(&tio, speed);
	if (tcsetattr(p->fd, TCSANOW, &tio) < 0)
		return fail(err, size, -errno, "", p->device);
	return 0;
}

static int open_libserialport(struct serial_port *p, unsigned baud, char *err, size_t size)
{
	enum sp_return r;

	if (sp_open(p->sp, SP_MODE_READ_WRITE) != SP_OK) {
		int e = errno;
		return fail(err, size, e == EBUSY ? -EBUSY : e == EACCES ? -EACCES : -EIO,
			    "cannot open", p->device);
	}
	r = sp_set_baudrate(p->sp, (int)baud);
	if (r == SP_OK)
		r = sp_set_bits(p->sp, 8);
	if (r == SP_OK)
		r = sp_set_parity(p->sp, SP_PARITY_NONE);
	if (r == SP_OK)
		r = sp_set_stopbits(p->sp, 1);
	if (r == SP_OK)
		r = sp_set_flowcontrol(p->sp, SP_FLOWCONTROL_NONE);
	if (r != SP_OK)
		return fail(err, size, -EINVAL, "cannot configure the port", p->device);
	if (sp_get_port_handle(p->sp, &p->fd) != SP_OK)
		return fail(err, size, -EIO, "no file descriptor", p->device);
	int flags = fcntl(p->fd, F_GETFL);
	if (flags < 0 || fcntl(p->fd, F_SETFL, flags | O_NONBLOCK) < 0)
		return fail(err, size, -errno, "", p->device);
	return 0;
}

int serial_port_open(const char *path, unsigned baud, struct serial_port **out, char *err,
		     size_t err_size)
{
	struct serial_port *p;
	int r;

	*out = NULL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return fail(err, err_size, -ENOMEM, "", path);
	p->fd = -1;
	if (!realpath(path, p->device)) {
		r = fail(err, err_size, -errno, "", path);
		free(p);
		return r;
	}
	if (sp_get_port_by_name(p->device, &p->sp) == SP_OK)
		r = open_libserialport(p, baud, err, err_size);
	else
		r = open_plain(p, baud, err, err_size);
	/*
	 * Exclusive use: a second parleyd, a terminal program or ModemManager
	 * probing the port would corrupt the AT dialogue.
	 */
	if (r == 0 && flock(p->fd, LOCK_EX | LOCK_NB) < 0)
		r = fail(err, err_size, -EBUSY,
			 "in use by another process (ModemManager is the usual one, see the "
			 "udev rules in boards/)", p->device);
	if (r == 0)
		ioctl(p->fd, TIOCEXCL);
	if (r < 0) {
		serial_port_close(p);
		return r;
	}
	*out = p;
	return 0;
}

void serial_port_close(struct serial_port *p)
{
	if (!p)
		return;
	if (p->sp) {
		sp_close(p->sp);
		sp_free_port(p->sp);
	} else if (p->fd >= 0) {
		close(p->fd);
	}
	free(p);
}

int serial_port_fd(const struct serial_port *p)
{
	return p->fd;
}

const char *serial_port_device(const struct serial_port *p)
{
	return p->device;
}

ssize_t serial_port_read(struct serial_port *p, void *buf, size_t size)
{
	ssize_t n = read(p->fd, buf, size);

	if (n > 0)
		return n;
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	/* 0 from a tty means hang-up; EIO is the usual word for an unplug */
	return -EIO;
}

ssize_t serial_port_write(struct serial_port *p, const void *buf, size_t len)
{
	ssize_t n = write(p->fd, buf, len);

	if (n >= 0)
		return n;
	if (errno == EAGAIN || errno == EINTR)
		return 0;
	return -EIO;
}
