/* Descriptor I/O shared by the launcher and the native client: whole writes, and messages that
 * carry descriptors (SCM_RIGHTS). Sends never raise SIGPIPE (MSG_NOSIGNAL). */
#ifndef JOCKER_FDIO_H
#define JOCKER_FDIO_H

#include <stddef.h>
#include <sys/types.h>

/* Writes all of buf to a file or pipe, retrying on EINTR; 0, or -1 with errno. */
int write_all(int fd, const void *buf, size_t len);

/* Reads exactly len bytes, retrying on EINTR; 0, or -1 (errno 0 at end of file). */
int read_all(int fd, void *buf, size_t len);

/* Sends all of buf on a socket; 0, or -1 with errno (EPIPE when the peer is gone). */
int send_all(int sock, const void *buf, size_t len);

/* Sends len bytes with nfds descriptors attached to the first byte; the rest of the bytes follow
 * as send_all would. 0, or -1 with errno. */
int send_with_fds(int sock, const void *buf, size_t len, const int *fds, size_t nfds);

/* Receives one message of at most cap - 1 bytes, NUL-terminated; a descriptor sent with it lands
 * in *passed (close-on-exec), else *passed is left alone (with passed NULL, one is closed).
 * Returns its length, 0 on EOF, -1. */
ssize_t recv_with_fd(int sock, char *buf, size_t cap, int *passed);

/* Receives at most len bytes (one recvmsg); up to maxfds descriptors sent with them land in fds
 * (close-on-exec) and their count in *nfds; any beyond maxfds are closed. Returns the number of
 * bytes, 0 on EOF, -1 with errno. */
ssize_t recv_with_fds(int sock, void *buf, size_t len, int *fds, size_t maxfds, size_t *nfds);

#endif
