/*
 * jocker-launcher: the only native part of Jocker. Java starts it with the launch plan on fd 3 and
 * a report pipe on fd 4. It re-executes itself from a sealed memfd (CVE-2019-5736), forks the
 * monitor into its own session and exits at once, so the monitor is never a child of the JVM.
 * The monitor clones the container init (init.c), puts it in its cgroups and id maps, reports to
 * Java, then stays behind: it serves `start` on a unix socket in the state directory, forwards
 * signals, reaps, and records the exit status in `exit` (atomically) when the container ends. With
 * PLAN_TERMINAL_RELAY it also relays the container's terminal to the caller's (relay.c).
 */
#include "launcher.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/sendfile.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CONTROL_SOCKET "monitor.sock"
/* Linux 6.3's MFD_EXEC, for glibc headers that predate it */
#ifdef MFD_EXEC
#define MFD_EXEC_IF_KNOWN MFD_EXEC
#else
#define MFD_EXEC_IF_KNOWN 0x0010U
#endif

/*
 * CVE-2019-5736: a process in the container could open /proc/PID/exe of this program while it is
 * still the launcher and overwrite the host binary. Run from an anonymous, write-sealed copy instead.
 * Java spawns us from one such copy that it shares between all the monitors it starts (as runc
 * >= 1.2 shares one read-only copy): a memfd sealed against writes, size changes and further seals
 * is immutable for good, so we need no copy of our own then. Only the seals are trusted, never the
 * caller's word (an environment variable): F_GET_SEALS fails on anything but a memfd.
 */
static int running_from_sealed_copy(void)
{
	const int immutable = F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE;
	int exe = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	if (exe < 0)
		return 0;
	int seals = fcntl(exe, F_GET_SEALS);
	close(exe);
	return seals >= 0 && (seals & immutable) == immutable;
}

