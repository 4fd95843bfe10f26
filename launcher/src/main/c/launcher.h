/* Shared declarations of the launcher: the monitor (monitor.c) and the container init (init.c). */
#ifndef JOCKER_LAUNCHER_H
#define JOCKER_LAUNCHER_H

#include "fdio.h"
#include "plan.h"

#include <poll.h>
#include <stdnoreturn.h>
#include <termios.h>

/* Fixed descriptors given by Java: the plan and later commands arrive on 3, reports leave on 4. */
#define PLAN_FD 3
#define REPORT_FD 4

/* preserve_fds.c: runc's --preserve-fds. The launcher gets them on PRESERVED_FD_FIRST.., the
 * container's process on 3... */
#define PRESERVED_FD_FIRST 5
/* Reads `--preserve-fds N` (the only arguments the launcher takes); -1 if malformed. */
int preserved_fds_parse(int argc, char **argv);
/* The launcher's first descriptor that is not stdio, plan, report pipe or preserved. */
unsigned preserved_fds_end_in_launcher(void);
/* The monitor: closes its copies once the init has them. */
void preserved_fds_release(void);
/* The init: moves them to 3..; -1 with errno if it cannot. */
int preserved_fds_place(void);
/* The init, once placed: the first descriptor that is not stdio or preserved. */
unsigned preserved_fds_end(void);

/* Messages on the monitor <-> init socket (SOCK_SEQPACKET: one message per send). */
enum sync_msg {
	SYNC_GO = 'G',       /* monitor -> init: maps and cgroups are in place */
	SYNC_ERROR = 'E',    /* init -> monitor: followed by the message; init then exits */
	SYNC_HOOKS = 'H',    /* init -> monitor: paused before pivot_root for createRuntime hooks */
	SYNC_STATE = 'J',    /* monitor -> init: go on; followed by the state JSON for hooks */
	SYNC_READY = 'R',    /* init -> monitor: set up, waiting for start */
	SYNC_START = 'S',    /* monitor -> init: exec the user process */
	SYNC_CONSOLE = 'C',  /* init -> monitor: the pty master (SCM_RIGHTS), for PLAN_TERMINAL_MONITOR */
	SYNC_SECCOMP = 'N',  /* init -> monitor: the seccomp filter's listener (SCM_RIGHTS), for the agent */
	SYNC_BIND_SOURCES = 'M', /* monitor -> init, before SYNC_GO: bind sources (u32 mount indexes, SCM_RIGHTS) */
};

#define MSG_MAX 65536

/* Container init: runs in the child of clone(); never returns. */
/* log_fds: write ends of the stdout/stderr log pipes, dup2'd onto 1 and 2 (-1: keep stdio). */
noreturn void init_main(struct plan *p, int sync_fd, const int log_fds[2]);

