/*
 * jocker-client: hands one `jocker` command to the resident engine (a JVM that stays up between
 * commands, cli/.../server/EngineServer.java) so the command does not pay for a JVM start.
 *
 *   jocker-client [-s SOCKET] -- JAVA_COMMAND... -- ARGS...
 *   jocker-runtime ARGS...        (by that name: `jocker runtime ARGS`, see runtime_main)
 *
 * It connects to SOCKET (default $JOCKER_ENGINE_SOCKET, else /run/jocker/engine.sock), checks that
 * the process answering there is root's (SO_PEERCRED) and sends, in one message, its argv,
 * environment and working directory, with its stdin, stdout and stderr attached (SCM_RIGHTS): the
 * engine reads and writes them directly. Then it forwards the signals it receives and waits for the
 * exit code. When no engine answers it starts one, detached (its own session, output to
 * engine.log beside the socket), and runs this command itself in a fresh JVM (JAVA_COMMAND ARGS),
 * so no command waits for an engine to come up; the engine also sends a command back here when it
 * should run in a fresh JVM (see ClientConnection.java). For the runtime's create, run and exec the
 * engine asks this process to spawn the launcher (FRAME_SPAWN, see spawn_launcher), so that the
 * container descends from our caller, as runc's do, and no JVM starts.
 *
 * Wire format (host byte order; the same machine): request = "JCK1", u32 body length, body = u32
 * argc, u32 envc, cwd, argv..., env... (each NUL-terminated). Then 8-byte frames both ways:
 * u32 type, i32 value; a FRAME_SPAWN's value is the length of a body that follows it.
 */
#include "fdio.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#define DEFAULT_SOCKET "/run/jocker/engine.sock"
#define ENGINE_ERROR 125

enum frame_type { FRAME_SIGNAL = 1, FRAME_EXIT = 2, FRAME_FALLBACK = 3, FRAME_SPAWN = 4, FRAME_SPAWNED = 5 };

#define MAX_PASSED 8
#define MAX_SPAWN_BODY (1 << 20)

extern char **environ;

static const int forwarded[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH};

static int signal_pipe[2] = {-1, -1};
static struct termios saved_termios;
static int termios_saved;

/* The engine may put a terminal in raw mode for `-t`; whatever happens, the shell gets it back. */
static void restore_terminal(void)
{
	if (termios_saved)
		tcsetattr(STDIN_FILENO, TCSADRAIN, &saved_termios);
}

static void on_signal(int sig)
{
	int saved = errno;
	unsigned char b = (unsigned char)sig;
	if (write(signal_pipe[1], &b, 1) < 0) {
		/* the pipe is full: the engine already has signals to read */
	}
	errno = saved;
}

struct buffer {
	char *data;
	size_t len, cap;
};

static void append(struct buffer *b, const void *data, size_t len)
{
	if (b->len + len > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		while (cap < b->len + len)
			cap *= 2;
		char *grown = realloc(b->data, cap);
		if (!grown) {
			fprintf(stderr, "jocker: out of memory\n");
			exit(ENGINE_ERROR);
		}
		b->data = grown;
		b->cap = cap;
	}
	memcpy(b->data + b->len, data, len);
	b->len += len;
}

static void append_u32(struct buffer *b, uint32_t v)
{
	append(b, &v, sizeof v);
}

static void append_str(struct buffer *b, const char *s)
{
	append(b, s, strlen(s) + 1);
}

static int connect_engine(const char *path)
{
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	if (strlen(path) >= sizeof addr.sun_path)
		return -1;
	strcpy(addr.sun_path, path);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&addr, sizeof addr) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * Whoever answers on the socket gets our terminal, stdio, environment and arguments: it must be
 * root's engine. The socket lives in a root-only directory, but a path given by -s or
 * JOCKER_ENGINE_SOCKET may be anyone's, so the listener's uid (SO_PEERCRED: its credentials when
 * it called listen) is checked before anything is sent.
 */
