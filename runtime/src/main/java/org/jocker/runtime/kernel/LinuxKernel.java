package org.jocker.runtime.kernel;

import static org.jocker.kernel.NativeCalls.errno;
import static org.jocker.kernel.NativeCalls.errnoFunction;
import static org.jocker.kernel.NativeCalls.function;
import static org.jocker.kernel.NativeCalls.invoke;

import java.io.IOException;
import java.lang.foreign.AddressLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.jocker.kernel.Errno;
import org.jocker.kernel.KernelException;
import org.jocker.runtime.OciRuntimeException;

/** {@link Kernel} on Linux through the FFM API (glibc). */
public final class LinuxKernel implements Kernel {
  private static final int O_CLOEXEC = 0x80000;
  private static final int F_DUPFD_CLOEXEC = 1030;
  private static final int O_PATH = 0x200000;
  private static final int O_RDONLY = 0;
  private static final int O_DIRECTORY = 0x10000;
  private static final int O_NOFOLLOW = 0x20000;
  private static final int O_NONBLOCK = 0x800;
  private static final int POLLIN = 1;
  private static final int MFD_CLOEXEC = 1;
  private static final int MFD_ALLOW_SEALING = 2;
  /** Linux 6.3+: the memfd may be executed even where vm.memfd_noexec = 1 makes that opt-in. */
  private static final int MFD_EXEC = 0x10;
  private static final int F_ADD_SEALS = 1033;
  /** F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE */
  private static final int IMMUTABLE = 1 | 2 | 4 | 8;
  private static final long SYS_PIDFD_OPEN = 434;
  private static final long SYS_PIDFD_SEND_SIGNAL = 424;
  /** posix_spawn's opaque structs are 80 and 336 bytes in glibc; leave room. */
  private static final long SPAWN_STRUCT_SIZE = 1024;

  private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
  private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
  private static final AddressLayout ADDR = ValueLayout.ADDRESS;

  private static final MethodHandle PIPE2 = errnoFunction("pipe2", FunctionDescriptor.of(INT, ADDR, INT));
  private static final MethodHandle READ = errnoFunction("read", FunctionDescriptor.of(LONG, INT, ADDR, LONG));
  private static final MethodHandle WRITE = errnoFunction("write", FunctionDescriptor.of(LONG, INT, ADDR, LONG));
  private static final MethodHandle CLOSE = errnoFunction("close", FunctionDescriptor.of(INT, INT));
  private static final MethodHandle OPEN = errnoFunction("open", FunctionDescriptor.of(INT, ADDR, INT));
  private static final MethodHandle FCNTL = errnoFunction("fcntl", FunctionDescriptor.of(INT, INT, INT, INT));
  private static final MethodHandle WAITPID = errnoFunction("waitpid", FunctionDescriptor.of(INT, INT, ADDR, INT));
  private static final MethodHandle POLL = errnoFunction("poll", FunctionDescriptor.of(INT, ADDR, LONG, INT));
  private static final MethodHandle SYSCALL3 = errnoFunction("syscall",
      FunctionDescriptor.of(LONG, LONG, LONG, LONG, LONG), Linker.Option.firstVariadicArg(1));
  private static final MethodHandle SYSCALL4 = errnoFunction("syscall",
      FunctionDescriptor.of(LONG, LONG, LONG, LONG, LONG, LONG), Linker.Option.firstVariadicArg(1));
  private static final MethodHandle MEMFD_CREATE = errnoFunction("memfd_create", FunctionDescriptor.of(INT, ADDR, INT));
  private static final MethodHandle PRLIMIT = errnoFunction("prlimit", FunctionDescriptor.of(INT, INT, INT, ADDR, ADDR));
  private static final MethodHandle FA_INIT =
      function("posix_spawn_file_actions_init", FunctionDescriptor.of(INT, ADDR));
  private static final MethodHandle FA_DUP2 =
      function("posix_spawn_file_actions_adddup2", FunctionDescriptor.of(INT, ADDR, INT, INT));
  private static final MethodHandle FA_DESTROY =
      function("posix_spawn_file_actions_destroy", FunctionDescriptor.of(INT, ADDR));
  private static final MethodHandle SPAWN =
      function("posix_spawn", FunctionDescriptor.of(INT, ADDR, ADDR, ADDR, ADDR, ADDR, ADDR));

  /**
   * The sealed copies this process made, by file identity: one per launcher binary for the JVM's
   * life (a rebuilt binary gets a new one; the old copy stays open, since a spawn may be using it).
   */
  private static final ConcurrentHashMap<String, Integer> SEALED_COPIES = new ConcurrentHashMap<>();

  @Override
  public Pipe pipe() {
    return invoke((arena, st) -> {
      MemorySegment fds = arena.allocate(INT, 2);
      if ((int) PIPE2.invokeExact(st, fds, O_CLOEXEC) < 0) {
        throw new KernelException("pipe2", errno(st));
      }
      return new Pipe(fds.getAtIndex(INT, 0), fds.getAtIndex(INT, 1));
    });
  }

