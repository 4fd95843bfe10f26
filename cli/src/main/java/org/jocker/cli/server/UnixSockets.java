package org.jocker.cli.server;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.jocker.cli.session.Descriptors;
import org.jocker.kernel.Errno;
import org.jocker.kernel.KernelException;
import org.jocker.kernel.NativeCalls;

/**
 * The unix socket calls of the engine server, through FFM (glibc, x86_64 struct layouts). The
 * JDK's unix domain channels cannot receive descriptors (SCM_RIGHTS) nor tell the peer's uid, so
 * the socket is handled here from end to end.
 */
final class UnixSockets {

  private static final int AF_UNIX = 1;
  private static final int SOCK_STREAM = 1;
  private static final int SOCK_NONBLOCK = 0x800;
  private static final int SOCK_CLOEXEC = 0x80000;
  private static final int SOL_SOCKET = 1;
  private static final int SO_PEERCRED = 17;
  private static final int SCM_RIGHTS = 1;
  private static final int MSG_NOSIGNAL = 0x4000;
  private static final int MSG_CMSG_CLOEXEC = 0x40000000;
  private static final int SHUT_RDWR = 2;
  private static final int POLLIN = 1;
  /** sockaddr_un: a 2-byte family, then 108 bytes of path. */
  private static final int SUN_PATH_MAX = 108;
  /** struct msghdr (56 bytes), iovec (16), cmsghdr header (16) on x86_64. */
  private static final long MSGHDR_SIZE = 56;
  private static final long CMSG_HEADER = 16;
  private static final int MAX_FDS = 8;

  private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
  private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
  private static final java.lang.foreign.AddressLayout ADDR = ValueLayout.ADDRESS;

  private static final MethodHandle SOCKET = call("socket", FunctionDescriptor.of(INT, INT, INT, INT));
  private static final MethodHandle BIND = call("bind", FunctionDescriptor.of(INT, INT, ADDR, INT));
  private static final MethodHandle LISTEN = call("listen", FunctionDescriptor.of(INT, INT, INT));
  private static final MethodHandle ACCEPT4 = call("accept4", FunctionDescriptor.of(INT, INT, ADDR, ADDR, INT));
  private static final MethodHandle GETSOCKOPT =
      call("getsockopt", FunctionDescriptor.of(INT, INT, INT, INT, ADDR, ADDR));
  private static final MethodHandle RECVMSG = call("recvmsg", FunctionDescriptor.of(LONG, INT, ADDR, INT));
  private static final MethodHandle SEND = call("send", FunctionDescriptor.of(LONG, INT, ADDR, LONG, INT));
  private static final MethodHandle SHUTDOWN = call("shutdown", FunctionDescriptor.of(INT, INT, INT));
  private static final MethodHandle POLL = call("poll", FunctionDescriptor.of(INT, ADDR, LONG, INT));

  private UnixSockets() {}

  private static MethodHandle call(String name, FunctionDescriptor fd) {
    return NativeCalls.errnoFunction(name, fd);
  }

  private static <T> T invoke(NativeCalls.Call<T> call) {
    return NativeCalls.invoke(call);
  }

  private static int errno(MemorySegment state) {
    return NativeCalls.errno(state);
  }

