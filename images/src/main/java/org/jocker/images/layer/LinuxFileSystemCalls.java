package org.jocker.images.layer;

import static org.jocker.kernel.NativeCalls.errno;
import static org.jocker.kernel.NativeCalls.errnoFunction;
import static org.jocker.kernel.NativeCalls.invoke;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jocker.kernel.NativeCalls;

/** {@link FileSystemCalls} through the FFM API and glibc (the plumbing is {@link NativeCalls}). */
final class LinuxFileSystemCalls implements FileSystemCalls {
  static final LinuxFileSystemCalls INSTANCE = new LinuxFileSystemCalls();

  private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
  private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
  private static final ValueLayout ADDR = ValueLayout.ADDRESS;

  private static final int AT_FDCWD = -100;
  private static final int AT_SYMLINK_NOFOLLOW = 0x100;
  private static final int ERANGE = 34;
  private static final int ENODATA = 61;
  private static final int ENOTSUP = 95;
  private static final long SYS_FSOPEN = 430;
  private static final long SYS_FSCONFIG = 431;
  private static final long SYS_FSMOUNT = 432;
  private static final long SYS_MOVE_MOUNT = 429;
  private static final int FSCONFIG_SET_FLAG = 0;
  private static final int FSCONFIG_SET_STRING = 1;
  private static final int FSCONFIG_CMD_CREATE = 6;
  private static final int FSOPEN_CLOEXEC = 1;
  private static final int FSMOUNT_CLOEXEC = 1;
  private static final int MOVE_MOUNT_F_EMPTY_PATH = 4;
  private static final int O_DIRECTORY_CLOEXEC = 0200000 | 02000000;

  private static final MethodHandle MKNOD = errnoFunction("mknod", FunctionDescriptor.of(INT, ADDR, INT, LONG));
  private static final MethodHandle LCHOWN = errnoFunction("lchown", FunctionDescriptor.of(INT, ADDR, INT, INT));
  private static final MethodHandle CHMOD = errnoFunction("chmod", FunctionDescriptor.of(INT, ADDR, INT));
  private static final MethodHandle UTIMENSAT =
      errnoFunction("utimensat", FunctionDescriptor.of(INT, INT, ADDR, ADDR, INT));
  private static final MethodHandle LSETXATTR =
      errnoFunction("lsetxattr", FunctionDescriptor.of(INT, ADDR, ADDR, ADDR, LONG, INT));
  private static final MethodHandle LLISTXATTR =
      errnoFunction("llistxattr", FunctionDescriptor.of(LONG, ADDR, ADDR, LONG));
  private static final MethodHandle LGETXATTR =
      errnoFunction("lgetxattr", FunctionDescriptor.of(LONG, ADDR, ADDR, ADDR, LONG));
  private static final MethodHandle MOUNT =
      errnoFunction("mount", FunctionDescriptor.of(INT, ADDR, ADDR, ADDR, LONG, ADDR));
  private static final MethodHandle UMOUNT2 = errnoFunction("umount2", FunctionDescriptor.of(INT, ADDR, INT));
  private static final MethodHandle CLOSE = errnoFunction("close", FunctionDescriptor.of(INT, INT));
  private static final MethodHandle OPEN = errnoFunction("open", FunctionDescriptor.of(INT, ADDR, INT));
  private static final MethodHandle SYNCFS = errnoFunction("syncfs", FunctionDescriptor.of(INT, INT));
  private static final MethodHandle SYSCALL5 = errnoFunction("syscall",
      FunctionDescriptor.of(LONG, LONG, LONG, LONG, LONG, LONG, LONG), Linker.Option.firstVariadicArg(1));

  private LinuxFileSystemCalls() {}

  private static FileSystemCallException failure(String call, Object what, int errno) {
    return new FileSystemCallException(call + " " + what, errno);
  }

  private static MemorySegment cString(Arena arena, Path path) {
    return arena.allocateFrom(path.toString());
  }

  /** glibc's makedev: 12 bits of major and 20 of minor split across a 64-bit dev_t. */
  static long makedev(int major, int minor) {
    long ma = major & 0xffffffffL;
    long mi = minor & 0xffffffffL;
    return ((ma & 0xfffff000L) << 32) | ((ma & 0xfffL) << 8) | ((mi & 0xffffff00L) << 12) | (mi & 0xffL);
  }

  @Override
  public Optional<NewFile> createFile(Path path) {
    return LinuxNewFile.create(path);
  }

