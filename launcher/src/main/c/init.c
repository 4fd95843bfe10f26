/*
 * The container init: the child of clone(). Joins namespaces, builds the root filesystem, applies
 * the process settings, reports ready and waits for `start`, then execs the user's program. Every
 * failure is sent to the monitor as one line and ends this process before the user program runs.
 */
#include "launcher.h"
#include "safe_fs.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static int sync_fd = -1;

noreturn void init_fail(int errnum, const char *fmt, ...)
{
	char msg[MSG_MAX];
	msg[0] = SYNC_ERROR;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(msg + 1, sizeof(msg) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	size_t len = 1 + ((size_t)n < sizeof(msg) - 1 ? (size_t)n : sizeof(msg) - 2);
	if (errnum)
		len += (size_t)snprintf(msg + len, sizeof(msg) - len, ": %s", strerror(errnum));
	send(sync_fd, msg, len < sizeof(msg) ? len : sizeof(msg) - 1, MSG_NOSIGNAL);
	_exit(1);
}

/* Blocks for the next message from the monitor; EOF means the monitor is gone: never run then. */
static ssize_t sync_wait(char *buf, size_t cap, char expected)
{
	ssize_t n;
	do
		n = recv(sync_fd, buf, cap - 1, 0);
	while (n < 0 && errno == EINTR);
	if (n <= 0 || buf[0] != expected)
		_exit(1);
	buf[n] = 0;
	return n;
}

/*
 * The listener of a filter with SCMP_ACT_NOTIFY rules goes to the monitor, which hands it to the
 * seccomp agent. At once: any call from here on may be one that waits for the agent's answer.
 * sendmsg cannot be such a call (the profile is refused); close may, and then waits for the agent,
 * which by then has the listener.
 */
static void pass_seccomp_listener(int listener)
{
	if (listener < 0)
		return;
	char msg = SYNC_SECCOMP;
	if (send_with_fds(sync_fd, &msg, 1, &listener, 1) < 0)
		_exit(1); /* the monitor is gone */
	close(listener);
}

/* Waits for SYNC_GO, taking the bind sources the monitor may send first (bind_sources.c). */
static void wait_for_go(struct plan *p)
{
	char msg[MSG_MAX];
	for (;;) {
		int fds[8];
		size_t nfds = 0;
		ssize_t n = recv_with_fds(sync_fd, msg, sizeof(msg), fds, 8, &nfds);
		if (n > 0 && msg[0] == SYNC_GO && nfds == 0)
			return;
		if (n <= 0 || msg[0] != SYNC_BIND_SOURCES)
			_exit(1);
		if (bind_sources_receive(p, msg, (size_t)n, fds, nfds) < 0)
			init_fail(errno, "cannot take the bind mount sources");
	}
}

/* The other namespaces given by path were joined before we were born (spawn.c). */
static void join_mount_namespace(struct plan *p)
{
	for (size_t i = 0; i < p->n_joins; i++) {
		if (p->joins[i].nstype != CLONE_NEWNS)
			continue;
		int fd = open(p->joins[i].path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			init_fail(errno, "cannot open namespace %s", p->joins[i].path);
		if (setns(fd, CLONE_NEWNS) < 0)
			init_fail(errno, "cannot join namespace %s", p->joins[i].path);
		close(fd);
	}
}

/* CVE-2025-52881: written through a verified procfs (safe_fs.c), never a path the container may
 * have covered with a mount or a symlink (an exec's /proc is the container's). */
static void write_proc(const char *dir, const char *file, const char *value)
{
	procfs_write(dir, file, value);
}

/* Sysctls of the container's namespaces, written before pivot_root: /proc/sys/net and the ipc keys
 * show the writer's own namespaces. Resolved beneath /proc/sys, so a key cannot name another file. */
static void apply_sysctls(struct plan *p)
{
	char path[4096];
	for (size_t i = 0; i < p->n_sysctls; i++) {
		snprintf(path, sizeof(path), "%s", p->sysctls[i].a);
		for (char *c = path; *c; c++)
			if (*c == '.')
				*c = '/';
		write_proc("sys", path, p->sysctls[i].b);
	}
}

static void apply_oom_score_adj(struct plan *p)
{
	char value[32];
	if (p->has_oom_score_adj) {
		snprintf(value, sizeof(value), "%lld", (long long)p->oom_score_adj);
		write_proc("self", "oom_score_adj", value);
	}
}

/* Runs one hook with the state JSON on stdin, honouring its timeout. Returns its wait status. */
static int run_hook(struct plan_hook *h, const char *state)
{
	/* A socket, not a pipe: a hook that exits without reading its stdin must not kill us with
	 * SIGPIPE (send's MSG_NOSIGNAL), and the container's program must not inherit an ignored one. */
	int in[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in) < 0)
		return -1;
	pid_t pid = fork();
	if (pid < 0) {
		int saved = errno;
		close(in[0]);
		close(in[1]);
		errno = saved;
		return -1;
	}
	if (pid == 0) {
		/* A hook gets the state on stdin and nothing of ours beyond stdio. */
		if (dup2(in[0], 0) < 0 || close_fds_except(3, -1) < 0)
			_exit(127);
		execve(h->argv[0], h->argv, h->envp);
		_exit(127);
	}
	close(in[0]);
	send_all(in[1], state, strlen(state)); /* a hook that closed its stdin: its exit status decides */
	close(in[1]);
	int status = 0;
	for (uint64_t waited_ms = 0;; waited_ms += 10) {
		pid_t r = waitpid(pid, &status, h->timeout ? WNOHANG : 0);
		if (r == pid)
			return status;
		if (r < 0)
			return -1;
		if (waited_ms >= h->timeout * 1000) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			errno = ETIMEDOUT;
			return -1;
		}
		nanosleep(&(struct timespec){ .tv_nsec = 10000000 }, NULL);
	}
}