  @Override
  public int spawn(String path, List<String> argv, List<String> env, int[] fds) {
    return invoke((arena, st) -> {
      // Move the sources out of the way first, so that dup2(a, 3) cannot clobber a source b == 3.
      int[] high = new int[fds.length];
      Arrays.fill(high, -1);
      MemorySegment actions = arena.allocate(SPAWN_STRUCT_SIZE, 16);
      int r = (int) FA_INIT.invokeExact(actions);
      try {
        for (int i = 0; i < fds.length; i++) {
          if (fds[i] >= 0) {
            high[i] = (int) FCNTL.invokeExact(st, fds[i], F_DUPFD_CLOEXEC, Math.max(64, fds.length));
            if (high[i] < 0) {
              // never pass the child another descriptor, or none, in its place
              throw new KernelException("posix_spawn " + path + ": our descriptor " + fds[i] + " (the child's "
                  + i + ")", errno(st));
            }
          }
        }
        for (int i = 0; i < high.length; i++) {
          if (high[i] >= 0) {
            r |= (int) FA_DUP2.invokeExact(actions, high[i], i);
          }
        }
        MemorySegment pid = arena.allocate(INT);
        if (r == 0) {
          r = (int) SPAWN.invokeExact(pid, arena.allocateFrom(path), actions, MemorySegment.NULL,
              strings(arena, argv), strings(arena, env));
        }
        if (r != 0) {
          throw new KernelException("posix_spawn " + path, r);
        }
        return pid.get(INT, 0);
      } finally {
        int ignored = (int) FA_DESTROY.invokeExact(actions);
        for (int fd : high) {
          if (fd >= 0) {
            close(fd);
          }
        }
      }
    });
  }

  private static MemorySegment strings(Arena arena, List<String> values) {
    MemorySegment array = arena.allocate(ADDR, values.size() + 1L);
    for (int i = 0; i < values.size(); i++) {
      array.setAtIndex(ADDR, i, arena.allocateFrom(values.get(i)));
    }
    array.setAtIndex(ADDR, values.size(), MemorySegment.NULL);
    return array;
  }

