/*
 * The terminal relay (relay.c) between two real pseudo-terminals: the caller's (its slave on our
 * stdin, stdout and stderr, the test typing and reading on its master) and the container's (the
 * relay holds its master, the test plays the container on its slave). Checks what runc does: raw
 * mode with the terminal's output processing kept, no "\r" added by the container's pty, the window
 * size followed, input and output copied, and the terminal put back. Run by `make check`.
 */
#include "../../main/c/launcher.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

static int report_fd; /* our stderr before the caller's terminal replaced it */

static int fail(const char *what)
{
	dprintf(report_fd, "relay_test: %s (%s)\n", what, strerror(errno));
	return 1;
}

/* A pty pair: *master and *slave, with rows x cols. */
static int open_pty(int *master, int *slave, unsigned short rows, unsigned short cols)
{
	*master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (*master < 0 || grantpt(*master) < 0 || unlockpt(*master) < 0)
		return -1;
	*slave = ioctl(*master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	struct winsize ws = { .ws_row = rows, .ws_col = cols };
	return *slave < 0 ? -1 : ioctl(*master, TIOCSWINSZ, &ws);
}

/* Reads until want has been seen (or a second has passed); 0 when it was. */
static int expect(int fd, const char *want)
{
	char buf[256] = { 0 };
	size_t used = 0;
	while (used < sizeof(buf) - 1 && !strstr(buf, want)) {
		struct pollfd p = { fd, POLLIN, 0 };
		if (poll(&p, 1, 1000) <= 0)
			return -1;
		ssize_t n = read(fd, buf + used, sizeof(buf) - 1 - used);
		if (n <= 0)
			return -1;
		used += (size_t)n;
	}
	return strstr(buf, want) ? 0 : -1;
}

static int size_is(int fd, unsigned short rows, unsigned short cols)
{
	struct winsize ws;
	return ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_row == rows && ws.ws_col == cols;
}

static int check(void)
{
	int caller, caller_tty, container_pty, container_tty;
	if (open_pty(&caller, &caller_tty, 33, 101) < 0 || open_pty(&container_pty, &container_tty, 24, 80) < 0)
		return fail("cannot open the pseudo-terminals");
	struct termios before;
	if (tcgetattr(caller_tty, &before) < 0)
		return fail("tcgetattr");
	for (int fd = 0; fd < 3; fd++)
		if (dup2(caller_tty, fd) < 0)
			return fail("dup2 the caller's terminal");

	static struct attach attach;
	static struct relay relay;
	attach_init(&attach, container_pty, 1);
	if (relay_open(&relay, -1) < 0)
		return fail("relay_open found no terminal on stdio");
	relay_start(&relay, container_pty, &attach);

	struct termios t;
	if (tcgetattr(caller_tty, &t) < 0 || (t.c_lflag & (ICANON | ECHO | ISIG)) || !(t.c_oflag & OPOST))
		return fail("the caller's terminal is not raw with its output processing kept");
	if (tcgetattr(container_tty, &t) < 0 || (t.c_oflag & ONLCR))
		return fail("the container's pty still adds \\r before \\n");
	if (!size_is(container_tty, 33, 101))
		return fail("the container's pty does not have the caller's size");

	/* Output: the container's "\n" reaches the caller's terminal, which adds its own "\r". */
	relay_output(&relay, 0, "out\n", 4);
	if (expect(caller, "out\r\n") < 0)
		return fail("the output did not reach the caller");

	/* Input: what the caller types reaches the container (raw: no echo on the caller's side). */
	if (write(caller, "in\r", 3) != 3)
		return fail("cannot type");
	struct pollfd fds[1];
	relay_poll_fds(&relay, fds);
	if (poll(fds, 1, 1000) != 1)
		return fail("the relay does not see the input");
	relay_handle(&relay, fds);
	if (expect(container_tty, "in\n") < 0)
		return fail("the input did not reach the container");

	struct winsize ws = { .ws_row = 40, .ws_col = 120 };
	if (ioctl(caller, TIOCSWINSZ, &ws) < 0)
		return fail("cannot resize the caller's terminal");
	relay_resize(&relay);
	if (!size_is(container_tty, 40, 120))
		return fail("the container's pty did not follow the caller's size");

	relay_end(&relay);
	if (tcgetattr(caller_tty, &t) < 0 || t.c_lflag != before.c_lflag || t.c_iflag != before.c_iflag ||
	    t.c_oflag != before.c_oflag)
		return fail("the caller's terminal was not put back");

	/* No terminal on stdio and no controlling one: nothing to relay to. */
	int null = open("/dev/null", O_RDWR);
	for (int fd = 0; fd < 3; fd++)
		dup2(null, fd);
	if (relay_open(&relay, -1) == 0)
		return fail("relay_open found a terminal where there is none");
	return 0;
}

int main(void)
{
	report_fd = dup(2);
	pid_t pid = fork(); /* our stdio is the test's own: the child gives its up */
	if (pid < 0)
		return fail("fork");
	if (pid == 0)
		_exit(check());
	int status;
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "relay_test: FAILED\n");
		return 1;
	}
	printf("relay_test: ok\n");
	return 0;
}