static void require_root_engine(int sock, const char *path)
{
	struct ucred cred;
	socklen_t len = sizeof cred;
	if (getsockopt(sock, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0) {
		fprintf(stderr, "jocker: cannot check the engine at %s: %s\n", path, strerror(errno));
		exit(ENGINE_ERROR);
	}
	if (cred.uid != 0) {
		fprintf(stderr, "jocker: refusing the engine at %s: it runs as uid %u, not root\n", path,
			(unsigned)cred.uid);
		exit(ENGINE_ERROR);
	}
}

/* The request and, with its first byte, our fds 0, 1 and 2. */
static int send_request(int sock, int argc, char **argv)
{
	struct buffer body = {0}, msg = {0};
	uint32_t envc = 0;
	for (char **e = environ; e && *e; e++)
		envc++;
	char cwd[4096];
	if (!getcwd(cwd, sizeof cwd))
		strcpy(cwd, "/");
	append_u32(&body, (uint32_t)argc);
	append_u32(&body, envc);
	append_str(&body, cwd);
	for (int i = 0; i < argc; i++)
		append_str(&body, argv[i]);
	for (uint32_t i = 0; i < envc; i++)
		append_str(&body, environ[i]);
	append(&msg, "JCK1", 4);
	append_u32(&msg, (uint32_t)body.len);
	append(&msg, body.data, body.len);

	int fds[3] = {STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO};
	int r = send_with_fds(sock, msg.data, msg.len, fds, 3);
	free(body.data);
	free(msg.data);
	return r;
}

/* JAVA_COMMAND followed by ARGS, or by `extra` instead (NULL-terminated). */
static char **java_argv(char **java, int njava, char **args, int nargs)
{
	char **v = calloc((size_t)(njava + nargs + 1), sizeof *v);
	if (!v)
		exit(ENGINE_ERROR);
	memcpy(v, java, (size_t)njava * sizeof *v);
	memcpy(v + njava, args, (size_t)nargs * sizeof *v);
	return v;
}

static void exec_fresh_jvm(char **java, int njava, char **args, int nargs)
{
	restore_terminal();
	char **v = java_argv(java, njava, args, nargs);
	execv(v[0], v);
	fprintf(stderr, "jocker: cannot run %s: %s\n", v[0], strerror(errno));
	exit(ENGINE_ERROR);
}

/*
 * A command's own JVM lives a second: C1 alone starts it fastest. The engine lives for many
 * commands, and pulls hash and unpack hundreds of megabytes, for which C1 has no SHA-256
 * intrinsic (about 9x slower): it drops that flag and gets the full tiered compilers.
 */
static const char C1_ONLY[] = "-XX:TieredStopAtLevel=1";

static int without_c1_only(char **java, int njava)
{
	int n = 0;
	for (int i = 0; i < njava; i++)
		if (strcmp(java[i], C1_ONLY) != 0)
			java[n++] = java[i];
	return n;
}

/* A new engine, detached: not our child, in its own session, output to engine.log by the socket. */
static void start_engine(char **java, int njava, const char *socket_path)
{
	char dir[4096];
	snprintf(dir, sizeof dir, "%s", socket_path);
	char *slash = strrchr(dir, '/');
	if (slash && slash != dir)
		*slash = '\0';
	else
		strcpy(dir, ".");
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return;
	char log[4200];
	snprintf(log, sizeof log, "%s/engine.log", dir);

	pid_t pid = fork();
	if (pid < 0)
		return;
	if (pid == 0) {
		setsid();
		if (fork() != 0)
			_exit(0);
		int in = open("/dev/null", O_RDONLY);
		int out = open(log, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW, 0600);
		if (in < 0 || out < 0)
			_exit(1);
		dup2(in, STDIN_FILENO);
		dup2(out, STDOUT_FILENO);
		dup2(out, STDERR_FILENO);
		/* Nothing else of the caller's either: a pipe it inherited (bats's fd 3, a pipeline a
		 * script waits on) must not stay open for the engine's whole life, or its reader hangs. */
		if (close_range(3, ~0U, 0) < 0)
			for (long fd = 3, max = sysconf(_SC_OPEN_MAX); fd < max; fd++)
				close((int)fd);
		char *serve[] = {"engine", "serve", "--socket", (char *)socket_path};
		char **v = java_argv(java, without_c1_only(java, njava), serve, 4);
		execv(v[0], v);
		_exit(127);
	}
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}

/* `jocker [--root DIR] [-D] engine ...` manages the engine: it must not start one. */
static int is_engine_command(int argc, char **argv)
{
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--root") == 0) {
			i++;
			continue;
		}
		if (argv[i][0] == '-')
			continue;
		return strcmp(argv[i], "engine") == 0;
	}
	return 0;
}