  @Override
  public int sealedCopy(Path file, String name) {
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      String identity = file.toRealPath() + " " + a.fileKey() + " " + a.size() + " "
          + a.lastModifiedTime().toMillis();
      return SEALED_COPIES.computeIfAbsent(identity, k -> copySealed(file, name));
    } catch (IOException e) {
      throw new OciRuntimeException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private int copySealed(Path file, String name) {
    byte[] content;
    try {
      content = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new OciRuntimeException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return invoke((arena, st) -> {
      MemorySegment cName = arena.allocateFrom(name);
      int fd = (int) MEMFD_CREATE.invokeExact(st, cName, MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);
      if (fd < 0 && errno(st) == Errno.EINVAL) { // a kernel before 6.3: every memfd is executable
        fd = (int) MEMFD_CREATE.invokeExact(st, cName, MFD_CLOEXEC | MFD_ALLOW_SEALING);
      }
      if (fd < 0) {
        throw new KernelException("memfd_create (an executable sealed copy of " + file + ")", errno(st));
      }
      try {
        writeFully(fd, content);
        if ((int) FCNTL.invokeExact(st, fd, F_ADD_SEALS, IMMUTABLE) < 0) {
          throw new KernelException("seal " + name, errno(st));
        }
        return fd;
      } catch (RuntimeException e) {
        int ignored = (int) CLOSE.invokeExact(st, fd);
        throw e;
      }
    });
  }

  @Override
  public int waitPid(int pid) {
    return invoke((arena, st) -> {
      MemorySegment status = arena.allocate(INT);
      while (true) {
        int r = (int) WAITPID.invokeExact(st, pid, status, 0);
        if (r == pid) {
          return status.get(INT, 0);
        }
        if (errno(st) != Errno.EINTR) {
          throw new KernelException("waitpid " + pid, errno(st));
        }
      }
    });
  }

  @Override
  public int read(int fd, byte[] buf, int off, int len) {
    return invoke((arena, st) -> {
      MemorySegment seg = arena.allocate(len);
      while (true) {
        long n = (long) READ.invokeExact(st, fd, seg, (long) len);
        if (n >= 0) {
          MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, 0, buf, off, (int) n);
          return (int) n;
        }
        if (errno(st) != Errno.EINTR) {
          throw new KernelException("read", errno(st));
        }
      }
    });
  }

  @Override
  public void writeFully(int fd, byte[] buf) {
    invoke((arena, st) -> {
      MemorySegment seg = arena.allocateFrom(ValueLayout.JAVA_BYTE, buf);
      long off = 0;
      while (off < buf.length) {
        long n = (long) WRITE.invokeExact(st, fd, seg.asSlice(off), buf.length - off);
        if (n < 0 && errno(st) != Errno.EINTR) {
          throw new KernelException("write", errno(st));
        }
        off += Math.max(n, 0);
      }
      return null;
    });
  }

  @Override
  public void close(int fd) {
    invoke((arena, st) -> (int) CLOSE.invokeExact(st, fd));
  }

  @Override
  public int openPath(Path dir) {
    return open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
  }

  @Override
  public int openForReading(Path file) {
    return open(file, O_RDONLY | O_CLOEXEC);
  }

  @Override
  public int openFileNoFollow(Path file) {
    return open(file, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  }

  private static int open(Path path, int flags) {
    return invoke((arena, st) -> {
      int fd = (int) OPEN.invokeExact(st, arena.allocateFrom(path.toString()), flags);
      if (fd < 0) {
        throw new KernelException("open " + path, errno(st));
      }
      return fd;
    });
  }

  /** A pidfd for pid, checked against its start time so that a recycled pid is never hit. */
  private int pidfd(MemorySegment st, int pid, long startTime) throws Throwable {
    int fd = (int) (long) SYSCALL3.invokeExact(st, SYS_PIDFD_OPEN, (long) pid, 0L, 0L);
    if (fd >= 0 && startTime >= 0 && startTime(pid) != startTime) {
      close(fd);
      return -1;
    }
    return fd;
  }

  @Override
  public boolean signal(int pid, long startTime, int signal) {
    return invoke((arena, st) -> {
      int fd = pidfd(st, pid, startTime);
      if (fd < 0) {
        return false;
      }
      try {
        long r = (long) SYSCALL4.invokeExact(st, SYS_PIDFD_SEND_SIGNAL, (long) fd, (long) signal, 0L, 0L);
        if (r < 0 && errno(st) != Errno.ESRCH) {
          throw new KernelException("kill " + pid, errno(st));
        }
        return r == 0;
      } finally {
        close(fd);
      }
    });
  }

  @Override
  public boolean awaitExit(int pid, long timeoutMillis) {
    return invoke((arena, st) -> {
      int fd = pidfd(st, pid, -1);
      if (fd < 0) {
        return true; // already gone
      }
      try {
        MemorySegment pfd = arena.allocate(8);
        pfd.set(INT, 0, fd);
        pfd.set(ValueLayout.JAVA_SHORT, 4, (short) POLLIN);
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (true) {
          long left = timeoutMillis < 0 ? -1 : Math.max(0, (deadline - System.nanoTime()) / 1_000_000L);
          int r = (int) POLL.invokeExact(st, pfd, 1L, (int) Math.min(left, Integer.MAX_VALUE));
          if (r != 0 || left == 0) {
            if (r < 0 && errno(st) == Errno.EINTR) {
              continue;
            }
            if (r < 0) {
              throw new KernelException("poll", errno(st));
            }
            return r > 0;
          }
        }
      } finally {
        close(fd);
      }
    });
  }

  @Override
  public boolean awaitReadable(int fd, int wakeFd) {
    return invoke((arena, st) -> {
      MemorySegment pfds = arena.allocate(16);
      pfds.set(INT, 0, fd);
      pfds.set(ValueLayout.JAVA_SHORT, 4, (short) POLLIN);
      pfds.set(INT, 8, wakeFd);
      pfds.set(ValueLayout.JAVA_SHORT, 12, (short) POLLIN);
      while (true) {
        int r = (int) POLL.invokeExact(st, pfds, 2L, -1);
        if (r < 0 && errno(st) == Errno.EINTR) {
          continue;
        }
        if (r < 0) {
          throw new KernelException("poll", errno(st));
        }
        if (pfds.get(ValueLayout.JAVA_SHORT, 14) != 0) {
          return false;
        }
        if (pfds.get(ValueLayout.JAVA_SHORT, 6) != 0) {
          return true;
        }
      }
    });
  }

  @Override
  public long startTime(int pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.US_ASCII);
      // The command name (field 2) may contain spaces and parentheses: count from the last ')'.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      if (fields[0].equals("Z") || fields[0].equals("X")) {
        return -1; // dead, waiting to be reaped
      }
      return Long.parseLong(fields[19]);
    } catch (IOException | RuntimeException e) {
      return -1; // gone, or a zombie being reaped
    }
  }

  @Override
  public long hardRlimit(long pid, int resource) {
    return invoke((arena, st) -> {
      MemorySegment rl = arena.allocate(16);
      if ((int) PRLIMIT.invokeExact(st, (int) pid, resource, MemorySegment.NULL, rl) < 0) {
        throw new KernelException("prlimit " + pid, errno(st));
      }
      return rl.get(LONG, 8);
    });
  }
}
