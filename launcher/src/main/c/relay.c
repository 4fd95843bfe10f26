/*
 * The caller's terminal for a foreground `run` or `exec` whose process has a terminal and no
 * console socket (PLAN_TERMINAL_RELAY). runc takes the pty master itself then; here the monitor,
 * which holds it, does what runc does: the caller's stdin goes to the pty and the pty's output to
 * the caller's stdout until the container ends, with the caller's terminal in raw mode and the pty
 * at its window size; then the terminal is put back. The relay never depends on the process that
 * started the monitor, which only passes on the SIGWINCH it gets from its terminal.
 */
#include "launcher.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

static int copy_of(int fd)
{
	return fcntl(fd, F_DUPFD_CLOEXEC, 3);
}

int relay_open(struct relay *r, int ctty)
{
	*r = (struct relay){ .in = -1, .out = -1, .term = -1, .pty = -1 };
	/* As runc: stderr, stdout or stdin, whichever is a terminal; else the controlling one. */
	static const int streams[] = { 2, 1, 0 };
	for (size_t i = 0; i < sizeof(streams) / sizeof(streams[0]) && r->term < 0; i++)
		if (isatty(streams[i]))
			r->term = copy_of(streams[i]);
	if (r->term < 0 && ctty >= 0)
		r->term = ctty;
	else if (ctty >= 0)
		close(ctty);
	if (r->term < 0)
		return -1;
	r->in = copy_of(0);
	r->out = copy_of(1);
	return 0;
}

void relay_resize(const struct relay *r)
{
	struct winsize ws;
	if (r->pty >= 0 && ioctl(r->term, TIOCGWINSZ, &ws) == 0)
		ioctl(r->pty, TIOCSWINSZ, &ws);
}

void relay_start(struct relay *r, int pty, struct attach *a)
{
	r->pty = pty;
	r->attach = a;
	/* As runc: the container's "\n" stays "\n" (stdout may be a file); the caller's terminal,
	 * whose output processing raw mode keeps, adds its own "\r". Termios set on the master are
	 * the pty's. */
	struct termios t;
	if (tcgetattr(pty, &t) == 0) {
		t.c_oflag &= (tcflag_t)~ONLCR;
		tcsetattr(pty, TCSANOW, &t);
	}
	relay_resize(r);
	if (tcgetattr(r->term, &r->saved) == 0) {
		struct termios raw = r->saved;
		cfmakeraw(&raw);
		raw.c_oflag |= OPOST;
		r->raw = tcsetattr(r->term, TCSANOW, &raw) == 0;
	}
}

size_t relay_poll_fds(const struct relay *r, struct pollfd *fds)
{
	/* The caller's input waits while the container has not taken the last of it. */
	int ready = r->in >= 0 && r->pty >= 0 && !attach_input_pending(r->attach);
	fds[0] = (struct pollfd){ ready ? r->in : -1, POLLIN, 0 };
	return 1;
}

void relay_handle(struct relay *r, const struct pollfd *fds)
{
	static char buf[ATTACH_FRAME_MAX];
	if (!fds[0].revents || r->in < 0 || attach_input_pending(r->attach))
		return;
	/* The caller's descriptor is shared with its shell: never made non-blocking, read only
	 * when poll says there is something (or its end). */
	ssize_t n = read(r->in, buf, sizeof(buf));
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0) {
		/* At the end of the caller's input the container gets nothing more, as with runc. */
		close(r->in);
		r->in = -1;
		return;
	}
	attach_input(r->attach, buf, (size_t)n);
}

/* Writes all of it, waiting if the caller's stdout is non-blocking; false once it fails. */
static int write_out(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			struct pollfd p = { fd, POLLOUT, 0 };
			poll(&p, 1, -1);
			continue;
		}
		if (n <= 0)
			return 0;
		data += n;
		len -= (size_t)n;
	}
	return 1;
}

void relay_output(void *ctx, int stream, const char *data, size_t len)
{
	struct relay *r = ctx;
	if (r->out >= 0 && !write_out(r->out, data, len)) {
		close(r->out);
		r->out = -1;
	}
	attach_output(r->attach, stream, data, len);
}

void relay_end(struct relay *r)
{
	if (r->raw)
		tcsetattr(r->term, TCSANOW, &r->saved);
	r->raw = 0;
}
