/* Parsing of the launch plan (see plan.h). Every payload is checked against its length. */
#include "plan.h"

#include "fdio.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A cursor over one record's payload. */
struct cursor {
	const char *p, *end;
	int bad;
};

static uint64_t take_u64(struct cursor *c)
{
	uint64_t v = 0;
	if (c->end - c->p < 8) {
		c->bad = 1;
		return 0;
	}
	memcpy(&v, c->p, 8);
	c->p += 8;
	return v;
}

static char *take_str(struct cursor *c)
{
	const char *nul = memchr(c->p, 0, (size_t)(c->end - c->p));
	if (!nul) {
		c->bad = 1;
		return NULL;
	}
	char *s = (char *)c->p;
	c->p = nul + 1;
	return s;
}

static void *grow(void *arr, size_t n, size_t size)
{
	void *r = realloc(arr, (n + 1) * size);
	if (!r) {
		perror("jocker-launcher: out of memory");
		_exit(125);
	}
	return r;
}

/* Appends value to the list p->field (with its count p->n_field). */
#define PUSH(p, field, value)                                                  \
	do {                                                                       \
		(p)->field = grow((p)->field, (p)->n_##field, sizeof(*(p)->field));    \
		(p)->field[(p)->n_##field++] = (value);                                \
	} while (0)

static char **take_strv(struct cursor *c, size_t count)
{
	char **v = calloc(count + 1, sizeof(char *));
	if (!v)
		_exit(125);
	for (size_t i = 0; i < count; i++)
		v[i] = take_str(c);
	return v;
}

static int apply(struct plan *p, uint32_t tag, struct cursor *c)
{
	switch (tag) {
	case PLAN_CLONE_FLAGS: p->clone_flags = take_u64(c); break;
	case PLAN_JOIN_NS: {
		struct plan_join j = { .nstype = take_u64(c) };
		j.path = take_str(c);
		PUSH(p, joins, j);
		break;
	}
	case PLAN_UID_MAP: p->uid_map = take_str(c); break;
	case PLAN_GID_MAP: p->gid_map = take_str(c); break;
	case PLAN_CGROUP_PROCS: PUSH(p, cgroup_procs, take_str(c)); break;
	case PLAN_ROOTFS: p->rootfs = take_str(c); break;
	case PLAN_ROOT_PROPAGATION: p->root_propagation = take_u64(c); break;
	case PLAN_ROOT_READONLY: p->root_readonly = 1; break;
	case PLAN_MOUNT: {
		struct plan_mount m = { 0 };
		m.flags = take_u64(c);
		m.propagation = take_u64(c);
		m.kind = take_u64(c);
		m.source = take_str(c);
		m.target = take_str(c);
		m.fstype = take_str(c);
		m.data = take_str(c);
		PUSH(p, mounts, m);
		break;
	}
	case PLAN_MOUNT_RECURSIVE:
		if (p->n_mounts == 0)
			return -1;
		p->mounts[p->n_mounts - 1].rec_attr_set = take_u64(c);
		p->mounts[p->n_mounts - 1].rec_attr_clr = take_u64(c);
		break;
	case PLAN_DEVICE: {
		struct plan_device d;
		d.type = take_u64(c);
		d.major = take_u64(c);
		d.minor = take_u64(c);
		d.mode = take_u64(c);
		d.uid = take_u64(c);
		d.gid = take_u64(c);
		d.path = take_str(c);
		PUSH(p, devices, d);
		break;
	}
	case PLAN_SYMLINK:
	case PLAN_SYSCTL: {
		struct plan_pair pr;
		pr.a = take_str(c);
		pr.b = take_str(c);
		if (tag == PLAN_SYMLINK)
			PUSH(p, symlinks, pr);
		else
			PUSH(p, sysctls, pr);
		break;
	}
	case PLAN_MASK_PATH: PUSH(p, masked, take_str(c)); break;
	case PLAN_READONLY_PATH: PUSH(p, readonly, take_str(c)); break;
	case PLAN_HOSTNAME: p->hostname = take_str(c); break;
	case PLAN_DOMAINNAME: p->domainname = take_str(c); break;
	case PLAN_RLIMIT: {
		struct plan_rlimit r;
		r.resource = take_u64(c);
		r.soft = take_u64(c);
		r.hard = take_u64(c);
		r.name = take_str(c);
		PUSH(p, rlimits, r);
		break;
	}
	case PLAN_CAPS:
		p->has_caps = 1;
		for (int i = 0; i < 5; i++)
			p->caps[i] = take_u64(c);
		break;
	case PLAN_NO_NEW_PRIVS: p->no_new_privs = 1; break;
	case PLAN_SECCOMP: {
		p->seccomp_flags = take_u64(c);
		size_t rest = (size_t)(c->end - c->p);
		if (rest == 0 || rest % 8 != 0)
			c->bad = 1;
		p->seccomp_prog = (const unsigned char *)c->p;
		p->seccomp_len = rest;
		c->p = c->end;
		break;
	}
	case PLAN_SECCOMP_LISTENER:
		p->seccomp_state_pid = take_u64(c);
		p->seccomp_listener = take_str(c);
		p->seccomp_metadata = take_str(c);
		p->seccomp_state = take_str(c);
		break;
	case PLAN_USER:
		p->has_user = 1;
		p->uid = take_u64(c);
		p->gid = take_u64(c);
		p->umask = take_u64(c);
		while (!c->bad && c->p < c->end)
			PUSH(p, groups, take_u64(c));
		break;
	case PLAN_CWD: p->cwd = take_str(c); break;
	case PLAN_ARG: PUSH(p, args, take_str(c)); break;
	case PLAN_ENV: PUSH(p, env, take_str(c)); break;
	case PLAN_OOM_SCORE_ADJ:
		p->has_oom_score_adj = 1;
		p->oom_score_adj = (int64_t)take_u64(c);
		break;
	case PLAN_STATE_DIR: p->state_dir = take_str(c); break;
	case PLAN_CONSOLE_SOCKET: p->console_socket = take_str(c); break;
	case PLAN_CONSOLE_SIZE:
		p->console_rows = take_u64(c);
		p->console_cols = take_u64(c);
		break;
	case PLAN_HOOK_PAUSE: p->hook_pause = 1; break;
	case PLAN_CGROUP_HANDSHAKE: p->cgroup_handshake = 1; break;
	case PLAN_HOOK: {
		struct plan_hook h;
		h.phase = take_u64(c);
		h.timeout = take_u64(c);
		uint64_t argc = take_u64(c);
		uint64_t envc = take_u64(c);
		if (c->bad || argc == 0 || argc > 4096 || envc > 4096)
			return -1;
		h.argv = take_strv(c, argc);
		h.envp = take_strv(c, envc);
		PUSH(p, hooks, h);
		break;
	}
	case PLAN_MONITOR_LOG: p->monitor_log = take_str(c); break;
	case PLAN_HANDOFF: p->handoff = 1; break;
	case PLAN_TENANT: p->tenant = 1; break;
	case PLAN_TERMINAL_MONITOR: p->terminal_monitor = 1; break;
	case PLAN_TERMINAL_RELAY: p->terminal_relay = 1; break;
	case PLAN_KILL_UNREAD: p->kill_unread = 1; break;
	case PLAN_STDIN_OPEN: p->stdin_open = 1; break;
	case PLAN_CHROOT: p->chroot = take_str(c); break;
	case PLAN_LOG:
		p->log_max_size = take_u64(c);
		p->log_max_files = take_u64(c);
		p->log_path = take_str(c);
		break;
	case PLAN_EXIT_COMMAND:
		while (!c->bad && c->p < c->end)
			PUSH(p, exit_command, take_str(c));
		if (p->n_exit_command == 0 || p->exit_command[0][0] != '/')
			return -1;
		break;
	default:
		return -1;
	}
	return c->bad ? -1 : 0;
}

static void terminate_list(struct plan *p)
{
	/* execve wants NULL-terminated vectors. */
	PUSH(p, args, NULL);
	p->n_args--;
	PUSH(p, env, NULL);
	p->n_env--;
	if (p->n_exit_command > 0) {
		PUSH(p, exit_command, NULL);
		p->n_exit_command--;
	}
}

int plan_read(int fd, struct plan *p, char *err, size_t errlen)
{
	memset(p, 0, sizeof(*p));
	p->umask = ~(uint64_t)0;
	for (;;) {
		uint32_t hdr[2];
		if (read_all(fd, hdr, sizeof(hdr)) < 0) {
			snprintf(err, errlen, "launch plan: truncated");
			return -1;
		}
		if (hdr[0] == PLAN_END)
			break;
		if (hdr[1] > (64u << 20)) {
			snprintf(err, errlen, "launch plan: record %u too large", hdr[0]);
			return -1;
		}
		/* One allocation per record, kept for the process lifetime: strings point into it. */
		char *buf = malloc(hdr[1] + 1);
		if (!buf || read_all(fd, buf, hdr[1]) < 0) {
			snprintf(err, errlen, "launch plan: truncated record %u", hdr[0]);
			return -1;
		}
		buf[hdr[1]] = 0;
		struct cursor c = { buf, buf + hdr[1], 0 };
		if (apply(p, hdr[0], &c) < 0) {
			snprintf(err, errlen, "launch plan: malformed record %u", hdr[0]);
			return -1;
		}
	}
	if ((!p->rootfs && !p->tenant) || !p->state_dir || p->n_args == 0) {
		snprintf(err, errlen, "launch plan: rootfs, state dir and args are required");
		return -1;
	}
	terminate_list(p);
	return 0;
}

int plan_has_namespace(const struct plan *p, uint64_t nstype)
{
	if (p->clone_flags & nstype)
		return 1;
	for (size_t i = 0; i < p->n_joins; i++)
		if (p->joins[i].nstype == nstype)
			return 1;
	return 0;
}
