/*
 * The container's stdout and stderr in Docker's json-file format, written by the monitor: one
 * line per line of output, {"log":"text\n","stream":"stdout","time":"RFC 3339 with ns"}. A line
 * longer than LOG_LINE_MAX is split (its pieces have no "\n"), as is a last line without one.
 * When the file would grow past the plan's max size it is rotated: path.N-1 -> path.N ... path ->
 * path.1, keeping max files in all.
 */
#include "launcher.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char *const stream_names[2] = { "stdout", "stderr" };

int log_open(struct log *l, const struct plan *p, int child[2])
{
	l->fd[0] = l->fd[1] = l->file = -1;
	child[0] = child[1] = -1;
	if (!p->log_path)
		return 0;
	l->path = p->log_path;
	l->max_size = p->log_max_size;
	l->max_files = p->log_max_files < 1 ? 1 : p->log_max_files;
	/* An empty path: the output is read (for attach clients) but kept nowhere. */
	if (l->path[0]) {
		l->file = open(l->path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
		struct stat st;
		if (l->file < 0 || fstat(l->file, &st) < 0)
			return -1;
		l->size = (uint64_t)st.st_size;
	}
	for (int i = 0; i < 2; i++) {
		int fds[2];
		if (pipe2(fds, O_CLOEXEC) < 0 || fcntl(fds[0], F_SETFL, O_NONBLOCK) < 0)
			return -1;
		l->fd[i] = fds[0];
		child[i] = fds[1];
	}
	return 0;
}

static void rotate(struct log *l)
{
	char from[4200], to[4200];
	close(l->file);
	for (uint64_t i = l->max_files - 1; i >= 1; i--) {
		if (i == 1)
			snprintf(from, sizeof(from), "%s", l->path);
		else
			snprintf(from, sizeof(from), "%s.%llu", l->path, (unsigned long long)(i - 1));
		snprintf(to, sizeof(to), "%s.%llu", l->path, (unsigned long long)i);
		rename(from, to);
	}
	l->file = open(l->path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0640);
	l->size = 0;
}

/* Writes one entry: text[0..len) of a stream, with "\n" appended when newline is set. */
static void write_entry(struct log *l, int stream, const char *text, size_t len, int newline)
{
	static char out[LOG_LINE_MAX * 6 + 128];
	size_t n = (size_t)snprintf(out, sizeof(out), "{\"log\":\"");
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];
		if (c == '"' || c == '\\') {
			out[n++] = '\\';
			out[n++] = (char)c;
		} else if (c == '\n') {
			out[n++] = '\\';
			out[n++] = 'n';
		} else if (c == '\t') {
			out[n++] = '\\';
			out[n++] = 't';
		} else if (c == '\r') {
			out[n++] = '\\';
			out[n++] = 'r';
		} else if (c < 0x20 || c == 0x7f) {
			n += (size_t)snprintf(out + n, 7, "\\u%04x", c);
		} else {
			out[n++] = (char)c;
		}
	}
	if (newline) {
		out[n++] = '\\';
		out[n++] = 'n';
	}
	struct timespec now;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &now);
	gmtime_r(&now.tv_sec, &tm);
	n += (size_t)snprintf(out + n, sizeof(out) - n, "\",\"stream\":\"%s\",\"time\":\"",
			      stream_names[stream]);
	n += strftime(out + n, sizeof(out) - n, "%Y-%m-%dT%H:%M:%S", &tm);
	n += (size_t)snprintf(out + n, sizeof(out) - n, ".%09ldZ\"}\n", now.tv_nsec);
	if (l->max_size && l->size > 0 && l->size + n > l->max_size)
		rotate(l);
	if (l->file >= 0 && write_all(l->file, out, n) == 0)
		l->size += n;
}

/* Sends every complete line of a stream's buffer to the file; keeps the rest. */
static void flush_lines(struct log *l, int stream, int at_eof)
{
	struct log_line *b = &l->line[stream];
	size_t start = 0;
	for (size_t i = 0; i < b->len; i++) {
		if (b->buf[i] == '\n') {
			write_entry(l, stream, b->buf + start, i - start, 1);
			start = i + 1;
		}
	}
	size_t rest = b->len - start;
	if (rest > 0 && (at_eof || rest == LOG_LINE_MAX)) {
		write_entry(l, stream, b->buf + start, rest, 0);
		rest = 0;
	}
	memmove(b->buf, b->buf + b->len - rest, rest);
	b->len = rest;
}

/* Reads what a stream has (its fd is non-blocking); closes it at EOF. Returns bytes read. */
size_t log_read(struct log *l, int stream)
{
	size_t total = 0;
	while (l->fd[stream] >= 0) {
		struct log_line *b = &l->line[stream];
		ssize_t n = read(l->fd[stream], b->buf + b->len, LOG_LINE_MAX - b->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			break;
		if (n <= 0) {
			flush_lines(l, stream, 1);
			close(l->fd[stream]);
			l->fd[stream] = -1;
			break;
		}
		if (l->tap)
			l->tap(l->tap_ctx, stream, b->buf + b->len, (size_t)n);
		b->len += (size_t)n;
		total += (size_t)n;
		flush_lines(l, stream, 0);
	}
	return total;
}

void log_drain(struct log *l)
{
	for (int i = 0; i < 2; i++) {
		log_read(l, i);
		flush_lines(l, i, 1);
	}
	if (l->file >= 0)
		fsync(l->file);
}
