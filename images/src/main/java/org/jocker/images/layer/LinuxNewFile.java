package org.jocker.images.layer;

import static org.jocker.kernel.Errno.EEXIST;
import static org.jocker.kernel.Errno.EINTR;
import static org.jocker.kernel.NativeCalls.errno;
import static org.jocker.kernel.NativeCalls.errnoFunction;
import static org.jocker.kernel.NativeCalls.invoke;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Optional;

/** {@link NewFile} on a file descriptor, through the FFM API and glibc. */
final class LinuxNewFile implements NewFile {
  private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
  private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
  private static final ValueLayout ADDR = ValueLayout.ADDRESS;

  private static final int O_WRONLY = 01;
  private static final int O_CREAT = 0100;
  private static final int O_EXCL = 0200;
  private static final int O_NOFOLLOW = 0400000;
  private static final int O_CLOEXEC = 02000000;

  private static final MethodHandle OPEN =
      errnoFunction("open", FunctionDescriptor.of(INT, ADDR, INT, INT), Linker.Option.firstVariadicArg(2));
  private static final MethodHandle WRITE = errnoFunction("write", FunctionDescriptor.of(LONG, INT, ADDR, LONG));
  private static final MethodHandle FCHOWN = errnoFunction("fchown", FunctionDescriptor.of(INT, INT, INT, INT));
  private static final MethodHandle FCHMOD = errnoFunction("fchmod", FunctionDescriptor.of(INT, INT, INT));
  private static final MethodHandle FSETXATTR =
      errnoFunction("fsetxattr", FunctionDescriptor.of(INT, INT, ADDR, ADDR, LONG, INT));
  private static final MethodHandle FUTIMENS = errnoFunction("futimens", FunctionDescriptor.of(INT, INT, ADDR));
  private static final MethodHandle CLOSE = errnoFunction("close", FunctionDescriptor.of(INT, INT));

  private final Path path;
  private final int fd;
  private boolean closed;

  private LinuxNewFile(Path path, int fd) {
    this.path = path;
    this.fd = fd;
  }

  static Optional<NewFile> create(Path path) {
    return invoke((arena, st) -> {
      int fd = (int) OPEN.invokeExact(st, arena.allocateFrom(path.toString()),
          O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
      if (fd < 0) {
        if (errno(st) == EEXIST) {
          return Optional.empty();
        }
        throw new FileSystemCallException("open " + path, errno(st));
      }
      return Optional.of(new LinuxNewFile(path, fd));
    });
  }

  private FileSystemCallException failure(String call, int errno) {
    return new FileSystemCallException(call + " " + path, errno);
  }

  @Override
  public void write(ByteBuffer data) {
    MemorySegment bytes = MemorySegment.ofBuffer(data);
    invoke((arena, st) -> {
      long offset = 0;
      while (offset < bytes.byteSize()) {
        long n = (long) WRITE.invokeExact(st, fd, bytes.asSlice(offset), bytes.byteSize() - offset);
        if (n < 0 && errno(st) != EINTR) {
          throw failure("write", errno(st));
        }
        offset += Math.max(0, n);
      }
      return null;
    });
    data.position(data.limit());
  }

  @Override
  public void setOwner(int uid, int gid) {
    invoke((arena, st) -> {
      if ((int) FCHOWN.invokeExact(st, fd, uid, gid) < 0) {
        throw failure("fchown", errno(st));
      }
      return null;
    });
  }

  @Override
  public void setMode(int mode) {
    invoke((arena, st) -> {
      if ((int) FCHMOD.invokeExact(st, fd, mode & 07777) < 0) {
        throw failure("fchmod", errno(st));
      }
      return null;
    });
  }

  @Override
  public void setXattr(String name, byte[] value) {
    invoke((arena, st) -> {
      MemorySegment v = arena.allocate(Math.max(1, value.length));
      MemorySegment.copy(value, 0, v, ValueLayout.JAVA_BYTE, 0, value.length);
      if ((int) FSETXATTR.invokeExact(st, fd, arena.allocateFrom(name), v, (long) value.length, 0) < 0) {
        throw failure("fsetxattr " + name, errno(st));
      }
      return null;
    });
  }

  @Override
  public void setTimes(long accessEpochNanos, long modifyEpochNanos) {
    invoke((arena, st) -> {
      MemorySegment times = LinuxFileSystemCalls.timespecs(arena, accessEpochNanos, modifyEpochNanos);
      if ((int) FUTIMENS.invokeExact(st, fd, times) < 0) {
        throw failure("futimens", errno(st));
      }
      return null;
    });
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    invoke((arena, st) -> {
      // close(2) releases the descriptor even when it fails; a failure here means lost data
      if ((int) CLOSE.invokeExact(st, fd) < 0 && errno(st) != EINTR) {
        throw failure("close", errno(st));
      }
      return null;
    });
  }
}
