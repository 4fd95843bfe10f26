/*
 * Bind sources under a user namespace. There init is root only inside it, so a source in a
 * directory closed to others (0700) is out of its reach; runc opens such sources as the host's
 * root and passes the descriptors in. Here a short-lived child of the monitor (the host's root)
 * enters the container's mount namespace, still a copy of the host's, so the same paths and
 * mounts of the namespace init will bind from (a mount of another namespace cannot be bound),
 * opens every source outside the rootfs and sends the descriptors to init before it goes on.
 * A source the child cannot open is left to init, whose error names the mount.
 */
#include "launcher.h"
#include "fdio.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* At most this many descriptors per message (fdio's limit). */
#define PER_MESSAGE 8

/* Init's side: the descriptor of each mount's source, -1 where init opens it itself. */
static int *received;
static size_t n_received;

ssize_t bind_source_in_rootfs(const char *rootfs, const char *source)
{
	size_t n = strlen(rootfs);
	while (n > 1 && rootfs[n - 1] == '/')
		n--;
	return strncmp(source, rootfs, n) == 0 && (source[n] == '/' || !source[n]) ? (ssize_t)n : -1;
}

static int needs_host_root(const struct plan *p, const struct plan_mount *m)
{
	return m->kind == MOUNT_BIND && bind_source_in_rootfs(p->rootfs, m->source) < 0;
}

int bind_sources_wanted(const struct plan *p)
{
	if (p->tenant || !plan_has_namespace(p, CLONE_NEWUSER) || !plan_has_namespace(p, CLONE_NEWNS))
		return 0;
	for (size_t i = 0; i < p->n_mounts; i++)
		if (needs_host_root(p, &p->mounts[i]))
			return 1;
	return 0;
}

/* The mount namespace init will mount in: one it joins by path, else the one it was born in. */
static void mount_namespace_path(const struct plan *p, pid_t init, char *buf, size_t len)
{
	snprintf(buf, len, "/proc/%d/ns/mnt", (int)init);
	for (size_t i = 0; i < p->n_joins; i++)
		if (p->joins[i].nstype == CLONE_NEWNS)
			snprintf(buf, len, "%s", p->joins[i].path);
}

static int send_batch(int sock, const uint32_t *index, const int *fds, size_t n)
{
	char msg[1 + PER_MESSAGE * sizeof(uint32_t)];
	msg[0] = SYNC_BIND_SOURCES;
	memcpy(msg + 1, index, n * sizeof(uint32_t));
	return send_with_fds(sock, msg, 1 + n * sizeof(uint32_t), fds, n);
}

static noreturn void open_and_send(const struct plan *p, pid_t init, int sync_sock)
{
	char path[4096];
	mount_namespace_path(p, init, path, sizeof(path));
	int ns = open(path, O_RDONLY | O_CLOEXEC);
	if (ns < 0 || setns(ns, CLONE_NEWNS) < 0)
		_exit(errno ? errno : EINVAL);
	uint32_t index[PER_MESSAGE];
	int fds[PER_MESSAGE];
	size_t n = 0;
	for (size_t i = 0; i < p->n_mounts; i++) {
		if (!needs_host_root(p, &p->mounts[i]))
			continue;
		int fd = open(p->mounts[i].source, O_PATH | O_CLOEXEC);
		if (fd < 0)
			continue;
		index[n] = (uint32_t)i;
		fds[n++] = fd;
		if (n == PER_MESSAGE) {
			if (send_batch(sync_sock, index, fds, n) < 0)
				_exit(errno);
			while (n > 0)
				close(fds[--n]);
		}
	}
	if (n > 0 && send_batch(sync_sock, index, fds, n) < 0)
		_exit(errno);
	_exit(0);
}

int bind_sources_send(const struct plan *p, pid_t init, int sync_sock)
{
	pid_t child = fork();
	if (child < 0)
		return -1;
	if (child == 0)
		open_and_send(p, init, sync_sock);
	int status;
	while (waitpid(child, &status, 0) < 0) {
		if (errno != EINTR)
			return -1;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	errno = WIFEXITED(status) ? WEXITSTATUS(status) : EINTR;
	return -1;
}

int bind_sources_receive(const struct plan *p, const char *msg, size_t len, const int *fds, size_t nfds)
{
	if (!received) {
		received = malloc(p->n_mounts * sizeof(int));
		if (!received)
			return -1;
		n_received = p->n_mounts;
		for (size_t i = 0; i < n_received; i++)
			received[i] = -1;
	}
	if ((len - 1) != nfds * sizeof(uint32_t)) {
		errno = EPROTO;
		return -1;
	}
	for (size_t i = 0; i < nfds; i++) {
		uint32_t index;
		memcpy(&index, msg + 1 + i * sizeof(uint32_t), sizeof(index));
		if (index >= n_received || received[index] >= 0) {
			errno = EPROTO;
			return -1;
		}
		received[index] = fds[i];
	}
	return 0;
}

int bind_source_take(size_t index)
{
	if (index >= n_received)
		return -1;
	int fd = received[index];
	received[index] = -1;
	return fd;
}
