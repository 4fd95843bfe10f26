/*
 * File system steps of the container init that must not be redirected by what the container (or
 * another container sharing its files) controls: bind mounts made from descriptors only, and
 * writes to procfs files on a procfs that nothing the container mounted can cover.
 */
#ifndef JOCKER_SAFE_FS_H
#define JOCKER_SAFE_FS_H

/*
 * Bind-mounts what source refers to onto what target refers to (both may be O_PATH descriptors)
 * with open_tree and move_mount: no path is resolved again. flags are the mount's MS_* flags: MS_REC
 * copies the whole tree; MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC and the atime flags are set on
 * the copy before it is attached. Returns the attached mount (close it), or -1 with errno.
 */
int bind_fd(int source, int target, unsigned long flags);

/* Sets the propagation (MS_SHARED, MS_SLAVE... | MS_REC) of the mount a descriptor refers to. */
int set_propagation_fd(int mnt, unsigned long propagation);

/*
 * Writes value to /proc/DIR/FILE (e.g. "sys", "net/ipv4/ip_forward" or "self", "oom_score_adj"),
 * resolved beneath DIR of a procfs instance that was verified and that nothing is mounted over.
 * Fails the init with a clear message.
 */
void procfs_write(const char *dir, const char *file, const char *value);

#endif