/*
 * Our own descriptors go high, out of the way of the caller's low ones that runc's --preserve-fds
 * passes on, so that the engine's check that those are open sees the caller's, not ours. Where the
 * fd limit is lower, the fd stays (spawn_launcher never passes it on).
 */
static int move_high(int fd)
{
	int high = fcntl(fd, F_DUPFD_CLOEXEC, 256);
	if (high < 0)
		return fd;
	close(fd);
	return high;
}

static void install_forwarding(void)
{
	if (pipe2(signal_pipe, O_CLOEXEC | O_NONBLOCK) < 0) {
		perror("jocker: pipe");
		exit(ENGINE_ERROR);
	}
	signal_pipe[0] = move_high(signal_pipe[0]);
	signal_pipe[1] = move_high(signal_pipe[1]);
	struct sigaction sa = {.sa_handler = on_signal, .sa_flags = SA_RESTART};
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof forwarded / sizeof forwarded[0]; i++)
		sigaction(forwarded[i], &sa, NULL);
	/* the launchers we spawn for the engine: reaped in the main loop, never forwarded */
	sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
	sigaction(SIGCHLD, &sa, NULL);
}

static int send_frame(int sock, uint32_t type, int32_t value)
{
	uint32_t frame[2] = {type, (uint32_t)value};
	return send_all(sock, frame, sizeof frame);
}

static void reap_children(void)
{
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
}

/* In the forked child: the errno of a failed step goes to the parent, then we are done. */
_Noreturn static void child_failed(int report)
{
	int err = errno;
	if (write(report, &err, sizeof err) < 0) {
		/* the parent sees end of file and a dead child */
	}
	_exit(127);
}

/*
 * Forks and execs path with argv and an empty environment; the child's descriptor i is our
 * sources[i]. Returns the child's pid, or -errno (a failed exec included: a close-on-exec pipe
 * tells us).
 */
static pid_t spawn_child(const int *sources, uint32_t nslots, const char *path, char *const argv[])
{
	int report[2];
	if (pipe2(report, O_CLOEXEC) < 0)
		return -errno;
	pid_t pid = fork();
	if (pid < 0) {
		int err = errno;
		close(report[0]);
		close(report[1]);
		return -err;
	}
	if (pid == 0) {
		/* Every source first goes above the slots, so that filling slot i cannot clobber a source
		 * (or the report pipe) that sits at i. */
		int floor = (int)nslots < 64 ? 64 : (int)nslots;
		int out = fcntl(report[1], F_DUPFD_CLOEXEC, floor);
		if (out < 0)
			child_failed(report[1]);
		int *high = calloc(nslots ? nslots : 1, sizeof *high);
		if (!high)
			child_failed(out);
		for (uint32_t i = 0; i < nslots; i++) {
			high[i] = fcntl(sources[i], F_DUPFD_CLOEXEC, floor);
			if (high[i] < 0)
				child_failed(out);
		}
		for (uint32_t i = 0; i < nslots; i++)
			if (dup2(high[i], (int)i) < 0)
				child_failed(out);
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		char *empty[] = {NULL};
		execve(path, argv, empty);
		child_failed(out);
	}
	close(report[1]);
	int err = 0;
	ssize_t n;
	do
		n = read(report[0], &err, sizeof err);
	while (n < 0 && errno == EINTR);
	close(report[0]);
	if (n == (ssize_t)sizeof err) {
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
		return -err;
	}
	return pid;
}

static int take_u32(const char **p, const char *end, uint32_t *v)
{
	if ((size_t)(end - *p) < sizeof *v)
		return -1;
	memcpy(v, *p, sizeof *v);
	*p += sizeof *v;
	return 0;
}

static const char *take_string(const char **p, const char *end)
{
	const char *s = *p;
	const char *nul = memchr(s, 0, (size_t)(end - s));
	if (!nul)
		return NULL;
	*p = nul + 1;
	return s;
}