  @Override
  public void syncFileSystem(Path path) {
    invoke((arena, st) -> {
      int fd = (int) OPEN.invokeExact(st, cString(arena, path), O_DIRECTORY_CLOEXEC);
      if (fd < 0) {
        throw failure("open", path, errno(st));
      }
      try {
        if ((int) SYNCFS.invokeExact(st, fd) < 0) {
          throw failure("syncfs", path, errno(st));
        }
      } finally {
        int ignored = (int) CLOSE.invokeExact(st, fd);
      }
      return null;
    });
  }

  @Override
  public void mknod(Path path, int mode, int major, int minor) {
    invoke((arena, st) -> {
      if ((int) MKNOD.invokeExact(st, cString(arena, path), mode, makedev(major, minor)) < 0) {
        throw failure("mknod", path, errno(st));
      }
      return null;
    });
  }

  @Override
  public void lchown(Path path, int uid, int gid) {
    invoke((arena, st) -> {
      if ((int) LCHOWN.invokeExact(st, cString(arena, path), uid, gid) < 0) {
        throw failure("lchown", path, errno(st));
      }
      return null;
    });
  }

  @Override
  public void chmod(Path path, int mode) {
    invoke((arena, st) -> {
      if ((int) CHMOD.invokeExact(st, cString(arena, path), mode & 07777) < 0) {
        throw failure("chmod", path, errno(st));
      }
      return null;
    });
  }

  @Override
  public void setTimes(Path path, long accessEpochNanos, long modifyEpochNanos) {
    invoke((arena, st) -> {
      MemorySegment times = timespecs(arena, accessEpochNanos, modifyEpochNanos);
      if ((int) UTIMENSAT.invokeExact(st, AT_FDCWD, cString(arena, path), times, AT_SYMLINK_NOFOLLOW) < 0) {
        throw failure("utimensat", path, errno(st));
      }
      return null;
    });
  }

  /** The struct timespec[2] of utimensat and futimens: access, then modification. */
  static MemorySegment timespecs(Arena arena, long accessEpochNanos, long modifyEpochNanos) {
    MemorySegment times = arena.allocate(LONG, 4);
    times.setAtIndex(LONG, 0, Math.floorDiv(accessEpochNanos, 1_000_000_000L));
    times.setAtIndex(LONG, 1, Math.floorMod(accessEpochNanos, 1_000_000_000L));
    times.setAtIndex(LONG, 2, Math.floorDiv(modifyEpochNanos, 1_000_000_000L));
    times.setAtIndex(LONG, 3, Math.floorMod(modifyEpochNanos, 1_000_000_000L));
    return times;
  }

  @Override
  public void setXattr(Path path, String name, byte[] value) {
    invoke((arena, st) -> {
      MemorySegment v = arena.allocate(Math.max(1, value.length));
      MemorySegment.copy(value, 0, v, ValueLayout.JAVA_BYTE, 0, value.length);
      if ((int) LSETXATTR.invokeExact(st, cString(arena, path), arena.allocateFrom(name), v,
          (long) value.length, 0) < 0) {
        throw failure("lsetxattr " + name, path, errno(st));
      }
      return null;
    });
  }

  @Override
  public Map<String, byte[]> xattrs(Path path) {
    return invoke((arena, st) -> {
      MemorySegment p = cString(arena, path);
      Map<String, byte[]> result = new LinkedHashMap<>();
      long size = (long) LLISTXATTR.invokeExact(st, p, MemorySegment.NULL, 0L);
      if (size < 0) {
        if (errno(st) == ENOTSUP) {
          return result;
        }
        throw failure("llistxattr", path, errno(st));
      }
      MemorySegment names = arena.allocate(Math.max(1, size));
      size = (long) LLISTXATTR.invokeExact(st, p, names, size);
      if (size < 0) {
        throw failure("llistxattr", path, errno(st)); // ERANGE: changed under us; rare enough
      }
      long offset = 0;
      while (offset < size) {
        String name = names.getString(offset);
        offset += name.getBytes(StandardCharsets.UTF_8).length + 1;
        byte[] value = xattr(arena, st, p, path, name);
        if (value != null) {
          result.put(name, value);
        }
      }
      return result;
    });
  }