  /** A listening, non-blocking, close-on-exec socket bound at {@code path} (which must not exist). */
  static int listen(Path path) {
    byte[] name = path.toString().getBytes(StandardCharsets.UTF_8);
    if (name.length >= SUN_PATH_MAX) {
      throw new IllegalArgumentException("socket path too long: " + path);
    }
    return invoke((arena, st) -> {
      int fd = (int) SOCKET.invokeExact(st, AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
      if (fd < 0) {
        throw new KernelException("socket", errno(st));
      }
      MemorySegment addr = arena.allocate(2 + SUN_PATH_MAX);
      addr.set(ValueLayout.JAVA_SHORT, 0, (short) AF_UNIX);
      MemorySegment.copy(name, 0, addr, ValueLayout.JAVA_BYTE, 2, name.length);
      if ((int) BIND.invokeExact(st, fd, addr, 2 + name.length + 1) < 0
          || (int) LISTEN.invokeExact(st, fd, 128) < 0) {
        int err = errno(st);
        Descriptors.close(fd);
        throw new KernelException("bind " + path, err);
      }
      return fd;
    });
  }

  /** Waits up to {@code millis} for a connection on a listening socket; true if one is pending. */
  static boolean awaitConnection(int listener, int millis) {
    return invoke((arena, st) -> {
      MemorySegment pfd = arena.allocate(8, 4);
      pfd.set(INT, 0, listener);
      pfd.set(ValueLayout.JAVA_SHORT, 4, (short) POLLIN);
      int n = (int) POLL.invokeExact(st, pfd, 1L, millis);
      return n > 0;
    });
  }

  /** The next pending connection (blocking, close-on-exec), or -1 if none is pending. */
  static int accept(int listener) {
    return invoke((arena, st) -> {
      int fd = (int) ACCEPT4.invokeExact(st, listener, MemorySegment.NULL, MemorySegment.NULL, SOCK_CLOEXEC);
      if (fd < 0 && errno(st) != Errno.EAGAIN && errno(st) != Errno.EINTR) {
        throw new KernelException("accept", errno(st));
      }
      return fd;
    });
  }

  /** The uid of the process at the other end (SO_PEERCRED: pid, uid, gid). */
  static int peerUid(int socket) {
    return invoke((arena, st) -> {
      MemorySegment cred = arena.allocate(12, 4);
      MemorySegment len = arena.allocate(INT);
      len.set(INT, 0, 12);
      if ((int) GETSOCKOPT.invokeExact(st, socket, SOL_SOCKET, SO_PEERCRED, cred, len) < 0) {
        throw new KernelException("getsockopt SO_PEERCRED", errno(st));
      }
      return cred.get(INT, 4);
    });
  }

  /** What one recvmsg brought: bytes (empty at end of stream) and the descriptors attached to them. */
  record Received(byte[] data, int[] fds) {}

  /** One recvmsg of up to {@code max} bytes; received descriptors are close-on-exec. */
  static Received receive(int socket, int max) {
    return invoke((arena, st) -> {
      MemorySegment data = arena.allocate(max);
      MemorySegment iov = arena.allocate(16, 8);
      iov.set(ADDR, 0, data);
      iov.set(LONG, 8, max);
      long controlSize = CMSG_HEADER + 4L * MAX_FDS;
      MemorySegment control = arena.allocate(controlSize, 8);
      MemorySegment msg = arena.allocate(MSGHDR_SIZE, 8);
      msg.set(ADDR, 16, iov);
      msg.set(LONG, 24, 1L);
      msg.set(ADDR, 32, control);
      msg.set(LONG, 40, controlSize);
      long n;
      do {
        n = (long) RECVMSG.invokeExact(st, socket, msg, MSG_CMSG_CLOEXEC);
      } while (n < 0 && errno(st) == Errno.EINTR);
      if (n < 0) {
        throw new KernelException("recvmsg", errno(st));
      }
      int[] fds = new int[0];
      long controlLen = msg.get(LONG, 40);
      if (controlLen >= CMSG_HEADER && control.get(INT, 8) == SOL_SOCKET && control.get(INT, 12) == SCM_RIGHTS) {
        int count = (int) ((control.get(LONG, 0) - CMSG_HEADER) / 4);
        fds = new int[count];
        for (int i = 0; i < count; i++) {
          fds[i] = control.get(INT, CMSG_HEADER + 4L * i);
        }
      }
      byte[] bytes = new byte[(int) n];
      MemorySegment.copy(data, ValueLayout.JAVA_BYTE, 0, bytes, 0, (int) n);
      return new Received(bytes, fds);
    });
  }

  /** Sends all of {@code bytes}; a peer that went away is an exception, never SIGPIPE. */
  static void send(int socket, byte[] bytes) {
    invoke((arena, st) -> {
      MemorySegment seg = arena.allocateFrom(ValueLayout.JAVA_BYTE, bytes);
      long off = 0;
      while (off < bytes.length) {
        long n = (long) SEND.invokeExact(st, socket, seg.asSlice(off), bytes.length - off, MSG_NOSIGNAL);
        if (n < 0 && errno(st) != Errno.EINTR) {
          throw new KernelException("send", errno(st));
        }
        off += Math.max(n, 0);
      }
      return null;
    });
  }

  /** Ends both directions, waking a thread blocked reading the socket; the fd stays open. */
  static void shutdown(int socket) {
    invoke((arena, st) -> (int) SHUTDOWN.invokeExact(st, socket, SHUT_RDWR));
  }
}
