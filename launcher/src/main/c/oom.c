/*
 * The container's OOM kill count, kept in the state directory ("oom_kill") while the monitor
 * watches. A systemd scope goes away with its last process, and its cgroup (and the kernel's
 * count in memory.events) with it, before anyone may have asked whether the container was
 * OOM-killed: as podman's conmon, the monitor follows memory.events with inotify (the kernel
 * notifies every change) and records each new count, and once more when the init has exited.
 */
#include "launcher.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

void oom_watch_start(struct oom_watch *w, const struct plan *p)
{
	w->fd = -1;
	w->count = 0;
	for (size_t i = 0; i < p->n_cgroup_procs; i++) {
		const char *procs = p->cgroup_procs[i];
		const char *slash = strrchr(procs, '/');
		if (!slash)
			continue;
		snprintf(w->events, sizeof(w->events), "%.*s/memory.events", (int)(slash - procs), procs);
		if (access(w->events, R_OK) != 0)
			continue; /* a v1 hierarchy, or cgroup2 without the memory controller */
		snprintf(w->out, sizeof(w->out), "%s/oom_kill", p->state_dir);
		w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
		if (w->fd >= 0 && inotify_add_watch(w->fd, w->events, IN_MODIFY) < 0) {
			close(w->fd);
			w->fd = -1;
		}
		return;
	}
}

void oom_watch_record(struct oom_watch *w)
{
	if (w->fd < 0)
		return;
	char buf[4096];
	while (read(w->fd, buf, sizeof(buf)) > 0)
		; /* the events only say "changed": memory.events is read below */
	int fd = open(w->events, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return; /* the cgroup is gone: the last count recorded stands */
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = 0;
	char *line = strstr(buf, "\noom_kill ");
	if (!line)
		return;
	long long count = strtoll(line + strlen("\noom_kill "), NULL, 10);
	if (count <= w->count)
		return;
	w->count = count;
	char tmp[sizeof(w->out) + 8], body[32];
	snprintf(tmp, sizeof(tmp), "%s.tmp", w->out);
	int len = snprintf(body, sizeof(body), "%lld\n", count);
	int out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (out < 0)
		return; /* the state dir was deleted */
	write_all(out, body, (size_t)len);
	close(out);
	rename(tmp, w->out);
}