/* Reports a fatal setup error to the monitor (formatted, with errno text if errnum != 0), exits. */
noreturn void init_fail(int errnum, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * spawn.c: joins the namespaces given by path (but the mount namespace) in a child and clones the
 * init from there as our child. Returns like fork: 0 in the init, its pid in the monitor, or -1
 * with a message in err. *born_in: the index of the plan's cgroup.procs the init was born in
 * (clone3 CLONE_INTO_CGROUP), else -1.
 */
pid_t spawn_init(const struct plan *p, unsigned long clone_flags, int *born_in, char *err, size_t errlen);

/* bind_sources.c: bind sources a user namespace's root cannot reach, opened by the host's root. */
/* The length of rootfs's prefix of source when source lies in the rootfs (opened by init, in
 * the root, whatever the namespaces), else -1. */
ssize_t bind_source_in_rootfs(const char *rootfs, const char *source);
/* Monitor: whether init needs sources opened for it, and a child that opens and sends them. */
int bind_sources_wanted(const struct plan *p);
int bind_sources_send(const struct plan *p, pid_t init, int sync_sock);
/* Init: takes one SYNC_BIND_SOURCES message; then the descriptor for mount index (or -1), once. */
int bind_sources_receive(const struct plan *p, const char *msg, size_t len, const int *fds, size_t nfds);
int bind_source_take(size_t index);

/* rootfs.c: mounts, devices, pivot_root, masked and read-only paths. */
void rootfs_prepare(struct plan *p);
void rootfs_pivot(struct plan *p);
void rootfs_finish(struct plan *p);
/* Without a mount namespace of its own: the root becomes dir, nothing is mounted. */
void rootfs_chroot(const char *dir);

/* security.c: rlimits, user and groups, capabilities, no_new_privs, seccomp. */
/* Really closes every descriptor >= first except keep (-1: none), with or without close_range. */
int close_fds_except(unsigned first, int keep);
void security_rlimits(struct plan *p);
void security_drop_bounding(struct plan *p);
void security_set_user(struct plan *p);
void security_set_caps(struct plan *p);
/* Loads the filter; returns its listener (SCMP_ACT_NOTIFY rules), else -1. */
int security_seccomp(struct plan *p);

/* log.c: the container's stdout and stderr as Docker's json-file log (PLAN_LOG). */
#define LOG_LINE_MAX 16384

struct log_line {
	char buf[LOG_LINE_MAX];
	size_t len;
};

struct log {
	int fd[2]; /* read ends of the stdout and stderr pipes (non-blocking); -1 when closed */
	/* Called with every chunk read, before it is logged (attached clients get it raw). */
	void (*tap)(void *ctx, int stream, const char *data, size_t len);
	void *tap_ctx;
	int file;
	const char *path;
	uint64_t size, max_size, max_files;
	struct log_line line[2];
};

/* Opens the file and the two pipes; child gets their write ends (-1 without PLAN_LOG). */
int log_open(struct log *l, const struct plan *p, int child[2]);
/* Reads what is available on one stream and writes its complete lines. */
size_t log_read(struct log *l, int stream);
/* After the container has ended: reads what is left, writes partial lines, syncs. */
void log_drain(struct log *l);

/*
 * attach.c: clients of `attach` on the monitor socket. After "attach\n" the connection carries
 * frames `u8 type, u32 length (little endian), payload`. Monitor -> client: type 1 stdout, 2 stderr.
 * Client -> monitor: 'i' stdin data, 'c' close stdin, 'w' window size (u32 rows, u32 cols),
 * 'x' the client handles the exit (a foreground `run --rm`): no exit command while it is attached.
 */
#define ATTACH_MAX_CLIENTS 8
#define ATTACH_FRAME_MAX 32768

struct attach_client {
	int fd; /* -1: free slot */
	int handles_exit; /* it said 'x': it removes the container itself when it ends */
	size_t rx_len;
	char rx[5 + ATTACH_FRAME_MAX];
};

struct attach {
	int input; /* where stdin data goes: the pty master or the stdin pipe; -1 when closed */
	int input_is_pty;
	char pending[ATTACH_FRAME_MAX]; /* stdin data the container has not taken yet */
	size_t pending_off, pending_len;
	struct attach_client clients[ATTACH_MAX_CLIENTS];
};

void attach_init(struct attach *a, int input, int input_is_pty);
/* Takes a connection that asked for "attach"; refuses it when all slots are taken. */
void attach_add(struct attach *a, int fd);
/* Adds the descriptors to poll to fds (at most 1 + ATTACH_MAX_CLIENTS); returns how many. */
size_t attach_poll_fds(struct attach *a, struct pollfd *fds);
/* Handles the poll results of the descriptors attach_poll_fds added. */
void attach_handle(struct attach *a, const struct pollfd *fds, size_t n);
/* Whether stdin data waits for the container to take it (then no more is accepted). */
int attach_input_pending(const struct attach *a);
/* Feeds the container's stdin, as a client's 'i' frame does; only while nothing is pending. */
void attach_input(struct attach *a, const char *data, size_t len);
/* Whether a client still attached said it handles the exit itself. */
int attach_exit_handled(const struct attach *a);
/* log tap: sends output to every client; drops a client that does not take it within seconds. */
void attach_output(void *a, int stream, const char *data, size_t len);

/*
 * relay.c: the pty relayed to the caller's stdio, with its terminal raw meanwhile
 * (PLAN_TERMINAL_RELAY). Input goes through the attach buffer; output goes on to attach clients.
 */
struct relay {
	int in;   /* a copy of the caller's stdin; -1 at its end */
	int out;  /* a copy of the caller's stdout; -1 once it fails */
	int term; /* the caller's terminal (a copy of stderr, stdout or stdin, else its /dev/tty) */
	int pty;  /* the container's pty master once started, else -1 */
	int raw;  /* saved holds the terminal's settings from before raw mode */
	struct termios saved;
	struct attach *attach;
};

/* Copies the caller's stdio and finds its terminal: ctty (an open /dev/tty or -1, taken over) when
 * no standard stream is one. -1 when the caller has no terminal at all. */
int relay_open(struct relay *r, int ctty);
/* Before the container starts: the pty without "\r" before "\n", at the terminal's size; the
 * terminal raw. */
void relay_start(struct relay *r, int pty, struct attach *a);
/* The pty takes the terminal's window size again (the monitor got SIGWINCH). */
void relay_resize(const struct relay *r);
/* Adds the caller's stdin to poll (1 descriptor, -1 while input is pending); returns 1. */
size_t relay_poll_fds(const struct relay *r, struct pollfd *fds);
void relay_handle(struct relay *r, const struct pollfd *fds);
/* log tap: the output to the caller's stdout, then to attach clients. */
void relay_output(void *r, int stream, const char *data, size_t len);
/* Puts the terminal back as it was. */
void relay_end(struct relay *r);

/* oom.c: the container's OOM kill count, recorded in the state directory as it changes. */
struct oom_watch {
	int fd; /* inotify on the container's memory.events; -1: nothing to watch */
	long long count;
	char events[4096], out[4096];
};
/* Watches the cgroup2 memory.events among the plan's cgroups, if there is one. */
void oom_watch_start(struct oom_watch *w, const struct plan *p);
/* Reads the count and writes it to STATE_DIR/oom_kill when it went up. */
void oom_watch_record(struct oom_watch *w);

#endif
