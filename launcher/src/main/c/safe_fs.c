/* Descriptor-based mounts and verified procfs writes for the container init (see safe_fs.h). */
#include "safe_fs.h"

#include "launcher.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#define PROC_ROOT_INO 1

/* The per-mount flags of MS_* flags, for mount_setattr; superblock flags (sync...) have none. */
static void mount_attr_of(unsigned long flags, struct mount_attr *attr)
{
	static const struct { unsigned long ms; uint64_t attr; } map[] = {
		{ MS_RDONLY, MOUNT_ATTR_RDONLY }, { MS_NOSUID, MOUNT_ATTR_NOSUID },
		{ MS_NODEV, MOUNT_ATTR_NODEV }, { MS_NOEXEC, MOUNT_ATTR_NOEXEC },
		{ MS_NODIRATIME, MOUNT_ATTR_NODIRATIME },
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (flags & map[i].ms)
			attr->attr_set |= map[i].attr;
	/* The atime modes are one field: clear it to set one of them. */
	if (flags & (MS_NOATIME | MS_STRICTATIME | MS_RELATIME)) {
		attr->attr_clr |= MOUNT_ATTR__ATIME;
		attr->attr_set |= flags & MS_NOATIME	   ? MOUNT_ATTR_NOATIME
				  : flags & MS_STRICTATIME ? MOUNT_ATTR_STRICTATIME
							   : MOUNT_ATTR_RELATIME;
	}
}

int bind_fd(int source, int target, unsigned long flags)
{
	unsigned tree_flags = OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH;
	if (flags & MS_REC)
		tree_flags |= AT_RECURSIVE;
	int tree = open_tree(source, "", tree_flags);
	if (tree < 0)
		return -1;
	struct mount_attr attr = { 0 };
	mount_attr_of(flags, &attr);
	/* Only the top mount, as a bind remount would: submounts keep their own flags. */
	if ((attr.attr_set || attr.attr_clr) && mount_setattr(tree, "", AT_EMPTY_PATH, &attr, sizeof(attr)) < 0)
		goto fail;
	if (move_mount(tree, "", target, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
		goto fail;
	return tree;
fail:;
	int saved = errno;
	close(tree);
	errno = saved;
	return -1;
}

int set_propagation_fd(int mnt, unsigned long propagation)
{
	struct mount_attr attr = { .propagation = propagation & ~(unsigned long)MS_REC };
	unsigned at = AT_EMPTY_PATH | ((propagation & MS_REC) ? AT_RECURSIVE : 0);
	return mount_setattr(mnt, "", at, &attr, sizeof(attr));
}

static int is_procfs_root(int fd)
{
	struct statfs sf;
	struct stat st;
	return fstatfs(fd, &sf) == 0 && sf.f_type == PROC_SUPER_MAGIC && fstat(fd, &st) == 0 &&
	       st.st_ino == PROC_ROOT_INO;
}

/*
 * A procfs root the container cannot have covered: a new instance that was never attached, else
 * (a user namespace may refuse one: /proc is not fully visible) a copy of /proc without the mounts
 * on top of it, else /proc itself. Each is checked to be a procfs root; a mount over a file inside
 * is refused when the file is opened (RESOLVE_NO_XDEV).
 */
static int procfs_root(void)
{
	int fs = fsopen("proc", FSOPEN_CLOEXEC);
	if (fs >= 0) {
		int mnt = -1;
		if (fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) == 0)
			mnt = fsmount(fs, FSMOUNT_CLOEXEC, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
		close(fs);
		if (mnt >= 0 && is_procfs_root(mnt))
			return mnt;
		if (mnt >= 0)
			close(mnt);
	}
	int copy = open_tree(AT_FDCWD, "/proc", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_SYMLINK_NOFOLLOW);
	if (copy >= 0 && is_procfs_root(copy))
		return copy;
	if (copy >= 0)
		close(copy);
	int proc = open("/proc", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (proc >= 0 && is_procfs_root(proc))
		return proc;
	init_fail(0, "/proc is not procfs: something is mounted over it");
}

static int open_beneath(int dirfd, const char *path, uint64_t flags)
{
	/* openat2 refuses O_PATH with any flag it does not go with */
	struct open_how how = { .flags = flags | O_CLOEXEC | ((flags & O_PATH) ? 0 : O_NOCTTY),
				.resolve = RESOLVE_BENEATH | RESOLVE_NO_XDEV | RESOLVE_NO_MAGICLINKS };
	return (int)syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
}

void procfs_write(const char *dir, const char *file, const char *value)
{
	int root = procfs_root();
	int d = open_beneath(root, dir, O_PATH | O_DIRECTORY);
	int why = errno;
	close(root);
	int fd = d < 0 ? -1 : open_beneath(d, file, O_WRONLY);
	if (d >= 0) {
		why = errno;
		close(d);
	}
	if (fd < 0)
		init_fail(why, "cannot open /proc/%s/%s%s", dir, file,
			  why == EXDEV ? " (something is mounted over it)" : "");
	struct statfs sf;
	if (fstatfs(fd, &sf) < 0 || sf.f_type != PROC_SUPER_MAGIC)
		init_fail(0, "/proc/%s/%s is not a procfs file", dir, file);
	if (write_all(fd, value, strlen(value)) < 0)
		init_fail(errno, "cannot write /proc/%s/%s", dir, file);
	close(fd);
}
