/*
 * close_fds_except (security.c) in each of its three ways, on the real kernel: close_range; the
 * /proc/self/fd listing when close_range is refused (a seccomp filter answers ENOSYS, as an old
 * kernel does); every number up to the limit when /proc is not there either (a tmpfs over it).
 * Run by `make check` (Maven's test phase); exits non-zero with a message on the first failure.
 */
#include "../../main/c/launcher.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

noreturn void init_fail(int errnum, const char *fmt, ...)
{
	(void)errnum;
	(void)fmt;
	_exit(99);
}

enum way { CLOSE_RANGE, PROC_LISTING, EVERY_NUMBER };
static const char *const names[] = { "close_range", "/proc/self/fd", "every number" };

static int fail(const char *what)
{
	fprintf(stderr, "close_fds_test: %s (%s)\n", what, strerror(errno));
	return 1;
}

static int refuse_close_range(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_close_range, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof(f) / sizeof(f[0]), .filter = f };
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0)
		return -1;
	/* The fallback is what runs: close_range must now be refused. */
	if (syscall(SYS_close_range, 1000U, 1000U, 0U) == 0 || errno != ENOSYS)
		return -1;
	return 0;
}

static int hide_proc(void)
{
	if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_PRIVATE | MS_REC, NULL) < 0 ||
	    mount("tmpfs", "/proc", "tmpfs", 0, NULL) < 0)
		return -1;
	if (open("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC) >= 0)
		return -1;
	return 0;
}

static int check(enum way way)
{
	if (way >= PROC_LISTING && refuse_close_range() < 0)
		return fail("cannot refuse close_range");
	if (way == EVERY_NUMBER && hide_proc() < 0)
		return fail("cannot hide /proc");
	int fds[8];
	for (int i = 0; i < 8; i++) {
		fds[i] = open("/dev/null", i % 2 ? O_RDONLY | O_CLOEXEC : O_RDONLY);
		if (fds[i] < 0)
			return fail("open /dev/null");
	}
	int high = dup2(fds[0], 900);
	if (high < 0)
		return fail("dup2 to 900");
	int keep = fds[3];
	if (close_fds_except(3, keep) < 0)
		return fail("close_fds_except failed");
	for (int i = 0; i < 8; i++)
		if (fds[i] != keep && fcntl(fds[i], F_GETFD) >= 0)
			return fail("a descriptor stayed open");
	if (fcntl(high, F_GETFD) >= 0)
		return fail("descriptor 900 stayed open");
	if (fcntl(keep, F_GETFD) < 0)
		return fail("the kept descriptor was closed");
	for (int fd = 0; fd < 3; fd++)
		if (fcntl(fd, F_GETFD) < 0)
			return fail("stdio was closed");
	return 0;
}

int main(void)
{
	for (enum way way = CLOSE_RANGE; way <= EVERY_NUMBER; way++) {
		pid_t pid = fork();
		if (pid < 0)
			return fail("fork");
		if (pid == 0)
			_exit(check(way));
		int status;
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			fprintf(stderr, "close_fds_test: %s: FAILED\n", names[way]);
			return 1;
		}
		printf("close_fds_test: %s: ok\n", names[way]);
		fflush(stdout);
	}
	return 0;
}
