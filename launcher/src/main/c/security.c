/* Process security settings, applied in the order runc uses (see init_main), and descriptor hygiene. */
#include "launcher.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static int close_range_except(unsigned first, int keep)
{
	if (keep < 0 || (unsigned)keep < first)
		return (int)syscall(SYS_close_range, first, ~0U, 0U);
	if ((unsigned)keep > first && syscall(SYS_close_range, first, (unsigned)keep - 1, 0U) < 0)
		return -1;
	return (int)syscall(SYS_close_range, (unsigned)keep + 1, ~0U, 0U);
}

/* Without close_range: the descriptors /proc/self/fd lists. Closing while listing is safe, the
 * kernel walks the table by number. Returns -1 if /proc cannot be read. */
static int close_listed_except(unsigned first, int keep)
{
	int dir = open("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0)
		return -1;
	char buf[4096];
	ssize_t n;
	while ((n = getdents64(dir, buf, sizeof(buf))) > 0) {
		for (ssize_t off = 0; off < n;) {
			struct dirent64 *d = (struct dirent64 *)(buf + off);
			off += d->d_reclen;
			char *end;
			long fd = strtol(d->d_name, &end, 10);
			if (*end || end == d->d_name || fd < (long)first || fd == keep || fd == dir)
				continue;
			close((int)fd);
		}
	}
	int saved = errno;
	close(dir);
	errno = saved;
	return n < 0 ? -1 : 0;
}

int close_fds_except(unsigned first, int keep)
{
	if (close_range_except(first, keep) == 0)
		return 0;
	/* ENOSYS before Linux 5.9, EINVAL or EPERM where a filter or an old kernel refuses it. */
	if (close_listed_except(first, keep) == 0)
		return 0;
	/* No /proc either: every number up to the descriptor limit. */
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return -1;
	/* Every descriptor is below fs.nr_open (1048576 unless raised), which cannot be read without
	 * /proc; the limit may have been lowered since a descriptor was opened: take the largest. */
	rlim_t max = rl.rlim_max > rl.rlim_cur ? rl.rlim_max : rl.rlim_cur;
	if (max < (1U << 20))
		max = 1U << 20;
	if (max > INT_MAX)
		max = INT_MAX;
	for (rlim_t fd = first; fd < max; fd++)
		if ((int)fd != keep)
			close((int)fd);
	return 0;
}

void security_rlimits(struct plan *p)
{
	for (size_t i = 0; i < p->n_rlimits; i++) {
		struct plan_rlimit *r = &p->rlimits[i];
		struct rlimit rl = { .rlim_cur = r->soft, .rlim_max = r->hard };
		if (setrlimit((int)r->resource, &rl) < 0)
			init_fail(errno, "rlimit %s (soft %llu, hard %llu)", r->name,
				  (unsigned long long)r->soft, (unsigned long long)r->hard);
	}
}

void security_drop_bounding(struct plan *p)
{
	if (!p->has_caps)
		return;
	for (int cap = 0; cap < 64 && prctl(PR_CAPBSET_READ, cap, 0, 0, 0) >= 0; cap++) {
		if (!(p->caps[0] & (1ULL << cap)) && prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0)
			init_fail(errno, "drop capability %d from the bounding set", cap);
	}
}

void security_set_user(struct plan *p)
{
	if (!p->has_user)
		return;
	gid_t groups[256];
	size_t n = p->n_groups < 256 ? p->n_groups : 256;
	for (size_t i = 0; i < n; i++)
		groups[i] = (gid_t)p->groups[i];
	if (setgroups(n, groups) < 0)
		init_fail(errno, "setgroups");
	/* Keep the permitted set across the uid change; security_set_caps then sets it exactly. */
	prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0);
	if (setresgid((gid_t)p->gid, (gid_t)p->gid, (gid_t)p->gid) < 0)
		init_fail(errno, "setgid %llu", (unsigned long long)p->gid);
	if (setresuid((uid_t)p->uid, (uid_t)p->uid, (uid_t)p->uid) < 0)
		init_fail(errno, "setuid %llu", (unsigned long long)p->uid);
	prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0);
	if (p->umask != ~(uint64_t)0)
		umask((mode_t)p->umask);
}

void security_set_caps(struct plan *p)
{
	if (!p->has_caps)
		return;
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
	struct __user_cap_data_struct data[2];
	for (int i = 0; i < 2; i++) {
		data[i].effective = (uint32_t)(p->caps[1] >> (32 * i));
		data[i].permitted = (uint32_t)(p->caps[2] >> (32 * i));
		data[i].inheritable = (uint32_t)(p->caps[3] >> (32 * i));
	}
	if (syscall(SYS_capset, &hdr, data) < 0)
		init_fail(errno, "capset");
	/* The kernel keeps an ambient capability only if it is permitted and inheritable; like runc,
	 * skip the others (`runc spec` lists ambient capabilities without inheritable ones). */
	uint64_t raisable = p->caps[4] & p->caps[2] & p->caps[3];
	for (int cap = 0; cap < 64; cap++) {
		if ((raisable & (1ULL << cap)) && prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0)
			init_fail(errno, "raise ambient capability %d", cap);
	}
}

int security_seccomp(struct plan *p)
{
	if (!p->seccomp_prog)
		return -1;
	struct sock_fprog prog = { .len = (unsigned short)(p->seccomp_len / sizeof(struct sock_filter)),
				   .filter = (struct sock_filter *)p->seccomp_prog };
	/* With SECCOMP_FILTER_FLAG_NEW_LISTENER the result is the listener's descriptor (close-on-exec). */
	long r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, (unsigned)p->seccomp_flags, &prog);
	if (r < 0)
		init_fail(errno, "load seccomp filter");
	return (p->seccomp_flags & SECCOMP_FILTER_FLAG_NEW_LISTENER) ? (int)r : -1;
}