/*
 * The engine's FRAME_SPAWN (cli/.../server/ClientLauncherParent.java): body = u32 slot count, one
 * i32 per descriptor of the child (n >= 0: the n-th descriptor that came with the frame; n < 0: our
 * own fd -n - 1: our stdio, or the descriptors runc's --preserve-fds passes), u32 argc, the path
 * and argv, NUL-terminated. Returns the child's pid or -errno.
 */
static pid_t spawn_launcher(int sock, const char *body, size_t len, const int *passed, size_t npassed)
{
	const char *p = body, *end = body + len;
	uint32_t nslots, argc;
	if (take_u32(&p, end, &nslots) < 0 || nslots > 4096)
		return -EINVAL;
	int *sources = calloc(nslots ? nslots : 1, sizeof *sources);
	if (!sources)
		return -ENOMEM;
	pid_t result = -EINVAL;
	char **argv = NULL;
	for (uint32_t i = 0; i < nslots; i++) {
		uint32_t raw;
		if (take_u32(&p, end, &raw) < 0)
			goto out;
		int32_t slot = (int32_t)raw;
		if (slot >= 0 && (size_t)slot >= npassed)
			goto out;
		sources[i] = slot >= 0 ? passed[slot] : -(slot + 1);
		if (slot < 0 && (sources[i] == sock || sources[i] == signal_pipe[0] || sources[i] == signal_pipe[1])) {
			/* not our caller's descriptor but ours: the container must not get our engine connection */
			result = -EBADF;
			goto out;
		}
	}
	if (take_u32(&p, end, &argc) < 0 || argc == 0 || argc > 4096)
		goto out;
	const char *path = take_string(&p, end);
	argv = calloc(argc + 1, sizeof *argv);
	if (!path || !argv)
		goto out;
	for (uint32_t i = 0; i < argc; i++)
		if (!(argv[i] = (char *)take_string(&p, end)))
			goto out;
	result = spawn_child(sources, nslots, path, argv);
out:
	free(argv);
	free(sources);
	return result;
}

/* Reads a spawn frame's body, spawns, answers; the descriptors that came with it are closed. */
static void serve_spawn(int sock, int32_t length, int *passed, size_t *npassed)
{
	pid_t pid = -EINVAL;
	char *body = length >= 0 && length <= MAX_SPAWN_BODY ? malloc((size_t)length + 1) : NULL;
	if (!body || read_all(sock, body, (size_t)length) < 0) {
		fprintf(stderr, "jocker: lost the connection to the engine\n");
		exit(ENGINE_ERROR);
	}
	pid = spawn_launcher(sock, body, (size_t)length, passed, *npassed);
	free(body);
	for (size_t k = 0; k < *npassed; k++)
		close(passed[k]);
	*npassed = 0;
	send_frame(sock, FRAME_SPAWNED, pid);
}

static void usage(void)
{
	fprintf(stderr, "usage: jocker-client [-s SOCKET] -- JAVA_COMMAND... -- ARGS...\n");
	exit(ENGINE_ERROR);
}

static int serve(const char *socket_path, char **java, int njava, char **args, int nargs);

#define RUNTIME_NAME "jocker-runtime"
#define CLIENT_IN_REPO "/launcher/target/jocker-client"

/*
 * Called as jocker-runtime (bin/jocker-runtime is a symlink to this binary): runc's command line,
 * `jocker runtime ARGS`, for engines that drive runc (podman --runtime). Engines call the runtime
 * for every step of every container, so no shell script stands in between: the fresh-JVM command
 * for when no engine answers yet is ./jocker of the checkout this binary was built in.
 */