/* A failure in runc's words ("error running hook #0: exit status 1", or
 * "signal: bad system call" for a hook the container's seccomp filter killed), with the path. */
static void run_hooks(struct plan *p, uint64_t phase, const char *state)
{
	const char *name = phase == HOOK_CREATE_CONTAINER ? "createContainer" : "startContainer";
	size_t n = 0;
	for (size_t i = 0; i < p->n_hooks; i++) {
		if (p->hooks[i].phase != phase)
			continue;
		const char *path = p->hooks[i].argv[0];
		int status = run_hook(&p->hooks[i], state);
		if (status < 0)
			init_fail(errno, "error running hook #%zu (%s %s)", n, name, path);
		if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
			init_fail(0, "error running hook #%zu (%s %s): exit status %d", n, name, path,
				  WEXITSTATUS(status));
		if (WIFSIGNALED(status)) {
			char sig[64];
			snprintf(sig, sizeof(sig), "%s", strsignal(WTERMSIG(status)));
			sig[0] = (char)tolower((unsigned char)sig[0]); /* Go's spelling: "bad system call" */
			init_fail(0, "error running hook #%zu (%s %s): signal: %s", n, name, path, sig);
		}
		n++;
	}
}

/* Connects to the console socket while its host path still resolves (before pivot_root). */
static int connect_console_socket(struct plan *p)
{
	if (!p->console_socket)
		return -1;
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	if (strlen(p->console_socket) >= sizeof(addr.sun_path))
		init_fail(0, "console socket path too long: %s", p->console_socket);
	strcpy(addr.sun_path, p->console_socket);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0)
		init_fail(errno, "cannot connect to console socket %s", p->console_socket);
	return fd;
}

static void send_fd(int sock, int fd, const char *payload)
{
	if (send_with_fds(sock, payload, strlen(payload), &fd, 1) < 0)
		init_fail(errno, "cannot send the terminal to the console socket");
}

/*
 * CVE-2025-52565: binds the pty slave over /dev/console without resolving a path at mount time. The
 * target is opened without following symlinks in the container's /dev and must be a regular file
 * or a character device; the bind goes from the slave's descriptor to the target's (safe_fs.c).
 */
