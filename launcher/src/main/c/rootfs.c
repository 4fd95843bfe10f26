/*
 * The container's root filesystem: configured mounts, devices and links, then pivot_root, then the
 * masked and read-only paths. Every path on the container's side is resolved with
 * openat2(RESOLVE_IN_ROOT), so a symlink in the image, or one swapped in while we work (a rootfs or
 * volume shared with another container), can never send a mount or a file outside the rootfs; the
 * mount itself then uses only descriptors: the resolved fd's /proc/self/fd path before pivot_root
 * (the host's /proc, which the container cannot touch), open_tree/move_mount for binds and after it.
 */
#include "launcher.h"
#include "safe_fs.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

enum create_kind { CREATE_NONE, CREATE_DIR, CREATE_FILE };

static int rootfd = -1;
static const char *rootfs_path;

static int openat_in_root(int dirfd, const char *path)
{
	struct open_how how = { .flags = O_PATH | O_CLOEXEC,
				.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };
	return (int)syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
}

/*
 * Opens path (relative to the rootfs) as O_PATH, creating it and missing parents if asked. Each
 * prefix is resolved from the root, so that a symlink on the way (an image's /var/run -> /run)
 * means what it means in the container; a missing component is made in its resolved parent.
 */
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
	for (char *name = buf; parent >= 0 && name;) {
		char *slash = strchr(name, '/');
		if (slash)
			*slash = 0;
		int last = !slash || !slash[1];
		int next = openat_in_root(rootfd, buf); /* buf now ends at name */
		if (next < 0 && errno == ENOENT) {
			int made;
			if (last && kind == CREATE_FILE) {
				made = openat(parent, name, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
				if (made >= 0)
					close(made);
			} else {
				made = mkdirat(parent, name, 0755);
			}
			/* Report why creating failed (EACCES, EROFS, EEXIST for a dangling symlink...),
			 * not the ENOENT that follows. */
			int why = errno;
			next = openat_in_root(rootfd, buf);
			if (next < 0 && made < 0)
				errno = why;
		}
		if (slash)
			*slash = '/';
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

/*
 * A bind source is a host path, opened as the host sees it (by the host's root under a user
 * namespace: bind_sources.c), unless it lies in the rootfs (e.g. a source relative to the bundle
 * such as "rootfs/x"): then the image's symlinks are resolved in the root too, so that they
 * cannot bind a host file into the container.
 */
static int open_bind_source(const char *source, ssize_t index)
{
	ssize_t in_root = bind_source_in_rootfs(rootfs_path, source);
	if (in_root >= 0)
		return open_in_rootfs(source + in_root, CREATE_NONE);
	int fd = index >= 0 ? bind_source_take((size_t)index) : -1;
	return fd >= 0 ? fd : open(source, O_PATH | O_CLOEXEC);
}

/* proc and sysfs must land where their path says (CVE-2019-19921), as runc insists. */
static int is_kernel_fs(const struct plan_mount *m)
{
	return m->kind != MOUNT_BIND && (strcmp(m->fstype, "proc") == 0 || strcmp(m->fstype, "sysfs") == 0);
}

static int open_no_symlinks(const char *path)
{
	while (*path == '/')
		path++;
	struct open_how how = { .flags = O_PATH | O_CLOEXEC,
				.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS };
	return (int)syscall(SYS_openat2, rootfd, *path ? path : ".", &how, sizeof(how));
}

/* runc's recursive options ("rro"...): the mount and every mount under it, as mount_setattr(2)
 * alone can do; on kernels before 5.12 that is a failure, not a silent read-write submount. */
static void set_recursive_attrs(int mnt, const struct plan_mount *m)
{
	if (!m->rec_attr_set && !m->rec_attr_clr)
		return;
	struct mount_attr attr = { .attr_set = m->rec_attr_set, .attr_clr = m->rec_attr_clr };
	if (mount_setattr(mnt, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof(attr)) == 0)
		return;
	if (errno == ENOSYS)
		init_fail(errno, "mount %s: recursive mount options (rro...) need mount_setattr(2), Linux 5.12 or later",
			  m->target);
	init_fail(errno, "mount %s: set recursive mount options", m->target);
}

/* The flags of a read-only /dev mount, made read-write until the devices are in (0: none). */
static unsigned long dev_readonly_flags;

static int is_dev(const char *target)
{
	size_t n = strlen(target);
	while (n > 1 && target[n - 1] == '/')
		n--;
	return n == 4 && strncmp(target, "/dev", 4) == 0;
}

/* index: the mount's place in the plan, -1 for one made here (a device's bind). */
static void mount_one(const struct plan_mount *m, ssize_t index)
{
	int is_bind = m->kind == MOUNT_BIND;
	enum create_kind kind = CREATE_DIR;
	struct stat st;
	int source = -1;
	if (is_bind) {
		source = open_bind_source(m->source, index);
		if (source < 0 || fstat(source, &st) < 0)
			init_fail(errno, "mount %s: source %s", m->target, m->source);
		if (!S_ISDIR(st.st_mode))
			kind = CREATE_FILE;
	}
	int fd = open_in_rootfs(m->target, kind);
	/* proc and sysfs over a symlink (or a file) that the image put there: refused, runc's words */
	if (fd < 0 && (errno == EEXIST || errno == ENOTDIR || errno == ELOOP) && is_kernel_fs(m))
		init_fail(0, "mount %s (%s): must be mounted on ordinary directory", m->target, m->fstype);
	if (fd < 0)
		init_fail(errno, "mount %s: cannot create the mount point", m->target);
	if (is_kernel_fs(m)) {
		close(fd);
		fd = open_no_symlinks(m->target);
		if (fd < 0 && errno == ELOOP)
			init_fail(0, "mount %s (%s): must be mounted on ordinary directory, not through a symlink",
				  m->target, m->fstype);
		if (fd < 0)
			init_fail(errno, "mount %s", m->target);
	}
	char target[64];
	fd_path(fd, target, sizeof(target));
	unsigned long flags = (unsigned long)m->flags;
	if (!is_bind && (flags & MS_RDONLY) && is_dev(m->target)) {
		/* As runc: devices, symlinks and /dev's submounts go in first; read-only at the end. */
		dev_readonly_flags = flags;
		flags &= ~(unsigned long)MS_RDONLY;
	}
	if (is_bind) {
		/* From descriptor to descriptor, its flags set before it is attached: no path is looked
		 * up again, so a swap after the lookup cannot move the bind or its read-only remount. */
		int mnt = bind_fd(source, fd, flags);
		if (mnt < 0)
			init_fail(errno, "mount %s on %s", m->source, m->target);
		close(source);
		if (m->propagation && set_propagation_fd(mnt, (unsigned long)m->propagation) < 0)
			init_fail(errno, "set propagation of %s", m->target);
		set_recursive_attrs(mnt, m);
		close(mnt);
		close(fd);
		return;
	}
	if (mount(*m->source ? m->source : m->fstype, target, m->fstype, flags, *m->data ? m->data : NULL) < 0)
		init_fail(errno, "mount %s (%s) on %s", m->source, m->fstype, m->target);
	if (m->propagation || m->rec_attr_set || m->rec_attr_clr) {
		/* Looked up again (in the root) to reach the new mount rather than the directory under it. */
		close(fd);
		fd = open_in_rootfs(m->target, CREATE_NONE);
		if (fd < 0)
			init_fail(errno, "set propagation of %s", m->target);
		fd_path(fd, target, sizeof(target));
		if (m->propagation && mount(NULL, target, NULL, (unsigned long)m->propagation, NULL) < 0)
			init_fail(errno, "set propagation of %s", m->target);
		set_recursive_attrs(fd, m);
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
	/* The configured mode exactly, at once: a chmod by name afterwards would follow a symlink
	 * swapped in meanwhile (before pivot_root an absolute one means the host). */
	mode_t old_umask = umask(0);
	int made = mknodat(parent, base, type | (mode_t)(d->mode & 07777),
			   makedev((unsigned)d->major, (unsigned)d->minor));
	int why = errno;
	umask(old_umask);
	errno = why;
	if (made == 0) {
		if (fchownat(parent, base, (uid_t)d->uid, (gid_t)d->gid, AT_SYMLINK_NOFOLLOW) < 0)
			init_fail(errno, "chown device %s", d->path);
		close(parent);
		return;
	}
	if (errno != EPERM)
		init_fail(errno, "mknod %s", d->path);
	/* In a user namespace mknod is not allowed: bind the host's node instead, as runc does. */
	close(parent);
	struct plan_mount bind = { .flags = MS_BIND, .kind = MOUNT_BIND, .source = d->path,
				   .target = d->path, .fstype = "", .data = "" };
	mount_one(&bind, -1);
}

static void make_symlink(const struct plan_pair *link)
{
	char base[256];
	int parent = open_parent(link->b, base, sizeof(base));
	if (parent < 0 || (symlinkat(link->a, parent, base) < 0 && errno != EEXIST))
		init_fail(errno, "symlink %s", link->b);
	close(parent);
}

/* The root of the mount a directory lies on (O_PATH, consumes dir): walks up to it with "..". */
static int open_mount_root(int dir)
{
	struct statx last = { 0 };
	for (;;) {
		struct statx sx;
		if (statx(dir, "", AT_EMPTY_PATH, STATX_INO, &sx) < 0)
			break;
		if (!(sx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT)) {
			errno = ENOSYS; /* before Linux 5.8 */
			break;
		}
		if (sx.stx_attributes & STATX_ATTR_MOUNT_ROOT)
			return dir;
		if (sx.stx_ino == last.stx_ino && sx.stx_dev_major == last.stx_dev_major &&
		    sx.stx_dev_minor == last.stx_dev_minor) {
			errno = EINVAL; /* ".." went nowhere: our root (a chroot) is no mount */
			break;
		}
		last = sx;
		int up = openat(dir, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
		int why = errno;
		close(dir);
		errno = why;
		if (up < 0)
			return -1;
		dir = up;
	}
	int why = errno;
	close(dir);
	errno = why;
	return -1;
}

/*
 * The root's propagation, as runc sets it. "/" first gets the asked one (rslave by default), so that
 * a bind of a host path behaves as asked (an rshared volume stays a peer of the host's); not an
 * unbindable one, which would forbid binding the rootfs. Then the mount the rootfs lies on becomes
 * a slave: pivot_root refuses a shared parent, and the bind of the rootfs onto itself must not reach
 * the host (runc makes it private; a slave still receives the host's mounts, which is what a slave
 * root asks for). The bind and all below it are slaves too, so that nothing mounted in the container
 * reaches the host whatever "/" was asked to be; the asked propagation is given after pivot_root.
 */
static void prepare_propagation(struct plan *p)
{
	unsigned long asked = (unsigned long)p->root_propagation;
	unsigned long first = asked && !(asked & MS_UNBINDABLE) ? asked : MS_SLAVE | MS_REC;
	if (mount(NULL, "/", NULL, first, NULL) < 0)
		init_fail(errno, "set propagation of /");
	int dir = open(p->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
	int parent = dir < 0 ? -1 : open_mount_root(dir);
	if (parent < 0 || set_propagation_fd(parent, MS_SLAVE) < 0)
		init_fail(errno, "make the mount of rootfs %s a slave", p->rootfs);
	close(parent);
}

void rootfs_prepare(struct plan *p)
{
	prepare_propagation(p);
	/* pivot_root needs the new root to be a mount point. */
	if (mount(p->rootfs, p->rootfs, NULL, MS_BIND | MS_REC, NULL) < 0)
		init_fail(errno, "bind rootfs %s", p->rootfs);
	rootfd = open(p->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		init_fail(errno, "open rootfs %s", p->rootfs);
	if (set_propagation_fd(rootfd, MS_SLAVE | MS_REC) < 0)
		init_fail(errno, "make rootfs %s a slave", p->rootfs);
	rootfs_path = p->rootfs;
	for (size_t i = 0; i < p->n_mounts; i++)
		mount_one(&p->mounts[i], (ssize_t)i);
	for (size_t i = 0; i < p->n_devices; i++)
		make_device(&p->devices[i]);
	for (size_t i = 0; i < p->n_symlinks; i++)
		make_symlink(&p->symlinks[i]);
}

void rootfs_pivot(struct plan *p)
{
	int oldroot = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	/* The rootfs opened right after its bind: its path is not looked up again. */
	if (oldroot < 0 || fchdir(rootfd) < 0)
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

void rootfs_chroot(const char *dir)
{
	int fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || fchdir(fd) < 0 || chroot(".") < 0 || chdir("/") < 0)
		init_fail(errno, "chroot %s", dir);
	close(fd);
}

/* After pivot_root "/" is the container's root: resolve in it, never through a magic link, and
 * take a final symlink as itself (the caller refuses it). */
static int open_in_new_root(const char *path)
{
	struct open_how how = { .flags = O_PATH | O_NOFOLLOW | O_CLOEXEC,
				.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };
	return (int)syscall(SYS_openat2, AT_FDCWD, path, &how, sizeof(how));
}

/* Opens a masked or read-only path to mount over; -1 with ENOENT when it does not exist. */
static int open_protected_path(const char *path, const char *what, struct stat *st)
{
	int fd = open_in_new_root(path);
	if (fd < 0) {
		if (errno == ENOENT)
			return -1;
		init_fail(errno, "%s %s", what, path);
	}
	if (fstat(fd, st) < 0)
		init_fail(errno, "%s %s", what, path);
	if (S_ISLNK(st->st_mode))
		init_fail(0, "%s %s: it is a symlink", what, path);
	/* Under /proc it must be the container's procfs, not something moved or mounted there. */
	struct statfs sf;
	if (strncmp(path, "/proc/", 6) == 0 && (fstatfs(fd, &sf) < 0 || sf.f_type != PROC_SUPER_MAGIC))
		init_fail(0, "%s %s: not on procfs", what, path);
	return fd;
}

/*
 * CVE-2025-31133: the container's /dev/null could be a symlink (a /dev shared with another
 * container) to e.g. /proc/sys/kernel/core_pattern, which masking would then bind writable over a
 * masked path. Opened without following symlinks and checked to be the null device (1:3).
 */
static int open_dev_null(void)
{
	struct open_how how = { .flags = O_PATH | O_NOFOLLOW | O_CLOEXEC,
				.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS };
	int fd = (int)syscall(SYS_openat2, AT_FDCWD, "/dev/null", &how, sizeof(how));
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0)
		init_fail(errno, "mask: cannot open /dev/null");
	if (!S_ISCHR(st.st_mode) || st.st_rdev != makedev(1, 3))
		init_fail(0, "mask: /dev/null is not the null device (1:3): refusing to mount it");
	return fd;
}

/* An empty read-only tmpfs, made and attached by descriptor. */
static int mount_empty_dir(int target)
{
	int fs = fsopen("tmpfs", FSOPEN_CLOEXEC);
	if (fs < 0)
		return -1;
	int mnt = -1;
	if (fsconfig(fs, FSCONFIG_SET_STRING, "size", "0k", 0) == 0 &&
	    fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) == 0)
		mnt = fsmount(fs, FSMOUNT_CLOEXEC, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |
							   MOUNT_ATTR_NOEXEC);
	int why = errno;
	close(fs);
	if (mnt < 0) {
		errno = why;
		return -1;
	}
	int r = move_mount(mnt, "", target, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH);
	why = errno;
	close(mnt);
	errno = why;
	return r;
}

static void mask_path(const char *path, int *null_fd)
{
	struct stat st;
	int fd = open_protected_path(path, "mask", &st);
	if (fd < 0)
		return; /* nothing to hide */
	int r;
	if (S_ISDIR(st.st_mode)) {
		r = mount_empty_dir(fd);
	} else {
		if (*null_fd < 0)
			*null_fd = open_dev_null();
		r = bind_fd(*null_fd, fd, 0);
		if (r >= 0)
			close(r);
	}
	if (r < 0)
		init_fail(errno, "mask %s", path);
	close(fd);
}

static void readonly_path(const char *path)
{
	struct stat st;
	int fd = open_protected_path(path, "read-only path", &st);
	if (fd < 0)
		return;
	int mnt = bind_fd(fd, fd, MS_REC | MS_RDONLY);
	if (mnt < 0)
		init_fail(errno, "bind %s read-only", path);
	close(mnt);
	close(fd);
}

void rootfs_finish(struct plan *p)
{
	int null_fd = -1;
	if (dev_readonly_flags && mount(NULL, "/dev", NULL, dev_readonly_flags | MS_REMOUNT, NULL) < 0)
		init_fail(errno, "remount /dev read-only");
	for (size_t i = 0; i < p->n_masked; i++)
		mask_path(p->masked[i], &null_fd);
	if (null_fd >= 0)
		close(null_fd);
	for (size_t i = 0; i < p->n_readonly; i++)
		readonly_path(p->readonly[i]);
	if (p->root_readonly)
		remount_bind("/", MS_RDONLY, "/ read-only");
	/* Last, so that it covers every mount made above (see prepare_propagation). */
	if (p->root_propagation && mount(NULL, "/", NULL, (unsigned long)p->root_propagation, NULL) < 0)
		init_fail(errno, "set propagation of / (linux.rootfsPropagation)");
}
