package org.jocker.kernel;

import static org.jocker.kernel.NativeCalls.errno;
import static org.jocker.kernel.NativeCalls.errnoFunction;
import static org.jocker.kernel.NativeCalls.invoke;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A unix stream socket served from end to end through FFM (glibc, x86_64 struct layouts), for the
 * resident engine: the JDK's unix domain channels cannot receive descriptors (SCM_RIGHTS) nor tell
 * the peer's uid (SO_PEERCRED). Sockets are plain descriptor numbers; the caller closes them.
 */
public final class UnixSockets {

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
  private static final AddressLayout ADDR = ValueLayout.ADDRESS;

  private static final MethodHandle SOCKET = errnoFunction("socket", FunctionDescriptor.of(INT, INT, INT, INT));
  private static final MethodHandle BIND = errnoFunction("bind", FunctionDescriptor.of(INT, INT, ADDR, INT));
  private static final MethodHandle LISTEN = errnoFunction("listen", FunctionDescriptor.of(INT, INT, INT));
  private static final MethodHandle ACCEPT4 =
      errnoFunction("accept4", FunctionDescriptor.of(INT, INT, ADDR, ADDR, INT));
  private static final MethodHandle GETSOCKOPT =
      errnoFunction("getsockopt", FunctionDescriptor.of(INT, INT, INT, INT, ADDR, ADDR));
  private static final MethodHandle RECVMSG = errnoFunction("recvmsg", FunctionDescriptor.of(LONG, INT, ADDR, INT));
  private static final MethodHandle SEND = errnoFunction("send", FunctionDescriptor.of(LONG, INT, ADDR, LONG, INT));
  private static final MethodHandle SENDMSG = errnoFunction("sendmsg", FunctionDescriptor.of(LONG, INT, ADDR, INT));
  private static final MethodHandle SHUTDOWN = errnoFunction("shutdown", FunctionDescriptor.of(INT, INT, INT));
  private static final MethodHandle POLL = errnoFunction("poll", FunctionDescriptor.of(INT, ADDR, LONG, INT));
  private static final MethodHandle CLOSE = NativeCalls.function("close", FunctionDescriptor.of(INT, INT));

  private UnixSockets() {}

  /** A listening, non-blocking, close-on-exec socket bound at {@code path} (which must not exist). */
  public static int listen(Path path) {
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
        int _ = (int) CLOSE.invokeExact(fd); // the socket is useless; a failed close loses nothing
        throw new KernelException("bind " + path, err);
      }
      return fd;
    });
  }

  /** Waits up to {@code millis} for a connection on a listening socket; true if one is pending. */
  public static boolean awaitConnection(int listener, int millis) {
    return invoke((arena, st) -> {
      MemorySegment pfd = arena.allocate(8, 4);
      pfd.set(INT, 0, listener);
      pfd.set(ValueLayout.JAVA_SHORT, 4, (short) POLLIN);
      int n = (int) POLL.invokeExact(st, pfd, 1L, millis);
      return n > 0;
    });
  }

  /** The next pending connection (blocking, close-on-exec), or -1 if none is pending. */
  public static int accept(int listener) {
    return invoke((arena, st) -> {
      int fd = (int) ACCEPT4.invokeExact(st, listener, MemorySegment.NULL, MemorySegment.NULL, SOCK_CLOEXEC);
      if (fd < 0 && errno(st) != Errno.EAGAIN && errno(st) != Errno.EINTR) {
        throw new KernelException("accept", errno(st));
      }
      return fd;
    });
  }

  /** The uid of the process at the other end (SO_PEERCRED: pid, uid, gid). */
  public static int peerUid(int socket) {
    return peerCredential(socket, 4);
  }

  /** The pid of the process at the other end (when it connected or listened). */
  public static int peerPid(int socket) {
    return peerCredential(socket, 0);
  }

  private static int peerCredential(int socket, long offset) {
    return invoke((arena, st) -> {
      MemorySegment cred = arena.allocate(12, 4);
      MemorySegment len = arena.allocate(INT);
      len.set(INT, 0, 12);
      if ((int) GETSOCKOPT.invokeExact(st, socket, SOL_SOCKET, SO_PEERCRED, cred, len) < 0) {
        throw new KernelException("getsockopt SO_PEERCRED", errno(st));
      }
      return cred.get(INT, offset);
    });
  }

  /** What one recvmsg brought: bytes (empty at end of stream) and the descriptors attached to them. */
  public record Received(byte[] data, int[] fds) {}

  /** One recvmsg of up to {@code max} bytes; received descriptors are close-on-exec. */
  public static Received receive(int socket, int max) {
    return invoke((arena, st) -> {
      MemorySegment data = arena.allocate(max);
      long controlSize = CMSG_HEADER + 4L * MAX_FDS;
      MemorySegment control = arena.allocate(controlSize, 8);
      MemorySegment msg = message(arena, data, control);
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

  /** A struct msghdr with one iovec over all of {@code data} and {@code control} as its ancillary data. */
  private static MemorySegment message(Arena arena, MemorySegment data, MemorySegment control) {
    MemorySegment iov = arena.allocate(16, 8);
    iov.set(ADDR, 0, data);
    iov.set(LONG, 8, data.byteSize());
    MemorySegment msg = arena.allocate(MSGHDR_SIZE, 8);
    msg.set(ADDR, 16, iov);
    msg.set(LONG, 24, 1L);
    msg.set(ADDR, 32, control);
    msg.set(LONG, 40, control.byteSize());
    return msg;
  }

  /** Sends all of {@code bytes}; a peer that went away is an exception, never SIGPIPE. */
  public static void send(int socket, byte[] bytes) {
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

  /**
   * Sends all of {@code bytes} with {@code fds} attached to the first byte (SCM_RIGHTS; at most
   * {@value #MAX_FDS}); the peer gets its own copies, ours stay open.
   */
  public static void sendWithFds(int socket, byte[] bytes, int[] fds) {
    if (fds.length == 0 || fds.length > MAX_FDS || bytes.length == 0) {
      throw new IllegalArgumentException("1 to " + MAX_FDS + " descriptors with at least one byte, not "
          + fds.length + " with " + bytes.length);
    }
    long sent = invoke((arena, st) -> {
      MemorySegment data = arena.allocateFrom(ValueLayout.JAVA_BYTE, bytes);
      MemorySegment control = arena.allocate(CMSG_HEADER + 8L * ((4L * fds.length + 7) / 8), 8);
      control.set(LONG, 0, CMSG_HEADER + 4L * fds.length);
      control.set(INT, 8, SOL_SOCKET);
      control.set(INT, 12, SCM_RIGHTS);
      for (int i = 0; i < fds.length; i++) {
        control.set(INT, CMSG_HEADER + 4L * i, fds[i]);
      }
      MemorySegment msg = message(arena, data, control);
      long n;
      do {
        n = (long) SENDMSG.invokeExact(st, socket, msg, MSG_NOSIGNAL);
      } while (n < 0 && errno(st) == Errno.EINTR);
      if (n < 0) {
        throw new KernelException("sendmsg", errno(st));
      }
      return n;
    });
    if (sent < bytes.length) {
      send(socket, Arrays.copyOfRange(bytes, (int) sent, bytes.length));
    }
  }

  /** Ends both directions, waking a thread blocked reading the socket; the fd stays open. */
  public static void shutdown(int socket) {
    invoke((arena, st) -> (int) SHUTDOWN.invokeExact(st, socket, SHUT_RDWR));
  }
}
