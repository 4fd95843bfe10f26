/* Shared declarations of the launcher: the monitor (monitor.c) and the container init (init.c). */
#ifndef JOCKER_LAUNCHER_H
#define JOCKER_LAUNCHER_H

#include "plan.h"

#include <stdnoreturn.h>

/* Fixed descriptors given by Java: the plan and later commands arrive on 3, reports leave on 4. */
#define PLAN_FD 3
#define REPORT_FD 4

/* Messages on the monitor <-> init socket (SOCK_SEQPACKET: one message per send). */
enum sync_msg {
	SYNC_GO = 'G',       /* monitor -> init: maps and cgroups are in place */
	SYNC_ERROR = 'E',    /* init -> monitor: followed by the message; init then exits */
	SYNC_HOOKS = 'H',    /* init -> monitor: paused before pivot_root for createRuntime hooks */
	SYNC_STATE = 'J',    /* monitor -> init: go on; followed by the state JSON for hooks */
	SYNC_READY = 'R',    /* init -> monitor: set up, waiting for start */
	SYNC_START = 'S',    /* monitor -> init: exec the user process */
};

#define MSG_MAX 65536

/* Container init: runs in the child of clone(); never returns. */
/* log_fds: write ends of the stdout/stderr log pipes, dup2'd onto 1 and 2 (-1: keep stdio). */
noreturn void init_main(struct plan *p, int sync_fd, const int log_fds[2]);

/* Reports a fatal setup error to the monitor (formatted, with errno text if errnum != 0), exits. */
noreturn void init_fail(int errnum, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* rootfs.c: mounts, devices, pivot_root, masked and read-only paths. */
void rootfs_prepare(struct plan *p);
void rootfs_pivot(struct plan *p);
void rootfs_finish(struct plan *p);

/* security.c: rlimits, user and groups, capabilities, no_new_privs, seccomp. */
void security_rlimits(struct plan *p);
void security_drop_bounding(struct plan *p);
void security_set_user(struct plan *p);
void security_set_caps(struct plan *p);
void security_seccomp(struct plan *p);

/* log.c: the container's stdout and stderr as Docker's json-file log (PLAN_LOG). */
#define LOG_LINE_MAX 16384

struct log_line {
	char buf[LOG_LINE_MAX];
	size_t len;
};

struct log {
	int fd[2]; /* read ends of the stdout and stderr pipes (non-blocking); -1 when closed */
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

/* Writes all of buf or fails. */
int write_all(int fd, const void *buf, size_t len);

#endif
