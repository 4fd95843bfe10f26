/*
 * The monitor's attach clients (`jocker run`, `attach`, `start -a`, `exec -t`): they get the
 * container's output as it is read and feed its stdin (the pty master with a terminal, else the
 * pipe the monitor keeps open). Stdin is backpressured, never dropped and never blocking: while the
 * container has not taken the pending data, no client's next frame is read, and the monitor keeps
 * serving the output, so a container that writes while it is fed cannot deadlock with us.
 */
#include "launcher.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <termios.h>
#include <unistd.h>

#define SEND_TIMEOUT_SECONDS 5

void attach_init(struct attach *a, int input, int input_is_pty)
{
	a->input = input;
	a->input_is_pty = input_is_pty;
	a->pending_off = a->pending_len = 0;
	for (int i = 0; i < ATTACH_MAX_CLIENTS; i++)
		a->clients[i].fd = -1;
	if (input >= 0)
		fcntl(input, F_SETFL, fcntl(input, F_GETFL) | O_NONBLOCK);
}

static void drop(struct attach_client *c)
{
	close(c->fd);
	c->fd = -1;
	c->rx_len = 0;
	c->handles_exit = 0;
}

int attach_exit_handled(const struct attach *a)
{
	for (int i = 0; i < ATTACH_MAX_CLIENTS; i++)
		if (a->clients[i].fd >= 0 && a->clients[i].handles_exit)
			return 1;
	return 0;
}

void attach_add(struct attach *a, int fd)
{
	for (int i = 0; i < ATTACH_MAX_CLIENTS; i++) {
		if (a->clients[i].fd < 0) {
			struct timeval tv = { .tv_sec = SEND_TIMEOUT_SECONDS };
			setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
			a->clients[i].fd = fd;
			a->clients[i].rx_len = 0;
			a->clients[i].handles_exit = 0;
			return;
		}
	}
	close(fd);
}

void attach_output(void *ctx, int stream, const char *data, size_t len)
{
	struct attach *a = ctx;
	unsigned char head[5] = { (unsigned char)(stream + 1) };
	uint32_t n = (uint32_t)len;
	memcpy(head + 1, &n, 4);
	for (int i = 0; i < ATTACH_MAX_CLIENTS; i++) {
		struct attach_client *c = &a->clients[i];
		if (c->fd < 0)
			continue;
		struct iovec iov[2] = { { head, 5 }, { (void *)data, len } };
		size_t left = 5 + len;
		while (left > 0) {
			struct msghdr msg = { .msg_iov = iov, .msg_iovlen = 2 };
			ssize_t sent = sendmsg(c->fd, &msg, MSG_NOSIGNAL);
			if (sent < 0 && errno == EINTR)
				continue;
			if (sent <= 0) {
				drop(c);
				break;
			}
			left -= (size_t)sent;
			for (int k = 0; k < 2 && sent > 0; k++) {
				size_t take = (size_t)sent < iov[k].iov_len ? (size_t)sent : iov[k].iov_len;
				iov[k].iov_base = (char *)iov[k].iov_base + take;
				iov[k].iov_len -= take;
				sent -= (ssize_t)take;
			}
		}
	}
}

static void close_input(struct attach *a)
{
	if (a->input >= 0 && !a->input_is_pty) {
		close(a->input);
		a->input = -1;
	}
}

/* Writes what the container takes now; at a closed reader the data is gone with it. */
static void flush_pending(struct attach *a)
{
	while (a->pending_len > 0 && a->input >= 0) {
		ssize_t n = write(a->input, a->pending + a->pending_off, a->pending_len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n <= 0) {
			close_input(a);
			break;
		}
		a->pending_off += (size_t)n;
		a->pending_len -= (size_t)n;
	}
	a->pending_len = 0;
	a->pending_off = 0;
}

int attach_input_pending(const struct attach *a)
{
	return a->pending_len > 0;
}

void attach_input(struct attach *a, const char *data, size_t len)
{
	if (a->input < 0 || len > sizeof(a->pending))
		return;
	memcpy(a->pending, data, len);
	a->pending_len = len;
	flush_pending(a);
}

/* Acts on the client's complete frames, in order, while no stdin data is pending. */
static void process_frames(struct attach *a, struct attach_client *c)
{
	while (c->fd >= 0 && c->rx_len >= 5 && a->pending_len == 0) {
		uint32_t len;
		memcpy(&len, c->rx + 1, 4);
		if (len > ATTACH_FRAME_MAX) {
			drop(c);
			return;
		}
		if (c->rx_len < 5 + (size_t)len)
			return;
		const char *payload = c->rx + 5;
		switch (c->rx[0]) {
		case 'i':
			attach_input(a, payload, len);
			break;
		case 'c':
			close_input(a);
			break;
		case 'x':
			c->handles_exit = 1;
			break;
		case 'w':
			if (a->input_is_pty && a->input >= 0 && len == 8) {
				uint32_t rows, cols;
				memcpy(&rows, payload, 4);
				memcpy(&cols, payload + 4, 4);
				struct winsize ws = { .ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols };
				ioctl(a->input, TIOCSWINSZ, &ws);
			}
			break;
		default:
			drop(c);
			return;
		}
		size_t used = 5 + (size_t)len;
		memmove(c->rx, c->rx + used, c->rx_len - used);
		c->rx_len -= used;
	}
}

size_t attach_poll_fds(struct attach *a, struct pollfd *fds)
{
	size_t n = 0;
	fds[n++] = (struct pollfd){ a->pending_len > 0 ? a->input : -1, POLLOUT, 0 };
	for (int i = 0; i < ATTACH_MAX_CLIENTS; i++) {
		struct attach_client *c = &a->clients[i];
		int room = c->fd >= 0 && c->rx_len < sizeof(c->rx);
		fds[n++] = (struct pollfd){ room ? c->fd : -1, POLLIN, 0 };
	}
	return n;
}

void attach_handle(struct attach *a, const struct pollfd *fds, size_t n)
{
	if (n > 0 && fds[0].revents)
		flush_pending(a);
	for (size_t i = 1; i < n; i++) {
		struct attach_client *c = &a->clients[i - 1];
		if (c->fd >= 0 && fds[i].revents) {
			ssize_t got = recv(c->fd, c->rx + c->rx_len, sizeof(c->rx) - c->rx_len, MSG_DONTWAIT);
			if (got == 0 || (got < 0 && errno != EAGAIN && errno != EINTR)) {
				drop(c);
				continue;
			}
			if (got > 0)
				c->rx_len += (size_t)got;
		}
	}
	for (int i = 0; i < ATTACH_MAX_CLIENTS; i++)
		process_frames(a, &a->clients[i]);
}
