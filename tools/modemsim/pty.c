/*
 * Pseudo-terminal port and line pacing.
 *
 * Pacing: a byte on an asynchronous serial line is 10 bit times (start bit,
 * 8 data bits, stop bit). Outgoing bytes are handed to the kernel when the
 * far end would have received them whole; incoming bytes, read at once so
 * the gateway never blocks, count as arrived only as fast as the line could
 * have carried them. Both directions are limited, as on a real UART.
 *
 * Presence: a pty master polls POLLHUP while no process holds the slave
 * open, and the kernel keeps what is written for whoever opens it next.
 * Neither is true of a real port, so while POLLHUP holds the master is left
 * out of poll(), output is dropped and the master is looked at again every
 * PTY_HUP_CHECK_MS.
 */
#define _XOPEN_SOURCE 700

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "clock.h"
#include "pty.h"

#define PTY_HUP_CHECK_MS 10
#define PTY_TX_CAP (256 * 1024)
#define PTY_RX_CAP (64 * 1024)
#define PTY_READ_CHUNK 4096

void pty_init(struct pty *p, const char *link, unsigned baud)
{
	memset(p, 0, sizeof(*p));
	p->master = -1;
	p->link = link;
	bytebuf_init(&p->tx, PTY_TX_CAP);
	bytebuf_init(&p->rx, PTY_RX_CAP);
	pty_set_baud(p, baud);
}

void pty_fini(struct pty *p)
{
	pty_close(p);
	bytebuf_fini(&p->tx);
	bytebuf_fini(&p->rx);
}

void pty_set_baud(struct pty *p, unsigned baud)
{
	p->byte_ns = baud ? 10 * NS_PER_S / baud : 0;
}

/* What cfmakeraw() does, which POSIX does not name: 8N1, no line editing. */
static int slave_make_raw(const char *path)
{
	struct termios t;
	int fd, rc = 0;

	fd = open(path, O_RDWR | O_NOCTTY);
	if (fd < 0)
		return -errno;
	if (tcgetattr(fd, &t) < 0) {
		rc = -errno;
		goto out;
	}
	t.c_iflag &= ~(tcflag_t)(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
	t.c_oflag &= ~(tcflag_t)OPOST;
	t.c_lflag &= ~(tcflag_t)(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
	t.c_cflag &= ~(tcflag_t)(CSIZE | PARENB);
	t.c_cflag |= CS8 | CREAD | CLOCAL;
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	cfsetispeed(&t, B115200);
	cfsetospeed(&t, B115200);
	if (tcsetattr(fd, TCSANOW, &t) < 0)
		rc = -errno;
out:
	close(fd);
	return rc;
}

static int link_remove(const char *link, const char *target)
{
	char buf[PATH_MAX];
	ssize_t n;

	n = readlink(link, buf, sizeof(buf) - 1);
	if (n < 0)
		return errno == ENOENT ? 0 : -errno;
	buf[n] = '\0';
	if (target && strcmp(buf, target) != 0)
		return 0; /* someone else's link now: leave it */
	return unlink(link) < 0 ? -errno : 0;
}

static int link_make(const char *link, const char *target)
{
	struct stat st;

	if (lstat(link, &st) == 0) {
		if (!S_ISLNK(st.st_mode))
			return -EEXIST;
		if (unlink(link) < 0)
			return -errno;
	}
	return symlink(target, link) < 0 ? -errno : 0;
}

static int master_open(struct pty *p)
{
	const char *name;
	int fd;

	fd = posix_openpt(O_RDWR | O_NOCTTY);
	if (fd < 0)
		return -errno;
	if (grantpt(fd) < 0 || unlockpt(fd) < 0 || !(name = ptsname(fd)) ||
	    strlen(name) >= sizeof(p->path)) {
		int e = errno ? errno : ENAMETOOLONG;

		close(fd);
		return -e;
	}
	strcpy(p->path, name);
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) < 0 ||
	    fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) {
		int e = errno;

		close(fd);
		return -e;
	}
	p->master = fd;
	return 0;
}

int pty_open(struct pty *p)
{
	int rc;

	if (p->master >= 0)
		return -EBUSY;
	rc = master_open(p);
	if (rc < 0)
		return rc;
	rc = slave_make_raw(p->path);
	if (rc == 0 && p->link)
		rc = link_make(p->link, p->path);
	if (rc < 0) {
		close(p->master);
		p->master = -1;
		p->path[0] = '\0';
		return rc;
	}
	p->reader = false;
	p->hup_check_ns = 0;
	p->tx_blocked = false;
	bytebuf_clear(&p->tx);
	bytebuf_clear(&p->rx);
	return 0;
}

void pty_close(struct pty *p)
{
	if (p->master < 0)
		return;
	close(p->master);
	p->master = -1;
	if (p->link)
		link_remove(p->link, p->path);
	p->path[0] = '\0';
	p->reader = false;
	bytebuf_clear(&p->tx);
	bytebuf_clear(&p->rx);
}

bool pty_is_open(const struct pty *p)
{
	return p->master >= 0;
}