  private static byte[] xattr(Arena arena, MemorySegment st, MemorySegment p, Path path, String name)
      throws Throwable {
    MemorySegment n = arena.allocateFrom(name);
    for (int attempt = 0; attempt < 3; attempt++) {
      long size = (long) LGETXATTR.invokeExact(st, p, n, MemorySegment.NULL, 0L);
      if (size < 0) {
        if (errno(st) == ENODATA) {
          return null;
        }
        throw failure("lgetxattr " + name, path, errno(st));
      }
      MemorySegment value = arena.allocate(Math.max(1, size));
      long got = (long) LGETXATTR.invokeExact(st, p, n, value, size);
      if (got >= 0) {
        return value.asSlice(0, got).toArray(ValueLayout.JAVA_BYTE);
      }
      if (errno(st) != ERANGE) {
        throw failure("lgetxattr " + name, path, errno(st));
      }
    }
    throw failure("lgetxattr " + name, path, ERANGE);
  }

  @Override
  public void mount(String source, Path target, String type, long flags, String data) {
    invoke((arena, st) -> {
      MemorySegment d = data == null ? MemorySegment.NULL : arena.allocateFrom(data);
      MemorySegment t = type == null ? MemorySegment.NULL : arena.allocateFrom(type);
      if ((int) MOUNT.invokeExact(st, arena.allocateFrom(source), cString(arena, target), t, flags, d) < 0) {
        throw failure("mount " + type + " " + source + " on", target, errno(st));
      }
      return null;
    });
  }

  @Override
  public void mountIn(Path directory, String source, Path target, String type, long flags, String data) {
    OwnWorkingDirectory.run(directory, () -> mount(source, target, type, flags, data));
  }

  @Override
  public void mountOverlay(List<Path> lowers, List<String> options, Path target) {
    invoke((arena, st) -> {
      long fsFd = (long) SYSCALL5.invokeExact(st, SYS_FSOPEN, arena.allocateFrom("overlay").address(),
          (long) FSOPEN_CLOEXEC, 0L, 0L, 0L);
      if (fsFd < 0) {
        throw failure("fsopen overlay for", target, errno(st));
      }
      try {
        for (Path lower : lowers) {
          fsconfig(arena, st, fsFd, "lowerdir+", lower.toString(), target);
        }
        for (String option : options) {
          int equals = option.indexOf('=');
          if (equals < 0) {
            fsconfig(arena, st, fsFd, option, null, target);
          } else {
            fsconfig(arena, st, fsFd, option.substring(0, equals), option.substring(equals + 1), target);
          }
        }
        if ((long) SYSCALL5.invokeExact(st, SYS_FSCONFIG, fsFd, (long) FSCONFIG_CMD_CREATE, 0L, 0L, 0L) < 0) {
          throw failure("fsconfig create overlay for", target, errno(st));
        }
        long mountFd = (long) SYSCALL5.invokeExact(st, SYS_FSMOUNT, fsFd, (long) FSMOUNT_CLOEXEC, 0L, 0L, 0L);
        if (mountFd < 0) {
          throw failure("fsmount overlay for", target, errno(st));
        }
        try {
          if ((long) SYSCALL5.invokeExact(st, SYS_MOVE_MOUNT, mountFd, arena.allocateFrom("").address(),
              (long) AT_FDCWD, cString(arena, target).address(), (long) MOVE_MOUNT_F_EMPTY_PATH) < 0) {
            throw failure("move_mount overlay to", target, errno(st));
          }
        } finally {
          int ignored = (int) CLOSE.invokeExact(st, (int) mountFd);
        }
      } finally {
        int ignored = (int) CLOSE.invokeExact(st, (int) fsFd);
      }
      return null;
    });
  }

  /** FSCONFIG_SET_STRING key=value, or FSCONFIG_SET_FLAG key when {@code value} is null. */
  private static void fsconfig(Arena arena, MemorySegment st, long fsFd, String key, String value, Path target)
      throws Throwable {
    long command = value == null ? FSCONFIG_SET_FLAG : FSCONFIG_SET_STRING;
    long valueAddress = value == null ? 0L : arena.allocateFrom(value).address();
    if ((long) SYSCALL5.invokeExact(st, SYS_FSCONFIG, fsFd, command, arena.allocateFrom(key).address(),
        valueAddress, 0L) < 0) {
      throw failure("fsconfig " + key + (value == null ? "" : "=" + value) + " for", target, errno(st));
    }
  }

  @Override
  public void unmount(Path target, boolean detach) {
    invoke((arena, st) -> {
      if ((int) UMOUNT2.invokeExact(st, cString(arena, target), detach ? 2 : 0) < 0) {
        throw failure("umount2", target, errno(st));
      }
      return null;
    });
  }
}
