/*
 * How the container init is born. Without namespaces to join by path the monitor clones it itself.
 * Else a short-lived child of the monitor, the spawner, joins the namespaces the plan gives by path
 * and then clones the init, with the namespaces to create, as the monitor's own child (CLONE_PARENT: the monitor reaps it, its parent-death signal follows the
 * monitor). So a namespace given by path is joined with the host root's rights before a new user
 * namespace would take them away (runc's order), a pid or time namespace, which only children
 * enter, is entered by the init, and the monitor never leaves its own namespaces.
 * The mount namespace is the exception: the init joins it itself (init.c), once it has connected
 * to the console socket, a host path.
 */
#include "launcher.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <linux/magic.h>
#include <linux/sched.h>
#include <stdint.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* What the spawner tells the monitor: the init's pid, or -1 and why. */
struct spawn_report {
	pid_t pid;
	int born_in;
	char error[512];
};

/*
 * The cgroup v2 directory the init can be born in, opened, with the index of its cgroup.procs in
 * the plan; -1 when there is none (v1 only, or a systemd scope made after the init exists).
 */
static int unified_cgroup(const struct plan *p, int *index)
{
	*index = -1;
	if (p->cgroup_handshake)
		return -1;
	for (size_t i = 0; i < p->n_cgroup_procs; i++) {
		char dir[4096];
		snprintf(dir, sizeof(dir), "%s", p->cgroup_procs[i]);
		char *slash = strrchr(dir, '/');
		if (!slash)
			continue;
		*slash = 0;
		struct statfs fs;
		if (statfs(dir, &fs) < 0 || fs.f_type != CGROUP2_SUPER_MAGIC)
			continue;
		int fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (fd >= 0)
			*index = (int)i;
		return fd;
	}
	return -1;
}

/*
 * A fork-like clone (no new stack: the child goes on from here with a copy of memory). Where it
 * can, clone3's CLONE_INTO_CGROUP (Linux 5.7) makes the init be born in its cgroup v2, so it
 * never runs or allocates one instant in the monitor's; then *born_in is the index of that
 * cgroup.procs. Else (older kernels, a cgroup the kernel refuses) a plain clone, and the monitor
 * moves the init.
 */
static pid_t clone_init(const struct plan *p, unsigned long flags, int *born_in)
{
	int index;
	int cgroup = unified_cgroup(p, &index);
	*born_in = -1;
	if (cgroup >= 0) {
		struct clone_args args = { .flags = flags | CLONE_INTO_CGROUP, .exit_signal = SIGCHLD,
					   .cgroup = (uint64_t)cgroup };
		pid_t pid = (pid_t)syscall(SYS_clone3, &args, sizeof(args));
		if (pid == 0)
			return 0; /* the descriptor is closed with the rest by init */
		close(cgroup);
		if (pid > 0) {
			*born_in = index;
			return pid;
		}
	}
	return (pid_t)syscall(SYS_clone, flags | SIGCHLD, 0, 0, 0, 0);
}

static int join(const struct plan_join *j, char *err, size_t errlen)
{
	int fd = open(j->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || setns(fd, (int)j->nstype) < 0) {
		snprintf(err, errlen, "cannot join namespace %s: %s", j->path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/* The user namespace last: as the host's root we may join any namespace, as the root of a user
 * namespace only those it owns. */
static int join_by_path(const struct plan *p, char *err, size_t errlen)
{
	for (int user_pass = 0; user_pass < 2; user_pass++) {
		for (size_t i = 0; i < p->n_joins; i++) {
			const struct plan_join *j = &p->joins[i];
			if (j->nstype == CLONE_NEWNS || (j->nstype == CLONE_NEWUSER) != user_pass)
				continue;
			if (join(j, err, errlen) < 0)
				return -1;
		}
	}
	return 0;
}

/* Whether the plan names a namespace the spawner must join before the clone (the init joins mount). */
static int joins_before_clone(const struct plan *p)
{
	for (size_t i = 0; i < p->n_joins; i++) {
		if (p->joins[i].nstype != CLONE_NEWNS)
			return 1;
	}
	return 0;
}

pid_t spawn_init(const struct plan *p, unsigned long clone_flags, int *born_in, char *err, size_t errlen)
{
	if (!joins_before_clone(p)) {
		/* Nothing to join first (the common case): the monitor clones the init itself, which
		 * saves a fork, a pipe and a wait on every container start. */
		pid_t pid = clone_init(p, clone_flags, born_in);
		if (pid < 0)
			snprintf(err, errlen, "clone: %s", strerror(errno));
		return pid;
	}
	int report[2];
	if (pipe2(report, O_CLOEXEC) < 0) {
		snprintf(err, errlen, "cannot create the spawner's pipe: %s", strerror(errno));
		return -1;
	}
	pid_t spawner = fork();
	if (spawner < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		close(report[0]);
		close(report[1]);
		return -1;
	}
	if (spawner == 0) {
		close(report[0]);
		struct spawn_report r = { .pid = -1, .born_in = -1 };
		if (join_by_path(p, r.error, sizeof(r.error)) == 0) {
			r.pid = clone_init(p, clone_flags | CLONE_PARENT, &r.born_in);
			if (r.pid == 0) {
				close(report[1]);
				return 0;
			}
			if (r.pid < 0)
				snprintf(r.error, sizeof(r.error), "clone: %s", strerror(errno));
		}
		write_all(report[1], &r, sizeof(r));
		_exit(0);
	}
	close(report[1]);
	struct spawn_report r;
	int got = read_all(report[0], &r, sizeof(r));
	close(report[0]);
	waitpid(spawner, NULL, 0);
	if (got < 0) {
		snprintf(err, errlen, "the spawner of the container init died");
		return -1;
	}
	r.error[sizeof(r.error) - 1] = 0;
	if (r.pid < 0)
		snprintf(err, errlen, "%s", r.error);
	*born_in = r.born_in;
	return r.pid;
}