static void reexec_sealed(char **argv)
{
	if (running_from_sealed_copy())
		return;
	int src = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	/* MFD_EXEC (6.3+): executable also where vm.memfd_noexec = 1; older kernels reject the flag */
	int mfd = memfd_create("jocker-launcher", MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC_IF_KNOWN);
	if (mfd < 0 && errno == EINVAL)
		mfd = memfd_create("jocker-launcher", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	struct stat st;
	if (src < 0 || mfd < 0 || fstat(src, &st) < 0)
		goto fail;
	for (off_t off = 0; off < st.st_size;) {
		ssize_t n = sendfile(mfd, src, &off, (size_t)(st.st_size - off));
		if (n <= 0)
			goto fail;
	}
	if (fcntl(mfd, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE) < 0)
		goto fail;
	close(src);
	extern char **environ;
	fexecve(mfd, argv, environ);
fail:
	dprintf(REPORT_FD, "error cannot run the launcher from a sealed copy: %s\n", strerror(errno));
	_exit(125);
}

static void report(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void report(const char *fmt, ...)
{
	char buf[MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > 0)
		write_all(REPORT_FD, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

static int write_file(const char *path, const char *data)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int r = write_all(fd, data, strlen(data));
	int saved = errno;
	close(fd);
	errno = saved;
	return r;
}

struct monitor {
	struct plan *plan;
	pid_t init_pid;
	int born_in; /* the cgroup.procs the init was born in (spawn_init), else -1 */
	int sync_fd;
	int listen_fd;
	int sig_fd;
	int state_fd; /* O_PATH of the state directory */
	int pty;      /* the pty master with PLAN_TERMINAL_MONITOR, else -1 */
	struct log *log;
	struct attach *attach;
	struct relay *relay; /* with PLAN_TERMINAL_RELAY, else NULL */
	struct oom_watch oom; /* with PLAN_CGROUP_HANDSHAKE (a systemd scope), else fd -1 */
	int unread_fd; /* with PLAN_KILL_UNREAD: a copy of stdout, the write end of the caller's pipe, else -1 */
};

static noreturn void abort_create(struct monitor *m, const char *msg)
{
	report("error %s\n", msg);
	if (m->init_pid > 0) {
		kill(m->init_pid, SIGKILL);
		waitpid(m->init_pid, NULL, 0);
	}
	_exit(1);
}

/* Reads the state JSON that Java sends after createRuntime hooks: u32 length, bytes. */
static int read_hook_reply(char *buf, size_t cap)
{
	uint32_t len;
	if (read(PLAN_FD, &len, sizeof(len)) != sizeof(len) || len >= cap)
		return -1;
	size_t done = 0;
	while (done < len) {
		ssize_t n = read(PLAN_FD, buf + done, len - done);
		if (n <= 0)
			return -1;
		done += (size_t)n;
	}
	buf[len] = 0;
	return (int)len;
}

/*
 * Hands the seccomp filter's listener to the agent at linux.seccomp.listenerPath (a host path, or
 * "@name" for an abstract socket, as runc's Go dial reads it), with runc's ContainerProcessState
 * JSON. The process waits in its first notified call until the agent answers; without an agent
 * the create fails, as runc's does.
 */
static void pass_on_seccomp_listener(struct monitor *m, int listener)
{
	struct plan *p = m->plan;
	char err[512];
	const char *path = p->seccomp_listener;
	if (!path) {
		close(listener);
		abort_create(m, "a seccomp listener without linux.seccomp.listenerPath");
	}
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	size_t len = strlen(path);
	int sock = -1;
	if (len == 0 || len >= sizeof(addr.sun_path)) {
		errno = ENAMETOOLONG;
	} else {
		memcpy(addr.sun_path, path, len);
		if (path[0] == '@')
			addr.sun_path[0] = 0;
		socklen_t alen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len + (path[0] != '@'));
		sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (sock >= 0 && connect(sock, (struct sockaddr *)&addr, alen) < 0) {
			int saved = errno;
			close(sock);
			sock = -1;
			errno = saved;
		}
	}
	if (sock < 0) {
		snprintf(err, sizeof(err),
			 "failed to connect with seccomp agent specified in the seccomp profile: %s: %s", path,
			 strerror(errno));
		close(listener);
		abort_create(m, err);
	}
	int state_pid = p->seccomp_state_pid ? (int)p->seccomp_state_pid : m->init_pid;
	char *json = NULL;
	int n = asprintf(&json, "{\"ociVersion\":\"1.0.2\",\"fds\":[\"seccompFd\"],\"pid\":%d%s%s,"
			 "\"state\":%s,\"pid\":%d}}", m->init_pid, p->seccomp_metadata[0] ? ",\"metadata\":" : "",
			 p->seccomp_metadata, p->seccomp_state, state_pid);
	if (n < 0 || send_with_fds(sock, json, (size_t)n, &listener, 1) < 0) {
		snprintf(err, sizeof(err), "cannot send the seccomp listener to %s: %s", path, strerror(errno));
		close(listener);
		abort_create(m, err);
	}
	free(json);
	close(sock);
	close(listener);
}

/* Drives init from clone to "waiting for start", talking to Java over fds 3 and 4. */
static void create_container(struct monitor *m)
{
	struct plan *p = m->plan;
	char msg[MSG_MAX];
	if (p->cgroup_handshake) {
		/* Java makes the cgroup now (a systemd scope needs a process to exist), then answers. */
		report("cgroup %d %d\n", m->init_pid, (int)getpid());
		uint32_t reply;
		if (read(PLAN_FD, &reply, sizeof(reply)) != sizeof(reply) || reply != 0)
			abort_create(m, "the container's cgroup could not be made");
	}
	for (size_t i = 0; i < p->n_cgroup_procs; i++) {
		if ((int)i == m->born_in)
			continue;
		char pid[32];
		snprintf(pid, sizeof(pid), "%d", m->init_pid);
		if (write_file(p->cgroup_procs[i], pid) < 0) {
			snprintf(msg, sizeof(msg), "cannot join cgroup %s: %s", p->cgroup_procs[i],
				 strerror(errno));
			abort_create(m, msg);
		}
	}
	if (p->cgroup_handshake)
		oom_watch_start(&m->oom, p);
	const char *maps[2][2] = { { "uid_map", p->uid_map }, { "gid_map", p->gid_map } };
	for (int i = 0; i < 2; i++) {
		if (!maps[i][1])
			continue;
		char path[64];
		snprintf(path, sizeof(path), "/proc/%d/%s", m->init_pid, maps[i][0]);
		if (write_file(path, maps[i][1]) < 0) {
			snprintf(msg, sizeof(msg), "cannot write %s: %s", maps[i][0], strerror(errno));
			abort_create(m, msg);
		}
	}
	if (bind_sources_wanted(p) && bind_sources_send(p, m->init_pid, m->sync_fd) < 0) {
		snprintf(msg, sizeof(msg), "cannot open the bind mount sources in the container's mount namespace: %s",
			 strerror(errno));
		abort_create(m, msg);
	}
	char go = SYNC_GO;
	if (send(m->sync_fd, &go, 1, MSG_NOSIGNAL) != 1)
		abort_create(m, "container init exited during setup");
	for (;;) {
		int passed = -1;
		ssize_t n = recv_with_fd(m->sync_fd, msg, sizeof(msg), &passed);
		if (n <= 0)
			abort_create(m, "container init exited during setup");
		if (msg[0] == SYNC_CONSOLE && passed >= 0) {
			m->pty = passed;
			continue;
		}
		if (msg[0] == SYNC_SECCOMP && passed >= 0) {
			pass_on_seccomp_listener(m, passed);
			continue;
		}
		if (msg[0] == SYNC_ERROR)
			abort_create(m, msg + 1);
		if (msg[0] == SYNC_READY)
			break;
		if (msg[0] == SYNC_HOOKS) {
			report("hooks %d %d\n", m->init_pid, (int)getpid());
			msg[0] = SYNC_STATE;
			int len = read_hook_reply(msg + 1, sizeof(msg) - 1);
			if (len < 0)
				abort_create(m, "createRuntime hooks failed");
			if (send(m->sync_fd, msg, (size_t)len + 1, MSG_NOSIGNAL) != len + 1)
				abort_create(m, "container init exited during setup");
		}
	}
	report("created %d %d\n", m->init_pid, (int)getpid());
	close(PLAN_FD);
	close(REPORT_FD);
}

/*
 * The socket lives in the state directory, whose path may be longer than a sockaddr_un allows
 * (podman's ids alone are 64 characters): bind through /proc/self/fd/DIRFD/ instead.
 */
static void open_control_socket(struct monitor *m)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	m->state_fd = open(m->plan->state_dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (m->state_fd < 0)
		abort_create(m, "cannot open the state directory");
	snprintf(addr.sun_path, sizeof(addr.sun_path), "/proc/self/fd/%d/" CONTROL_SOCKET, m->state_fd);
	unlinkat(m->state_fd, CONTROL_SOCKET, 0);
	m->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	mode_t old = umask(0077);
	int r = bind(m->listen_fd, (struct sockaddr *)&addr, sizeof(addr));
	umask(old);
	if (m->listen_fd < 0 || r < 0 || listen(m->listen_fd, 8) < 0)
		abort_create(m, "cannot listen on the monitor socket");
}

/* Sends SYNC_START and waits for init to exec (EOF on the CLOEXEC socket) or to fail. */
static void start_container(struct monitor *m, int client)
{
	char msg[MSG_MAX];
	if (m->sync_fd < 0) {
		dprintf(client, "error container already started\n");
		return;
	}
	char start = SYNC_START;
	if (send(m->sync_fd, &start, 1, MSG_NOSIGNAL) != 1) {
		dprintf(client, "error container init is gone\n");
		return;
	}
	ssize_t n = recv_with_fd(m->sync_fd, msg, sizeof(msg), NULL);
	close(m->sync_fd);
	m->sync_fd = -1;
	if (n > 0 && msg[0] == SYNC_ERROR) {
		dprintf(client, "error %s\n", msg + 1);
		return;
	}
	dprintf(client, "ok\n");
	if (m->plan->handoff) {
		/* The container is reparented to the caller's subreaper, which reaps it. */
		unlinkat(m->state_fd, CONTROL_SOCKET, 0);
		_exit(0);
	}
}

static void serve_client(struct monitor *m)
{
	int client = accept4(m->listen_fd, NULL, NULL, SOCK_CLOEXEC);
	if (client < 0)
		return;
	struct ucred cred;
	socklen_t len = sizeof(cred);
	char cmd[128] = { 0 };
	struct timeval tv = { .tv_sec = 5 };
	setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (getsockopt(client, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0 || cred.uid != 0) {
		close(client);
		return;
	}
	/* One byte at a time: what follows the command line (attach frames) is not ours to read. */
	size_t used = 0;
	while (used < sizeof(cmd) - 1 && read(client, cmd + used, 1) == 1 && cmd[used] != '\n')
		used++;
	cmd[used] = 0;
	if (strcmp(cmd, "attach") == 0) {
		struct timeval none = { 0 };
		setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &none, sizeof(none));
		attach_add(m->attach, client);
		return;
	}
	if (strcmp(cmd, "start") == 0)
		start_container(m, client);
	else
		dprintf(client, "error unknown command\n");
	close(client);
}

static void write_exit_file(struct monitor *m, int status)
{
	char tmp[4096], dst[4096], body[64];
	snprintf(tmp, sizeof(tmp), "%s/exit.tmp", m->plan->state_dir);
	snprintf(dst, sizeof(dst), "%s/exit", m->plan->state_dir);
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	int n = snprintf(body, sizeof(body), "%d %lld\n", status,
			 (long long)now.tv_sec * 1000000000LL + now.tv_nsec);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return; /* the state dir was deleted: nobody is left to read it */
	write_all(fd, body, (size_t)n);
	fsync(fd);
	close(fd);
	rename(tmp, dst);
}

/*
 * podman's conmon --exit-command: once the exit is recorded, the engine's cleanup (restart policy,
 * --rm) runs detached from us, so it happens even when no jocker process is left. It gets the
 * monitor's stdio (/dev/null or the monitor log), no other descriptor, no blocked signal.
 */
static void run_exit_command(struct monitor *m)
{
	static char *const env[] = { "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", NULL };
	if (m->plan->n_exit_command == 0)
		return;
	pid_t pid = fork();
	if (pid < 0)
		dprintf(2, "jocker-monitor: cannot run %s: fork: %s\n", m->plan->exit_command[0], strerror(errno));
	if (pid != 0)
		return; /* the monitor exits next */
	signal(SIGPIPE, SIG_DFL); /* ignored for the attach clients; an ignored signal survives exec */
	sigset_t none;
	sigemptyset(&none);
	if (setsid() < 0 || sigprocmask(SIG_SETMASK, &none, NULL) < 0 || close_fds_except(3, -1) < 0) {
		dprintf(2, "jocker-monitor: cannot prepare %s: %s\n", m->plan->exit_command[0], strerror(errno));
		_exit(127);
	}
	execve(m->plan->exit_command[0], m->plan->exit_command, env);
	dprintf(2, "jocker-monitor: cannot run %s: %s\n", m->plan->exit_command[0], strerror(errno));
	_exit(127);
}

/*
 * With PLAN_KILL_UNREAD: a copy of stdout, the write end of a pipe that only the caller reads. poll
 * reports POLLERR on it once no read end is left: the caller died (it closes its end only after the
 * container has ended), and the container is killed instead of running on for no one.
 */
static void watch_reader(struct monitor *m)
{
	struct stat st;
	if (fstat(1, &st) < 0 || !S_ISFIFO(st.st_mode))
		abort_create(m, "the container's stdout must be a pipe for it to die with its reader");
	m->unread_fd = fcntl(1, F_DUPFD_CLOEXEC, 3);
	if (m->unread_fd < 0)
		abort_create(m, "cannot keep a copy of the container's stdout");
}

static void kill_if_unread(struct monitor *m, const struct pollfd *fd)
{
	if (!fd->revents)
		return;
	kill(m->init_pid, SIGKILL); /* its pid namespace's processes go with it */
	close(m->unread_fd);
	m->unread_fd = -1;
}

/* Signals a monitor receives are meant for the container. */
static const int forwarded[] = { SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH };

static noreturn void monitor_loop(struct monitor *m)
{
	for (;;) {
		/* poll skips the log pipes once closed (-1) */
		/* POLLERR alone is asked of the reader watch (events 0): it comes when no reader is left */
		struct pollfd fds[8 + ATTACH_MAX_CLIENTS] = { { m->sig_fd, POLLIN, 0 }, { m->listen_fd, POLLIN, 0 },
							       { m->log->fd[0], POLLIN, 0 },
							       { m->log->fd[1], POLLIN, 0 },
							       { -1, POLLIN, 0 }, { m->oom.fd, POLLIN, 0 },
							       { m->unread_fd, 0, 0 } };
		if (m->relay)
			relay_poll_fds(m->relay, fds + 4);
		size_t n = 7 + attach_poll_fds(m->attach, fds + 7);
		if (poll(fds, n, -1) < 0 && errno != EINTR)
			_exit(125);
		for (int i = 0; i < 2; i++)
			if (fds[2 + i].revents)
				log_read(m->log, i);
		if (fds[5].revents)
			oom_watch_record(&m->oom);
		kill_if_unread(m, &fds[6]);
		attach_handle(m->attach, fds + 7, n - 7);
		if (m->relay)
			relay_handle(m->relay, fds + 4);
		if (fds[1].revents & POLLIN)
			serve_client(m);
		if (!(fds[0].revents & POLLIN))
			continue;
		struct signalfd_siginfo si;
		if (read(m->sig_fd, &si, sizeof(si)) != sizeof(si))
			continue;
		if (si.ssi_signo == SIGWINCH && m->relay) {
			/* The caller's window changed: the kernel tells the container when its pty follows. */
			relay_resize(m->relay);
			continue;
		}
		if (si.ssi_signo != SIGCHLD) {
			kill(m->init_pid, (int)si.ssi_signo);
			continue;
		}
		/* First of all: the init's exit may empty a systemd scope, which systemd then removes. */
		oom_watch_record(&m->oom);
		/* As a subreaper we also collect orphans of a container without its own pid namespace. */
		int status;
		pid_t pid;
		while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
			if (pid != m->init_pid)
				continue;
			log_drain(m->log); /* all the output is in the log before the exit is */
			oom_watch_record(&m->oom); /* and an OOM kill of the init is counted */
			if (m->relay)
				relay_end(m->relay); /* the caller's terminal is back before it learns of the exit */
			write_exit_file(m, status);
			unlinkat(m->state_fd, CONTROL_SOCKET, 0);
			if (!attach_exit_handled(m->attach))
				run_exit_command(m);
			_exit(0);
		}
	}
}

/*
 * Attach clients feed stdin_pipe (or the pty) and get the output: with a terminal, the pty master
 * is read as the container's stdout (init's log pipes were replaced by the pty slave).
 */
static void start_attach(struct monitor *m, int stdin_pipe)
{
	/* A write to a container that closed its stdin must fail with EPIPE, not kill the monitor.
	 * Set only now: init (cloned earlier) must not inherit an ignored SIGPIPE. */
	signal(SIGPIPE, SIG_IGN);
	if (m->pty >= 0) {
		if (m->log->fd[0] >= 0)
			close(m->log->fd[0]);
		m->log->fd[0] = fcntl(m->pty, F_DUPFD_CLOEXEC, 0);
		fcntl(m->log->fd[0], F_SETFL, O_NONBLOCK);
	}
	attach_init(m->attach, m->pty >= 0 ? m->pty : stdin_pipe, m->pty >= 0);
	m->log->tap = attach_output;
	m->log->tap_ctx = m->attach;
	if (m->relay && m->pty >= 0) {
		relay_start(m->relay, m->pty, m->attach);
		m->log->tap = relay_output;
		m->log->tap_ctx = m->relay;
	}
}

static void redirect_monitor_stdio(struct plan *p)
{
	int fd = open(p->monitor_log ? p->monitor_log : "/dev/null",
		      O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (fd >= 0 && null >= 0) {
		dup2(null, 0);
		dup2(fd, 1);
		dup2(fd, 2);
	}
	if (fd > 2)
		close(fd);
	if (null > 2)
		close(null);
}

/*
 * The caller's terminal for a relay, taken before the monitor leaves the caller's session (then
 * /dev/tty no longer opens): its controlling terminal when no standard stream is a terminal.
 */
static int open_caller_tty(int *err)
{
	*err = 0;
	if (isatty(0) || isatty(1) || isatty(2))
		return -1;
	int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		*err = errno;
	return fd;
}

/* With PLAN_TERMINAL_RELAY the caller's stdio and terminal are kept for the relay; else ctty goes. */
static void take_caller_terminal(struct monitor *m, struct relay *r, int ctty, int ctty_err)
{
	if (!m->plan->terminal_relay || !m->plan->terminal_monitor) {
		if (ctty >= 0)
			close(ctty);
		return;
	}
	if (relay_open(r, ctty) < 0) {
		char msg[128];
		/* runc's words when it finds no terminal to use */
		snprintf(msg, sizeof(msg), "open /dev/tty: %s", strerror(ctty_err ? ctty_err : ENOTTY));
		abort_create(m, msg);
	}
	m->relay = r;
}

static noreturn void run_monitor(int ctty, int ctty_err)
{
	static struct plan plan;
	static struct log log;
	static struct attach attach;
	static struct relay relay;
	struct monitor m = { .plan = &plan, .init_pid = -1, .born_in = -1, .sync_fd = -1, .listen_fd = -1, .state_fd = -1,
			     .pty = -1, .log = &log, .attach = &attach, .relay = NULL, .oom = { .fd = -1 },
			     .unread_fd = -1 };
	char err[512];
	if (plan_read(PLAN_FD, &plan, err, sizeof(err)) < 0)
		abort_create(&m, err);
	take_caller_terminal(&m, &relay, ctty, ctty_err);
	/* Without it, a container's orphans (no pid namespace of its own) would escape our reaping. */
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
		abort_create(&m, "cannot become a subreaper");
	open_control_socket(&m);

	sigset_t mask;
	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++)
		sigaddset(&mask, forwarded[i]);
	if (sigprocmask(SIG_BLOCK, &mask, NULL) < 0)
		abort_create(&m, "cannot block the forwarded signals");
	/* Without it the monitor would never see the container's exit nor forward a signal. */
	m.sig_fd = signalfd(-1, &mask, SFD_CLOEXEC);
	if (m.sig_fd < 0)
		abort_create(&m, "cannot create the signalfd");

	int sv[2];
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		abort_create(&m, "cannot create the sync socket");
	int log_fds[2];
	if (log_open(&log, &plan, log_fds) < 0) {
		snprintf(err, sizeof(err), "cannot open the log %s: %s", plan.log_path, strerror(errno));
		abort_create(&m, err);
	}
	/* Kept open for attach clients: the container's stdin is a pipe whose write end we hold. */
	int stdin_pipe[2] = { -1, -1 };
	if (plan.stdin_open && !plan.terminal_monitor && pipe2(stdin_pipe, O_CLOEXEC) < 0)
		abort_create(&m, "cannot create the stdin pipe");
	/* The init is born in the container's pid namespace, where its processes can see it: it must
	 * be non-dumpable from its first instant (it inherits this), not from its first own step. */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		abort_create(&m, "cannot make the monitor non-dumpable");

	/* The cgroup namespace is left out: init unshares it once it is in its cgroups, so that the
	 * container's cgroup (not the monitor's) becomes its cgroup root. */
	unsigned long flags = (unsigned long)(plan.clone_flags & ~(uint64_t)CLONE_NEWCGROUP);
	pid_t pid = spawn_init(&plan, flags, &m.born_in, err, sizeof(err));
	if (pid < 0)
		abort_create(&m, err);
	if (pid == 0) {
		close(sv[0]);
		if (sigprocmask(SIG_UNBLOCK, &mask, NULL) < 0)
			_exit(125);
		if (stdin_pipe[0] >= 0 && dup2(stdin_pipe[0], 0) < 0)
			_exit(125);
		init_main(&plan, sv[1], log_fds);
	}
	close(sv[1]);
	for (int i = 0; i < 2; i++)
		if (log_fds[i] >= 0)
			close(log_fds[i]);
	preserved_fds_release(); /* the init's now: a pipe among them must see EOF when it ends */
	m.init_pid = pid;
	m.sync_fd = sv[0];
	if (plan.kill_unread)
		watch_reader(&m); /* after the clone: the init has no copy of it */
	if (stdin_pipe[0] >= 0)
		close(stdin_pipe[0]);
	create_container(&m);
	redirect_monitor_stdio(&plan);
	start_attach(&m, stdin_pipe[1]);
	monitor_loop(&m);
}

int main(int argc, char **argv)
{
	if (preserved_fds_parse(argc, argv) < 0) {
		report("error usage: jocker-launcher [--preserve-fds N]\n");
		return 125;
	}
	/* Nothing but stdio, the plan, the report pipe and the descriptors to preserve may reach the
	 * container. */
	if (close_fds_except(preserved_fds_end_in_launcher(), -1) < 0) {
		report("error cannot close inherited descriptors: %s\n", strerror(errno));
		return 125;
	}
	reexec_sealed(argv);
	/* Spawned as /proc/self/fd/N, our name would be "N": name the monitor (and its init until
	 * exec) for ps. */
	prctl(PR_SET_NAME, "jocker-launcher", 0, 0, 0);
	/* From here on, no exec may inherit the plan and report pipes. */
	if (fcntl(PLAN_FD, F_SETFD, FD_CLOEXEC) < 0 || fcntl(REPORT_FD, F_SETFD, FD_CLOEXEC) < 0) {
		report("error cannot mark the plan and report pipes close-on-exec: %s\n", strerror(errno));
		return 125;
	}

	pid_t pid = fork();
	if (pid < 0) {
		report("error fork: %s\n", strerror(errno));
		return 125;
	}
	if (pid > 0)
		return 0; /* Java reaps us at once; the monitor lives on, reparented. */
	int ctty_err;
	int ctty = open_caller_tty(&ctty_err);
	if (setsid() < 0) {
		report("error setsid: %s\n", strerror(errno));
		_exit(125);
	}
	run_monitor(ctty, ctty_err);
}