static void bind_console(int slave)
{
	struct open_how how = { .flags = O_PATH | O_DIRECTORY | O_CLOEXEC,
				.resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS };
	int dev = (int)syscall(SYS_openat2, AT_FDCWD, "/dev", &how, sizeof(how));
	if (dev < 0 && errno == ENOENT)
		return; /* no /dev: no console to provide */
	if (dev < 0)
		init_fail(errno, "/dev/console: cannot open /dev");
	int made = openat(dev, "console", O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (made >= 0) {
		close(made);
	} else if (errno != EEXIST) {
		close(dev); /* a read-only /dev without a console: none, as before */
		return;
	}
	int target = openat(dev, "console", O_PATH | O_NOFOLLOW | O_CLOEXEC);
	close(dev);
	struct stat st;
	if (target < 0 || fstat(target, &st) < 0)
		init_fail(errno, "cannot open /dev/console");
	if (!S_ISREG(st.st_mode) && !S_ISCHR(st.st_mode))
		init_fail(0, "/dev/console is %s, not a file or a character device: refusing to mount over it",
			  S_ISLNK(st.st_mode) ? "a symlink" : "of another type");
	int mnt = bind_fd(slave, target, 0);
	if (mnt < 0)
		init_fail(errno, "cannot bind the terminal over /dev/console");
	close(mnt);
	close(target);
}

/* Opens a pty in the container's devpts, hands the master to the console socket (or to the
 * monitor over the sync socket), and makes the slave our controlling terminal and stdio (and, in a
 * new container, /dev/console; an exec leaves the running container's mounts alone). */
static void setup_terminal(struct plan *p, int console_sock)
{
	int master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
	struct stat st;
	if (master < 0 || fstat(master, &st) < 0)
		init_fail(errno, "cannot open /dev/ptmx");
	if (!S_ISCHR(st.st_mode) || st.st_rdev != makedev(5, 2))
		init_fail(0, "/dev/ptmx is not the pty multiplexer");
	int unlock = 0;
	char name[64];
	if (ioctl(master, TIOCSPTLCK, &unlock) < 0 || ptsname_r(master, name, sizeof(name)) != 0)
		init_fail(errno, "cannot set up the pty");
	/* The peer of this master, not whatever the path ptsname gives resolves to. */
	int slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (slave < 0)
		init_fail(errno, "cannot open %s", name);
	if (p->console_rows) {
		struct winsize ws = { .ws_row = (unsigned short)p->console_rows,
				      .ws_col = (unsigned short)p->console_cols };
		if (ioctl(slave, TIOCSWINSZ, &ws) < 0)
			init_fail(errno, "cannot set the terminal size");
	}
	if (!p->tenant)
		bind_console(slave);
	if (console_sock == sync_fd) {
		char msg[] = { SYNC_CONSOLE, 0 };
		send_fd(console_sock, master, msg);
	} else {
		send_fd(console_sock, master, "/dev/ptmx");
		close(console_sock);
	}
	close(master);
	if (setsid() < 0)
		init_fail(errno, "cannot start a session for the terminal");
	if (ioctl(slave, TIOCSCTTY, 0) < 0)
		init_fail(errno, "cannot make %s the controlling terminal", name);
	for (int fd = 0; fd < 3; fd++)
		if (dup2(slave, fd) < 0)
			init_fail(errno, "cannot make %s the standard streams", name);
	close(slave);
}

/* As runc: the standard streams (a pty made just now, the caller's pipes or files) become the
 * process user's, so that it may reopen them (/dev/stdout, /proc/self/fd/N, its tty) once it is no
 * longer root; /dev/null stays root's. A stream whose owner or the user's group is not mapped in a
 * user namespace, or on a read-only filesystem, is left as it is. */
static void give_stdio_to_user(struct plan *p)
{
	for (int fd = 0; fd < 3; fd++) {
		struct stat st;
		if (fstat(fd, &st) < 0 || st.st_uid == (uid_t)p->uid)
			continue;
		if (S_ISCHR(st.st_mode) && st.st_rdev == makedev(1, 3))
			continue;
		if (fchown(fd, (uid_t)p->uid, (gid_t)-1) < 0 && errno != EINVAL && errno != EPERM && errno != EROFS)
			init_fail(errno, "cannot give standard stream %d to user %llu", fd, (unsigned long long)p->uid);
	}
}

static const char *find_env(struct plan *p, const char *name)
{
	size_t len = strlen(name);
	for (size_t i = 0; i < p->n_env; i++)
		if (strncmp(p->env[i], name, len) == 0 && p->env[i][len] == '=')
			return p->env[i] + len + 1;
	return NULL;
}

/* Resolves argv[0] in the container's PATH before start, so a missing program fails `create`
 * with a clear message (as runc does) instead of an exit code after `start`. */
static char *resolve_program(struct plan *p)
{
	const char *prog = p->args[0];
	if (strchr(prog, '/')) {
		if (access(prog, X_OK) < 0)
			init_fail(errno, "exec: \"%s\"", prog);
		return (char *)prog;
	}
	const char *path = find_env(p, "PATH");
	if (!path)
		path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
	static char full[4096];
	int denied = 0;
	for (const char *dir = path; dir;) {
		const char *colon = strchr(dir, ':');
		size_t dlen = colon ? (size_t)(colon - dir) : strlen(dir);
		snprintf(full, sizeof(full), "%.*s/%s", (int)dlen, dlen ? dir : ".", prog);
		struct stat st;
		if (stat(full, &st) == 0 && S_ISREG(st.st_mode)) {
			if (access(full, X_OK) == 0)
				return full;
			denied = 1;
		}
		dir = colon ? colon + 1 : NULL;
	}
	if (denied)
		init_fail(EACCES, "exec: \"%s\"", prog);
	init_fail(0, "exec: \"%s\": executable file not found in $PATH", prog);
}

/*
 * A new container: its root filesystem, and the hooks around pivot_root. Without a mount namespace
 * of its own (none created, none joined) it shares the host's: nothing is mounted there (it would
 * stay on the host), the init only changes its root.
 */
static const char *setup_container(struct plan *p)
{
	char msg[MSG_MAX];
	int own_mounts = plan_has_namespace(p, CLONE_NEWNS);
	if (p->hostname && sethostname(p->hostname, strlen(p->hostname)) < 0)
		init_fail(errno, "sethostname");
	if (p->domainname && setdomainname(p->domainname, strlen(p->domainname)) < 0)
		init_fail(errno, "setdomainname");
	apply_sysctls(p);
	if (own_mounts)
		rootfs_prepare(p);
	const char *state = "";
	if (p->hook_pause) {
		char h = SYNC_HOOKS;
		if (send(sync_fd, &h, 1, MSG_NOSIGNAL) != 1)
			_exit(1); /* the monitor is gone */
		sync_wait(msg, sizeof(msg), SYNC_STATE);
		state = strdup(msg + 1);
	}
	/* runc runs createContainer hooks from the container's root, before pivot_root: their cwd. */
	if (chdir(p->rootfs) < 0)
		init_fail(errno, "chdir %s", p->rootfs);
	run_hooks(p, HOOK_CREATE_CONTAINER, state);
	if (!own_mounts) {
		rootfs_chroot(p->rootfs);
		return state;
	}
	rootfs_pivot(p);
	rootfs_finish(p);
	return state;
}

/*
 * CVE-2024-21626: a working directory reached through a host descriptor or a host process's /proc
 * link lies outside the container's root. The kernel's getcwd then answers "(unreachable)/..."
 * instead of an absolute path (glibc's getcwd turns that into ENOENT): check the raw answer.
 */
static void check_cwd_inside_root(const char *cwd)
{
	char buf[4096];
	if (syscall(SYS_getcwd, buf, sizeof(buf)) < 0)
		init_fail(errno, "cannot check the working directory %s", cwd ? cwd : "/");
	if (buf[0] != '/')
		init_fail(0, "working directory %s is outside the container's root filesystem",
			  cwd ? cwd : "(inherited)");
}

/* Leaves stdio, the preserved descriptors and the sync socket (close-on-exec): no other descriptor
 * may reach the container. */
static void close_all_but_sync(const char *when)
{
	if (close_fds_except(preserved_fds_end(), sync_fd) < 0)
		init_fail(errno, "cannot close the descriptors %s", when);
}

noreturn void init_main(struct plan *p, int fd, const int log_fds[2])
{
	sync_fd = fd;
	/*
	 * Until exec, no process of the container may open /proc/PID/{fd,cwd,root} of this one (an
	 * exec joins a running container, whose processes see it): not dumpable, only CAP_SYS_PTRACE
	 * in the host's user namespace passes the check. exec makes the user program dumpable again.
	 */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		init_fail(errno, "cannot make the init non-dumpable");
	/* The copies on 1 and 2 are the only log pipe ends we keep. */
	for (int i = 0; i < 2; i++) {
		if (log_fds[i] >= 0 && dup2(log_fds[i], 1 + i) < 0)
			init_fail(errno, "cannot set up the log pipes");
	}
	if (preserved_fds_place() < 0)
		init_fail(errno, "cannot pass on the preserved descriptors");
	/* Everything else the monitor had (plan and report pipes, state directory, its socket,
	 * signalfd, log file and pipes) is closed, not just marked close-on-exec (CVE-2024-21626). */
	close_all_but_sync("inherited from the monitor");
	if (fcntl(sync_fd, F_SETFD, FD_CLOEXEC) < 0)
		init_fail(errno, "cannot mark the sync socket close-on-exec");
	char msg[MSG_MAX];
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
		init_fail(errno, "cannot set the parent-death signal");
	wait_for_go(p);

	/* While our uid is still the host's root: with a user namespace's uid, a non-dumpable
	 * process may not write its own /proc files (they then belong to the host's root). */
	apply_oom_score_adj(p);
	/* The console socket's path is a host path: connect before entering any mount namespace. */
	int console_sock = p->terminal_monitor ? sync_fd : connect_console_socket(p);
	join_mount_namespace(p);
	if (plan_has_namespace(p, CLONE_NEWUSER)) {
		/* Become root of the user namespace (new or joined) for the setup below, as runc does. */
		if (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0)
			init_fail(errno, "cannot become root in the user namespace");
	}
	/* Now that the monitor has put us in our cgroups, they become the namespace's root. */
	if ((p->clone_flags & CLONE_NEWCGROUP) && unshare(CLONE_NEWCGROUP) < 0)
		init_fail(errno, "cannot create the cgroup namespace");
	/* A process joining a running container (exec) finds its root set up by setns(mnt), or, in a
	 * container without a mount namespace, enters its init's root. */
	if (p->tenant && p->chroot)
		rootfs_chroot(p->chroot);
	const char *state = p->tenant ? "" : setup_container(p);
	if (console_sock >= 0)
		setup_terminal(p, console_sock);
	security_rlimits(p);
	char *program = resolve_program(p);

	/* Nothing opened during the setup (rootfs, namespaces, terminal) may stay either. */
	close_all_but_sync("left by the setup");
	security_drop_bounding(p);
	if (!p->no_new_privs) /* needs CAP_SYS_ADMIN without no_new_privs: before the drop */
		pass_seccomp_listener(security_seccomp(p));
	/* As root first (it may enter any directory), then as the user if that failed. */
	int cwd_ok = !p->cwd || chdir(p->cwd) == 0;
	give_stdio_to_user(p);
	security_set_user(p);
	if (!cwd_ok && chdir(p->cwd) < 0)
		init_fail(errno, "chdir %s", p->cwd);
	check_cwd_inside_root(p->cwd);
	security_set_caps(p);
	if (p->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		init_fail(errno, "no_new_privs");
	if (p->no_new_privs)
		pass_seccomp_listener(security_seccomp(p));

	char ready = SYNC_READY;
	if (send(sync_fd, &ready, 1, MSG_NOSIGNAL) != 1)
		_exit(1); /* the monitor is gone */
	sync_wait(msg, sizeof(msg), SYNC_START);
	run_hooks(p, HOOK_START_CONTAINER, state);
	if (prctl(PR_SET_PDEATHSIG, 0) < 0)
		init_fail(errno, "cannot clear the parent-death signal");
	execve(program, p->args, p->env);
	init_fail(errno, "exec %s", program);
}