int pty_write(struct pty *p, const void *data, size_t n, uint64_t now)
{
	if (p->master < 0)
		return -ENODEV;
	if (!p->reader)
		return -EPIPE;
	/* An idle line starts on these bytes now, not when pty_flush runs. */
	if (bytebuf_len(&p->tx) == 0 && p->tx_line_ns < now)
		p->tx_line_ns = now;
	return bytebuf_append(&p->tx, data, n);
}

short pty_poll_events(const struct pty *p)
{
	short ev = 0;

	if (p->master < 0 || !p->reader)
		return 0;
	if (bytebuf_room(&p->rx) > 0)
		ev |= POLLIN;
	if (p->tx_blocked)
		ev |= POLLOUT;
	return ev;
}

static void reader_gone(struct pty *p, uint64_t now)
{
	p->reader = false;
	p->hup_check_ns = clock_after_ms(now, PTY_HUP_CHECK_MS);
	p->tx_blocked = false;
	bytebuf_clear(&p->tx);
}

static void rx_read(struct pty *p, uint64_t now)
{
	uint8_t buf[PTY_READ_CHUNK];
	size_t room = bytebuf_room(&p->rx);
	ssize_t n;

	if (room > sizeof(buf))
		room = sizeof(buf);
	if (room == 0)
		return;
	n = read(p->master, buf, room);
	if (n < 0) {
		/* Linux reads EIO from a master whose slave was closed. */
		if (errno == EIO)
			reader_gone(p, now);
		return;
	}
	if (n == 0)
		return;
	bytebuf_append(&p->rx, buf, (size_t)n);
	if (p->rx_last_ns < now)
		p->rx_last_ns = now;
	p->rx_last_ns += (uint64_t)n * p->byte_ns;
}

void pty_handle(struct pty *p, short revents, uint64_t now)
{
	if (p->master < 0)
		return;
	if (revents & POLLIN)
		rx_read(p, now);
	if (revents & (POLLHUP | POLLERR)) {
		reader_gone(p, now);
		return;
	}
	if (revents & POLLOUT)
		p->tx_blocked = false;
}

static void reader_check(struct pty *p, uint64_t now)
{
	struct pollfd pfd = { .fd = p->master, .events = POLLIN };

	if (now < p->hup_check_ns)
		return;
	if (poll(&pfd, 1, 0) >= 0 && !(pfd.revents & POLLHUP)) {
		p->reader = true;
		p->tx_line_ns = now;
		return;
	}
	p->hup_check_ns = clock_after_ms(now, PTY_HUP_CHECK_MS);
}

static size_t tx_allowed(const struct pty *p, uint64_t now)
{
	size_t len = bytebuf_len(&p->tx);
	uint64_t whole;

	if (p->byte_ns == 0)
		return len;
	if (now < p->tx_line_ns + p->byte_ns)
		return 0;
	whole = (now - p->tx_line_ns) / p->byte_ns;
	return whole < len ? (size_t)whole : len;
}

void pty_flush(struct pty *p, uint64_t now)
{
	size_t n;
	ssize_t w;

	if (p->master < 0)
		return;
	if (!p->reader) {
		reader_check(p, now);
		return;
	}
	if (p->tx_blocked || (n = tx_allowed(p, now)) == 0)
		return;
	w = write(p->master, bytebuf_peek(&p->tx), n);
	if (w < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK) {
			p->tx_blocked = true;
			p->tx_line_ns = now; /* no credit for time spent blocked */
		} else if (errno == EIO) {
			reader_gone(p, now);
		}
		return;
	}
	bytebuf_consume(&p->tx, (size_t)w);
	p->tx_line_ns += (uint64_t)w * p->byte_ns;
	if ((size_t)w < n)
		p->tx_blocked = true;
}

size_t pty_tx_pending(const struct pty *p)
{
	return bytebuf_len(&p->tx);
}

size_t pty_rx_ready(const struct pty *p, uint64_t now)
{
	size_t len = bytebuf_len(&p->rx);
	uint64_t late;

	if (p->byte_ns == 0 || p->rx_last_ns <= now)
		return len;
	/* The bytes still on the line are the newest ones, one byte time apart. */
	late = (p->rx_last_ns - now + p->byte_ns - 1) / p->byte_ns;
	return late >= len ? 0 : len - (size_t)late;
}

const uint8_t *pty_rx_data(const struct pty *p)
{
	return bytebuf_peek(&p->rx);
}

void pty_rx_consume(struct pty *p, size_t n)
{
	bytebuf_consume(&p->rx, n);
}

uint64_t pty_deadline(const struct pty *p, uint64_t now, bool want_rx)
{
	uint64_t d = CLOCK_NEVER, t;
	size_t ready;

	if (p->master < 0)
		return CLOCK_NEVER;
	if (!p->reader)
		return p->hup_check_ns;
	if (bytebuf_len(&p->tx) > 0 && !p->tx_blocked)
		d = p->byte_ns ? p->tx_line_ns + p->byte_ns : now;
	if (want_rx && p->byte_ns) {
		ready = pty_rx_ready(p, now);
		if (ready < bytebuf_len(&p->rx)) {
			t = p->rx_last_ns - (uint64_t)(bytebuf_len(&p->rx) - ready - 1) * p->byte_ns;
			if (t < d)
				d = t;
		}
	}
	return d;
}
