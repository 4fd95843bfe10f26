/*
 * The container's root filesystem: configured mounts, devices and links, then pivot_root, then the
 * masked and read-only paths. Targets are resolved with openat2(RESOLVE_IN_ROOT), so a symlink in
 * the image can never send a mount outside the rootfs; the mount itself goes through the resolved
 * fd's /proc/self/fd path.
 */
#include "launcher.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <linux/openat2.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

enum create_kind { CREATE_NONE, CREATE_DIR, CREATE_FILE };

static int rootfd = -1;

static int openat_in_root(int dirfd, const char *path)
{
	struct open_how how = { .flags = O_PATH | O_CLOEXEC,
				.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };
	return (int)syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
}

/* Opens path (relative to the rootfs) as O_PATH, creating it and missing parents if asked. */
static int open_in_rootfs(const char *path, enum create_kind kind)
{
	while (*path == '/')
		path++;
	if (!*path)
		return openat_in_root(rootfd, ".");
	int fd = openat_in_root(rootfd, path);
	if (fd >= 0 || errno != ENOENT || kind == CREATE_NONE)
		return fd;
	char buf[4096];
	if (strlen(path) >= sizeof(buf)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(buf, path);
	int parent = openat_in_root(rootfd, ".");
	for (char *name = buf; parent >= 0 && name && *name;) {
		char *slash = strchr(name, '/');
		if (slash)
			*slash = 0;
		int last = !slash || !slash[1];
		int next = *name ? openat_in_root(parent, name) : dup(parent);
		if (next < 0 && errno == ENOENT) {
			int made;
			if (last && kind == CREATE_FILE) {
				made = openat(parent, name, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
				if (made >= 0)
					close(made);
			} else {
				made = mkdirat(parent, name, 0755);
			}
			/* Report why creating failed (EACCES, EROFS...), not the ENOENT that follows. */
			int why = errno;
			next = openat_in_root(parent, name);
			if (next < 0 && made < 0)
				errno = why;
		}
		int saved = errno;
		close(parent);
		errno = saved;
		parent = next;
		name = slash ? slash + 1 : NULL;
	}
	return parent;
}

static void fd_path(int fd, char *buf, size_t len)
{
	snprintf(buf, len, "/proc/self/fd/%d", fd);
}

/* Flags a remount must keep: the kernel locks these on mounts inherited into a user namespace. */
static unsigned long locked_flags(const char *path)
{
	struct statvfs sv;
	unsigned long f = 0;
	if (statvfs(path, &sv) < 0)
		return 0;
	if (sv.f_flag & ST_NOSUID)
		f |= MS_NOSUID;
	if (sv.f_flag & ST_NODEV)
		f |= MS_NODEV;
	if (sv.f_flag & ST_NOEXEC)
		f |= MS_NOEXEC;
	return f;
}

static void remount_bind(const char *target, unsigned long flags, const char *what)
{
	unsigned long keep = locked_flags(target);
	if (mount(NULL, target, NULL, MS_BIND | MS_REMOUNT | flags | keep, NULL) < 0)
		init_fail(errno, "remount %s", what);
}

static void mount_one(const struct plan_mount *m)
{
	int is_bind = m->kind == MOUNT_BIND;
	enum create_kind kind = CREATE_DIR;
	struct stat st;
	if (is_bind) {
		if (stat(m->source, &st) < 0)
			init_fail(errno, "mount %s: source %s", m->target, m->source);
		if (!S_ISDIR(st.st_mode))
			kind = CREATE_FILE;
	}
	int fd = open_in_rootfs(m->target, kind);
	if (fd < 0)
		init_fail(errno, "mount %s: cannot create the mount point", m->target);
	char target[64];
	fd_path(fd, target, sizeof(target));
	unsigned long flags = (unsigned long)m->flags;
	if (is_bind) {
		if (mount(m->source, target, NULL, MS_BIND | (flags & MS_REC), NULL) < 0)
			init_fail(errno, "mount %s on %s", m->source, m->target);
		unsigned long extra = flags & ~(unsigned long)(MS_BIND | MS_REC);
		if (extra) {
			/* The new mount is on top of the old fd: reopen to remount the bind itself. */
			close(fd);
			fd = open_in_rootfs(m->target, CREATE_NONE);
			fd_path(fd, target, sizeof(target));
			remount_bind(target, extra, m->target);
		}
	} else if (mount(*m->source ? m->source : m->fstype, target, m->fstype, flags,
			 *m->data ? m->data : NULL) < 0) {
		init_fail(errno, "mount %s (%s) on %s", m->source, m->fstype, m->target);
	}
	if (m->propagation) {
		close(fd);
		fd = open_in_rootfs(m->target, CREATE_NONE);
		fd_path(fd, target, sizeof(target));
		if (mount(NULL, target, NULL, (unsigned long)m->propagation, NULL) < 0)
			init_fail(errno, "set propagation of %s", m->target);
	}
	close(fd);
}

/* Splits path into its parent (opened O_PATH, created if missing) and its last component. */
static int open_parent(const char *path, char *base, size_t baselen)
{
	char copy[4096];
	snprintf(copy, sizeof(copy), "%s", path);
	snprintf(base, baselen, "%s", basename(copy));
	snprintf(copy, sizeof(copy), "%s", path);
	return open_in_rootfs(dirname(copy), CREATE_DIR);
}

static void make_device(const struct plan_device *d)
{
	char base[256];
	int parent = open_parent(d->path, base, sizeof(base));
	if (parent < 0)
		init_fail(errno, "device %s: cannot create its directory", d->path);
	mode_t type = d->type == 'b' ? S_IFBLK : d->type == 'p' ? S_IFIFO : S_IFCHR;
	unlinkat(parent, base, 0);
	if (mknodat(parent, base, type | (mode_t)(d->mode & 07777),
		    makedev((unsigned)d->major, (unsigned)d->minor)) == 0) {
		if (fchownat(parent, base, (uid_t)d->uid, (gid_t)d->gid, AT_SYMLINK_NOFOLLOW) < 0)
			init_fail(errno, "chown device %s", d->path);
		/* mknod applied our umask: set the configured mode exactly. */
		if (fchmodat(parent, base, (mode_t)(d->mode & 07777), 0) < 0)
			init_fail(errno, "chmod device %s", d->path);
		close(parent);
		return;
	}
	if (errno != EPERM)
		init_fail(errno, "mknod %s", d->path);
	/* In a user namespace mknod is not allowed: bind the host's node instead, as runc does. */
	close(parent);
	struct plan_mount bind = { .flags = MS_BIND, .kind = MOUNT_BIND, .source = d->path,
				   .target = d->path, .fstype = "", .data = "" };
	mount_one(&bind);
}

static void make_symlink(const struct plan_pair *link)
{
	char base[256];
	int parent = open_parent(link->b, base, sizeof(base));
	if (parent < 0 || (symlinkat(link->a, parent, base) < 0 && errno != EEXIST))
		init_fail(errno, "symlink %s", link->b);
	close(parent);
}

void rootfs_prepare(struct plan *p)
{
	if (!(p->clone_flags & CLONE_NEWNS))
		init_fail(0, "a mount namespace is required");
	/* Nothing we mount may propagate back to the host. */
	unsigned long prop = p->root_propagation ? (unsigned long)p->root_propagation : MS_SLAVE | MS_REC;
	if (mount(NULL, "/", NULL, prop, NULL) < 0)
		init_fail(errno, "set propagation of /");
	/* pivot_root needs the new root to be a mount point. */
	if (mount(p->rootfs, p->rootfs, NULL, MS_BIND | MS_REC, NULL) < 0)
		init_fail(errno, "bind rootfs %s", p->rootfs);
	rootfd = open(p->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		init_fail(errno, "open rootfs %s", p->rootfs);
	for (size_t i = 0; i < p->n_mounts; i++)
		mount_one(&p->mounts[i]);
	for (size_t i = 0; i < p->n_devices; i++)
		make_device(&p->devices[i]);
	for (size_t i = 0; i < p->n_symlinks; i++)
		make_symlink(&p->symlinks[i]);
}

void rootfs_pivot(struct plan *p)
{
	int oldroot = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (oldroot < 0 || chdir(p->rootfs) < 0)
		init_fail(errno, "chdir %s", p->rootfs);
	/* pivot_root(".", "."): the old root ends up on top of the new one, then is detached. */
	if (syscall(SYS_pivot_root, ".", ".") < 0)
		init_fail(errno, "pivot_root %s", p->rootfs);
	/* "." is still the new root: step onto the old one, so that only it is made a slave (its
	 * unmount must not propagate to the host) and the new root keeps its configured propagation. */
	if (fchdir(oldroot) < 0)
		init_fail(errno, "fchdir to the old root");
	close(oldroot);
	if (mount(NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0 || umount2(".", MNT_DETACH) < 0)
		init_fail(errno, "detach the old root");
	if (chdir("/") < 0)
		init_fail(errno, "chdir /");
	close(rootfd);
	rootfd = -1;
}

static void mask_path(const char *path)
{
	struct stat st;
	if (stat(path, &st) < 0)
		return; /* nothing to hide */
	int r = S_ISDIR(st.st_mode) ? mount("tmpfs", path, "tmpfs", MS_RDONLY, "size=0k")
				    : mount("/dev/null", path, NULL, MS_BIND, NULL);
	if (r < 0)
		init_fail(errno, "mask %s", path);
}

static void readonly_path(const char *path)
{
	if (mount(path, path, NULL, MS_BIND | MS_REC, NULL) < 0) {
		if (errno == ENOENT)
			return;
		init_fail(errno, "bind %s read-only", path);
	}
	remount_bind(path, MS_RDONLY | MS_REC, path);
}

void rootfs_finish(struct plan *p)
{
	for (size_t i = 0; i < p->n_masked; i++)
		mask_path(p->masked[i]);
	for (size_t i = 0; i < p->n_readonly; i++)
		readonly_path(p->readonly[i]);
	if (p->root_readonly)
		remount_bind("/", MS_RDONLY, "/ read-only");
}
