package org.jocker.kernel;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * The system calls that resolve a path relative to a held descriptor (the *at family and openat2),
 * through the FFM API. Each failure is a {@link KernelException} naming the path it was for, as
 * the caller shows it.
 */
final class AtCalls {
  static final int AT_FDCWD = -100;
  /** Magic links (/proc/PID/root, /proc/PID/fd/N) are refused, as openat2's RESOLVE_NO_MAGICLINKS does. */
  static final long RESOLVE_NO_MAGICLINKS = 0x02;
  /** Absolute symlinks and ".." stop at the directory given, as if it were "/". */
  static final long RESOLVE_IN_ROOT = 0x10;
  /** openat2's number in the generic table, which x86_64 and aarch64 share. */
  private static final long SYS_OPENAT2 = 437;
  private static final int AT_EMPTY_PATH = 0x1000;
  private static final int AT_SYMLINK_NOFOLLOW = 0x100;
  private static final int STATX_TYPE = 1;
  private static final int STATX_INO = 0x100;
  private static final long STATX_SIZE = 256;
  private static final long STATX_MODE_OFFSET = 28;
  private static final long STATX_INO_OFFSET = 32;
  /** struct statfs is 120 bytes on both; its f_type (a long) comes first. */
  private static final long STATFS_SIZE = 256;
  private static final int S_IFMT = 0170000;
  private static final int S_IFDIR = 0040000;
  private static final int S_IFLNK = 0120000;
  private static final int PATH_MAX = 4096;

  private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
  private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
  private static final ValueLayout ADDR = ValueLayout.ADDRESS;

  private static final MethodHandle OPENAT = NativeCalls.errnoFunction("openat",
      FunctionDescriptor.of(INT, INT, ADDR, INT, INT), Linker.Option.firstVariadicArg(3));
  private static final MethodHandle OPENAT2 = NativeCalls.errnoFunction("syscall",
      FunctionDescriptor.of(LONG, LONG, LONG, ADDR, ADDR, LONG), Linker.Option.firstVariadicArg(1));
  private static final MethodHandle READLINKAT =
      NativeCalls.errnoFunction("readlinkat", FunctionDescriptor.of(LONG, INT, ADDR, ADDR, LONG));
  private static final MethodHandle MKDIRAT =
      NativeCalls.errnoFunction("mkdirat", FunctionDescriptor.of(INT, INT, ADDR, INT));
  private static final MethodHandle STATX =
      NativeCalls.errnoFunction("statx", FunctionDescriptor.of(INT, INT, ADDR, INT, INT, ADDR));
  private static final MethodHandle FSTATFS = NativeCalls.errnoFunction("fstatfs", FunctionDescriptor.of(INT, INT, ADDR));
  private static final MethodHandle CLOSE = NativeCalls.errnoFunction("close", FunctionDescriptor.of(INT, INT));

  /** What a descriptor names, as far as a walk cares. */
  enum Kind { DIRECTORY, SYMLINK, OTHER }

  private AtCalls() {}

  /** openat(2) of {@code name} in {@code dir} (or AT_FDCWD); close-on-exec. */
  static int openat(int dir, String name, int flags, int mode, String shown) {
    return NativeCalls.invoke((arena, st) -> {
      int fd = (int) OPENAT.invokeExact(st, dir, arena.allocateFrom(name), flags | OpenFlags.O_CLOEXEC, mode);
      if (fd < 0) {
        throw new KernelException("open", shown, NativeCalls.errno(st));
      }
      return fd;
    });
  }

  /** openat2(2) with struct open_how {u64 flags; u64 mode; u64 resolve}; close-on-exec. */
  static int openat2(int dir, String path, int flags, int mode, long resolve, String shown) {
    return NativeCalls.invoke((arena, st) -> {
      MemorySegment how = arena.allocate(LONG, 3);
      how.setAtIndex(LONG, 0, (flags | OpenFlags.O_CLOEXEC) & 0xffffffffL);
      how.setAtIndex(LONG, 1, mode);
      how.setAtIndex(LONG, 2, resolve);
      long fd = (long) OPENAT2.invokeExact(st, SYS_OPENAT2, (long) dir, arena.allocateFrom(path), how, how.byteSize());
      if (fd < 0) {
        throw new KernelException("openat2", shown, NativeCalls.errno(st));
      }
      return (int) fd;
    });
  }

  /** The target of the symlink {@code fd} names (an O_PATH|O_NOFOLLOW descriptor of it). */
  static String readlink(int fd, String shown) {
    return NativeCalls.invoke((arena, st) -> {
      MemorySegment buf = arena.allocate(PATH_MAX);
      long n = (long) READLINKAT.invokeExact(st, fd, arena.allocateFrom(""), buf, (long) PATH_MAX);
      if (n < 0) {
        throw new KernelException("readlink", shown, NativeCalls.errno(st));
      }
      return new String(buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    });
  }

  /** mkdirat(2); an existing entry of that name is left as it is (the caller looks it up again). */
  static void mkdirIfMissing(int dir, String name, int mode, String shown) {
    NativeCalls.invoke((arena, st) -> {
      if ((int) MKDIRAT.invokeExact(st, dir, arena.allocateFrom(name), mode) < 0
          && NativeCalls.errno(st) != Errno.EEXIST) {
        throw new KernelException("mkdir", shown, NativeCalls.errno(st));
      }
      return null;
    });
  }

  static Kind kind(int fd, String shown) {
    int type = statx(fd, STATX_TYPE, shown, buf -> (int) buf.get(ValueLayout.JAVA_SHORT, STATX_MODE_OFFSET)) & S_IFMT;
    return type == S_IFDIR ? Kind.DIRECTORY : type == S_IFLNK ? Kind.SYMLINK : Kind.OTHER;
  }

  static long inode(int fd, String shown) {
    return statx(fd, STATX_INO, shown, buf -> buf.get(LONG, STATX_INO_OFFSET));
  }

  /** The file system's magic number (statfs's f_type), e.g. procfs's. */
  static long fileSystemType(int fd, String shown) {
    return NativeCalls.invoke((arena, st) -> {
      MemorySegment buf = arena.allocate(STATFS_SIZE, 8);
      if ((int) FSTATFS.invokeExact(st, fd, buf) < 0) {
        throw new KernelException("statfs", shown, NativeCalls.errno(st));
      }
      return buf.get(LONG, 0);
    });
  }

  static void close(int fd) {
    NativeCalls.invoke((arena, st) -> (int) CLOSE.invokeExact(st, fd));
  }

  /** statx(2) of what fd names itself (AT_EMPTY_PATH), and the field {@code read} takes from it. */
  private static <T> T statx(int fd, int mask, String shown, Function<MemorySegment, T> read) {
    return NativeCalls.invoke((arena, st) -> {
      MemorySegment buf = arena.allocate(STATX_SIZE, 8);
      if ((int) STATX.invokeExact(st, fd, arena.allocateFrom(""), AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, mask, buf) < 0) {
        throw new KernelException("statx", shown, NativeCalls.errno(st));
      }
      return read.apply(buf);
    });
  }
}
