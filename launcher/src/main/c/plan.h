/*
 * The launch plan: everything the launcher needs, computed by Java (org.jocker.runtime.plan) and
 * read from fd 3 before anything else happens. No JSON in C: the plan is a flat sequence of
 * records, each `u32 tag, u32 length, payload`, ending with PLAN_END. Integers inside payloads are
 * u64 little-endian; strings are NUL-terminated (several may follow one another). The Java side is
 * PlanWriter.java; keep the two in step.
 */
#ifndef JOCKER_PLAN_H
#define JOCKER_PLAN_H

#include <stddef.h>
#include <stdint.h>

enum plan_tag {
	PLAN_END = 0,
	PLAN_CLONE_FLAGS = 1,     /* u64: CLONE_NEW* to create */
	PLAN_JOIN_NS = 2,         /* u64 nstype, string path */
	PLAN_UID_MAP = 3,         /* string, as written to /proc/PID/uid_map */
	PLAN_GID_MAP = 4,         /* string */
	PLAN_CGROUP_PROCS = 5,    /* string: a cgroup.procs file to put the container in */
	PLAN_ROOTFS = 6,          /* string: absolute host path */
	PLAN_ROOT_PROPAGATION = 7,/* u64 mount flags for "/" (e.g. MS_SLAVE|MS_REC) */
	PLAN_ROOT_READONLY = 8,   /* no payload */
	PLAN_MOUNT = 9,           /* u64 flags, u64 propagation, u64 kind; strings source, target, fstype, data */
	PLAN_DEVICE = 10,         /* u64 type ('c','b','p'), major, minor, mode, uid, gid; string path */
	PLAN_SYMLINK = 11,        /* strings target, linkpath */
	PLAN_MASK_PATH = 12,      /* string */
	PLAN_READONLY_PATH = 13,  /* string */
	PLAN_HOSTNAME = 14,       /* string */
	PLAN_DOMAINNAME = 15,     /* string */
	PLAN_SYSCTL = 16,         /* strings key, value */
	PLAN_RLIMIT = 17,         /* u64 resource, soft, hard; string name */
	PLAN_CAPS = 18,           /* u64 bounding, effective, permitted, inheritable, ambient */
	PLAN_NO_NEW_PRIVS = 19,   /* no payload */
	PLAN_SECCOMP = 20,        /* u64 flags; then struct sock_filter[] */
	PLAN_USER = 21,           /* u64 uid, gid, umask (or ~0), then additional gids */
	PLAN_CWD = 22,            /* string */
	PLAN_ARG = 23,            /* string, repeated */
	PLAN_ENV = 24,            /* string, repeated */
	PLAN_OOM_SCORE_ADJ = 25,  /* u64 (two's complement) */
	PLAN_STATE_DIR = 26,      /* string: where the monitor keeps its socket and exit file */
	PLAN_CONSOLE_SOCKET = 27, /* string: unix socket to send the pty master to (terminal) */
	PLAN_CONSOLE_SIZE = 28,   /* u64 rows, cols */
	PLAN_HOOK_PAUSE = 29,     /* no payload: stop before pivot_root for createRuntime hooks */
	PLAN_HOOK = 30,           /* u64 phase, timeout s, argc, envc; strings argv (argv[0] = path), env */
	PLAN_MONITOR_LOG = 31,    /* string: file for the monitor's own messages */
	PLAN_TENANT = 33,         /* no payload: join a running container (exec): no rootfs setup */
	PLAN_HANDOFF = 32,        /* no payload: the monitor leaves after start (runc-style; the
	                             caller's subreaper, e.g. conmon, then reaps the container) */
	PLAN_TERMINAL_MONITOR = 36, /* no payload: the pty master goes to the monitor (attach), not a socket */
	PLAN_STDIN_OPEN = 37,     /* no payload: the monitor keeps the container's stdin open (attach) */
	PLAN_CHROOT = 38,         /* string: the root to enter (an exec into a container without a mount
	                             namespace: its init's /proc/PID/root) */
	PLAN_TERMINAL_RELAY = 39, /* no payload, with PLAN_TERMINAL_MONITOR: the monitor also relays the
	                             pty to the caller's stdio and terminal (relay.c; runc's foreground run) */
	PLAN_KILL_UNREAD = 41,    /* no payload: stdout is a pipe the caller reads; the monitor keeps a copy
	                             of its write end and kills the init once no one holds the read end
	                             (the caller died: a build's RUN dies with its build) */
	PLAN_MOUNT_RECURSIVE = 40, /* u64 attr_set, attr_clr: mount_setattr(2) attributes for the previous
	                             PLAN_MOUNT and every mount under it (runc's "rro", "rnosuid"...) */
	PLAN_LOG = 34,            /* u64 max size (bytes, 0: unbounded), max files; string path: the
	                             monitor writes stdout/stderr there in Docker's json-file format; empty: nowhere */
	PLAN_CGROUP_HANDSHAKE = 50, /* no payload: once the init is cloned, report "cgroup PID MONITOR" and
	                             wait for Java's u32 reply on fd 3 (0: go on) before writing cgroup.procs:
	                             a systemd scope is made with the init's pid */
	PLAN_SECCOMP_LISTENER = 60, /* u64 state pid (0: the process's own); strings listener path,
	                             metadata (a JSON string literal, "" for none), the state object
	                             without pid and closing brace: where the monitor sends the
	                             PLAN_SECCOMP filter's listener (SCMP_ACT_NOTIFY) */
	PLAN_EXIT_COMMAND = 35,   /* strings: argv (argv[0] an absolute path) the monitor runs, detached,
	                             once the exit file is written (the engine's restart policy, --rm) */
};

