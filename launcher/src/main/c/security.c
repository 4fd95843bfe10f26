/* Process security settings, applied in the order runc uses (see init_main). */
#include "launcher.h"

#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

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

void security_seccomp(struct plan *p)
{
	if (!p->seccomp_prog)
		return;
	struct sock_fprog prog = { .len = (unsigned short)(p->seccomp_len / sizeof(struct sock_filter)),
				   .filter = (struct sock_filter *)p->seccomp_prog };
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, (unsigned)p->seccomp_flags, &prog) < 0)
		init_fail(errno, "load seccomp filter");
}