static int runtime_main(int argc, char **argv)
{
	static char self[4096], jocker[4200];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	size_t suffix = strlen(CLIENT_IN_REPO);
	if (n < 0 || (size_t)n <= suffix || strcmp(self + n - suffix, CLIENT_IN_REPO) != 0) {
		fprintf(stderr, RUNTIME_NAME ": cannot find the Jocker checkout of %s\n", n < 0 ? "this binary" : self);
		return ENGINE_ERROR;
	}
	self[n - (ssize_t)suffix] = '\0';
	snprintf(jocker, sizeof jocker, "%s/jocker", self);
	char *java[] = {"/usr/bin/env", "JOCKER_NO_ENGINE=1", "JOCKER_SKIP_BUILD_CHECK=1", jocker};
	char **args = calloc((size_t)argc + 1, sizeof *args);
	if (!args)
		return ENGINE_ERROR;
	args[0] = "runtime";
	memcpy(args + 1, argv + 1, (size_t)(argc - 1) * sizeof *args);
	const char *no_engine = getenv("JOCKER_NO_ENGINE");
	if (no_engine && strcmp(no_engine, "1") == 0)
		exec_fresh_jvm(java, 4, args, argc);
	const char *socket_path = getenv("JOCKER_ENGINE_SOCKET");
	return serve(socket_path && *socket_path ? socket_path : DEFAULT_SOCKET, java, 4, args, argc);
}

int main(int argc, char **argv)
{
	const char *name = strrchr(argv[0], '/');
	if (strcmp(name ? name + 1 : argv[0], RUNTIME_NAME) == 0)
		return runtime_main(argc, argv);

	const char *socket_path = getenv("JOCKER_ENGINE_SOCKET");
	if (!socket_path || !*socket_path)
		socket_path = DEFAULT_SOCKET;
	int i = 1;
	for (; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (strcmp(argv[i], "-s") == 0 && i + 1 < argc)
			socket_path = argv[++i];
		else
			usage();
	}
	int java_start = ++i;
	while (i < argc && strcmp(argv[i], "--") != 0)
		i++;
	if (i >= argc || i == java_start)
		usage();
	return serve(socket_path, argv + java_start, i - java_start, argv + i + 1, argc - i - 1);
}

/* Hands ARGS to the engine at socket_path (one started if none answers) and returns its exit code. */
static int serve(const char *socket_path, char **java, int njava, char **args, int nargs)
{
	if (isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved_termios) == 0)
		termios_saved = 1;
	atexit(restore_terminal);

	int sock = connect_engine(socket_path);
	if (sock < 0) {
		if (!is_engine_command(nargs, args))
			start_engine(java, njava, socket_path);
		exec_fresh_jvm(java, njava, args, nargs);
	}
	sock = move_high(sock);
	require_root_engine(sock, socket_path);
	install_forwarding();
	if (send_request(sock, nargs, args) < 0)
		exec_fresh_jvm(java, njava, args, nargs); /* the engine went away before it read us */

	struct pollfd fds[2] = {{.fd = sock, .events = POLLIN}, {.fd = signal_pipe[0], .events = POLLIN}};
	unsigned char frame[8];
	size_t have = 0;
	int passed[MAX_PASSED];
	size_t npassed = 0;
	for (;;) {
		if (poll(fds, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			perror("jocker: poll");
			return ENGINE_ERROR;
		}
		if (fds[1].revents & POLLIN) {
			unsigned char sigs[64];
			ssize_t n = read(signal_pipe[0], sigs, sizeof sigs);
			for (ssize_t k = 0; k < n; k++) {
				if (sigs[k] == SIGCHLD)
					reap_children();
				else
					send_frame(sock, FRAME_SIGNAL, sigs[k]);
			}
		}
		if (!(fds[0].revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		size_t got = 0;
		ssize_t n = recv_with_fds(sock, frame + have, sizeof frame - have, passed + npassed,
					  MAX_PASSED - npassed, &got);
		npassed += got;
		if (n <= 0) {
			fprintf(stderr, "jocker: lost the connection to the engine\n");
			return ENGINE_ERROR;
		}
		have += (size_t)n;
		if (have < sizeof frame)
			continue;
		have = 0;
		uint32_t type;
		int32_t value;
		memcpy(&type, frame, 4);
		memcpy(&value, frame + 4, 4);
		if (type == FRAME_EXIT)
			return value & 0xff;
		if (type == FRAME_SPAWN)
			serve_spawn(sock, value, passed, &npassed);
		if (type == FRAME_FALLBACK) {
			close(sock);
			for (size_t k = 0; k < sizeof forwarded / sizeof forwarded[0]; k++)
				signal(forwarded[k], SIG_DFL);
			exec_fresh_jvm(java, njava, args, nargs);
		}
	}
}