/* How a PLAN_MOUNT is performed. */
enum mount_kind {
	MOUNT_NORMAL = 0,
	MOUNT_BIND = 1,   /* bind (or rbind); read-only and other flags need a remount */
};

enum hook_phase { HOOK_CREATE_CONTAINER = 1, HOOK_START_CONTAINER = 2 };

struct plan_mount {
	uint64_t flags, propagation, kind;
	uint64_t rec_attr_set, rec_attr_clr; /* PLAN_MOUNT_RECURSIVE; both 0 without one */
	const char *source, *target, *fstype, *data;
};

struct plan_device {
	uint64_t type, major, minor, mode, uid, gid;
	const char *path;
};

struct plan_pair { const char *a, *b; };

struct plan_rlimit { uint64_t resource, soft, hard; const char *name; };

struct plan_join { uint64_t nstype; const char *path; };

struct plan_hook {
	uint64_t phase, timeout;
	char **argv; /* argv[0] is the path */
	char **envp;
};

#define LIST(type, name) type *name; size_t n_##name

struct plan {
	uint64_t clone_flags;
	LIST(struct plan_join, joins);
	const char *uid_map, *gid_map;
	LIST(const char *, cgroup_procs);
	const char *rootfs;
	uint64_t root_propagation;
	int root_readonly;
	LIST(struct plan_mount, mounts);
	LIST(struct plan_device, devices);
	LIST(struct plan_pair, symlinks);
	LIST(const char *, masked);
	LIST(const char *, readonly);
	const char *hostname, *domainname;
	LIST(struct plan_pair, sysctls);
	LIST(struct plan_rlimit, rlimits);
	int has_caps;
	uint64_t caps[5]; /* bounding, effective, permitted, inheritable, ambient */
	int no_new_privs;
	uint64_t seccomp_flags;
	const unsigned char *seccomp_prog;
	size_t seccomp_len; /* bytes */
	const char *seccomp_listener; /* PLAN_SECCOMP_LISTENER, else NULL */
	const char *seccomp_metadata, *seccomp_state;
	uint64_t seccomp_state_pid;
	int has_user;
	uint64_t uid, gid, umask;
	LIST(uint64_t, groups);
	const char *cwd;
	LIST(char *, args);
	LIST(char *, env);
	int has_oom_score_adj;
	int64_t oom_score_adj;
	const char *state_dir;
	const char *console_socket;
	uint64_t console_rows, console_cols;
	int hook_pause;
	int cgroup_handshake;
	LIST(struct plan_hook, hooks);
	const char *monitor_log;
	int handoff;
	int tenant;
	const char *log_path;
	uint64_t log_max_size, log_max_files;
	int terminal_monitor;
	int terminal_relay;
	int kill_unread;
	int stdin_open;
	LIST(char *, exit_command); /* NULL-terminated when not empty */
	const char *chroot;
};

/* Reads a whole plan from fd; on error returns -1 with a message in err. */
int plan_read(int fd, struct plan *p, char *err, size_t errlen);

/* Whether the process is to have a namespace of this type (CLONE_NEW*) other than the monitor's:
 * a new one or one joined by path. */
int plan_has_namespace(const struct plan *p, uint64_t nstype);

#endif
