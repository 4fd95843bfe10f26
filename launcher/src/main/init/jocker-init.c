/*
 * jocker-init: the PID 1 of `jocker run --init` (Docker mounts tini at /sbin/docker-init; the
 * engine mounts this there). Usage: docker-init [--] PROGRAM [ARGS...]
 *
 * It runs the program as its child and then only waits for signals: every catchable signal is
 * forwarded to the child (a process that is PID 1 gets no default action for the signals it does
 * not handle, so `sleep` under init dies of SIGTERM while `sleep` as PID 1 ignores it), and every
 * child that ends is reaped, orphans included, so no zombie piles up. When the program ends, init
 * exits with its code, or 128+N when signal N killed it, as a shell would report it.
 *
 * libc only, statically linked: it runs in any image.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

/* Signals that are not forwarded: caused by init itself, or SIGCHLD which is how init learns of exits. */
static const int OWN_SIGNALS[] = {SIGFPE, SIGILL, SIGSEGV, SIGBUS, SIGABRT, SIGTRAP, SIGSYS, SIGTTIN, SIGTTOU};

static void fail(const char *what)
{
	fprintf(stderr, "jocker-init: %s: %s\n", what, strerror(errno));
	exit(125);
}

static int exit_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return 125;
}

/* Reaps every child that has ended; returns 1 and sets *code when one of them was the program. */
static int reap(pid_t program, int *code)
{
	int found = 0;
	for (;;) {
		int status;
		pid_t pid = waitpid(-1, &status, WNOHANG);
		if (pid <= 0) {
			if (pid < 0 && errno != ECHILD && errno != EINTR)
				fail("waitpid");
			return found;
		}
		if (pid == program) {
			*code = exit_code(status);
			found = 1;
		}
	}
}

int main(int argc, char **argv)
{
	int first = 1;
	if (first < argc && strcmp(argv[first], "--") == 0)
		first++;
	if (first >= argc) {
		fprintf(stderr, "usage: docker-init [--] PROGRAM [ARGS...]\n");
		return 125;
	}

	/* Outside a PID namespace of its own, orphans must still come to us. */
	if (getpid() != 1 && prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0)
		fail("prctl(PR_SET_CHILD_SUBREAPER)");

	sigset_t all, original;
	sigfillset(&all);
	for (size_t i = 0; i < sizeof(OWN_SIGNALS) / sizeof(OWN_SIGNALS[0]); i++)
		sigdelset(&all, OWN_SIGNALS[i]);
	/* Blocked, not handled: a blocked signal reaches even a PID 1, and is picked up by sigwaitinfo. */
	if (sigprocmask(SIG_SETMASK, &all, &original) != 0)
		fail("sigprocmask");
	/* Background reads and writes on a terminal must not stop init. */
	signal(SIGTTIN, SIG_IGN);
	signal(SIGTTOU, SIG_IGN);

	pid_t program = fork();
	if (program < 0)
		fail("fork");
	if (program == 0) {
		signal(SIGTTIN, SIG_DFL);
		signal(SIGTTOU, SIG_DFL);
		sigprocmask(SIG_SETMASK, &original, NULL);
		execvp(argv[first], &argv[first]);
		int err = errno;
		fprintf(stderr, "jocker-init: exec %s failed: %s\n", argv[first], strerror(err));
		_exit(err == ENOENT ? 127 : 126);
	}

	int code = 0;
	for (;;) {
		siginfo_t info;
		int sig = sigwaitinfo(&all, &info);
		if (sig < 0) {
			if (errno == EINTR)
				continue;
			fail("sigwaitinfo");
		}
		if (sig == SIGCHLD) {
			if (reap(program, &code))
				return code;
			continue;
		}
		/* The program may be gone and not reaped yet: nothing to do then. */
		if (kill(program, sig) != 0 && errno != ESRCH)
			fail("kill");
	}
}
