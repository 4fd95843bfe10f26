#include "fdio.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_FDS 8

/* Calls io until all of buf is transferred, retrying on EINTR; 0, or -1 with errno. */
static int transfer_all(int fd, const void *buf, size_t len, ssize_t (*io)(int, const void *, size_t))
{
	const char *p = buf;
	while (len > 0) {
		ssize_t n = io(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static ssize_t send_without_sigpipe(int sock, const void *buf, size_t len)
{
	return send(sock, buf, len, MSG_NOSIGNAL);
}

int write_all(int fd, const void *buf, size_t len)
{
	return transfer_all(fd, buf, len, write);
}

int read_all(int fd, void *buf, size_t len)
{
	char *p = buf;
	while (len > 0) {
		ssize_t n = read(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0)
			errno = 0;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int send_all(int sock, const void *buf, size_t len)
{
	return transfer_all(sock, buf, len, send_without_sigpipe);
}

int send_with_fds(int sock, const void *buf, size_t len, const int *fds, size_t nfds)
{
	if (nfds == 0 || nfds > MAX_FDS || len == 0) {
		errno = EINVAL;
		return -1;
	}
	union {
		char buf[CMSG_SPACE(sizeof(int) * MAX_FDS)];
		struct cmsghdr align;
	} u;
	memset(&u, 0, sizeof(u));
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
			      .msg_controllen = CMSG_SPACE(sizeof(int) * nfds) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
	memcpy(CMSG_DATA(c), fds, sizeof(int) * nfds);
	ssize_t n;
	do
		n = sendmsg(sock, &msg, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -1;
	return send_all(sock, (const char *)buf + n, len - (size_t)n);
}

ssize_t recv_with_fds(int sock, void *buf, size_t len, int *fds, size_t maxfds, size_t *nfds)
{
	struct iovec iov = { .iov_base = buf, .iov_len = len };
	union {
		char buf[CMSG_SPACE(sizeof(int) * MAX_FDS)];
		struct cmsghdr align;
	} u;
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
			      .msg_controllen = sizeof(u.buf) };
	ssize_t n;
	do
		n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	*nfds = 0;
	if (n < 0)
		return -1;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < count; i++) {
			int fd;
			memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
			if (*nfds < maxfds)
				fds[(*nfds)++] = fd;
			else
				close(fd);
		}
	}
	return n;
}

ssize_t recv_with_fd(int sock, char *buf, size_t cap, int *passed)
{
	int fd;
	size_t nfds = 0;
	ssize_t n = recv_with_fds(sock, buf, cap - 1, &fd, passed ? 1 : 0, &nfds);
	if (n >= 0)
		buf[n] = 0;
	if (nfds == 1)
		*passed = fd;
	return n;
}
