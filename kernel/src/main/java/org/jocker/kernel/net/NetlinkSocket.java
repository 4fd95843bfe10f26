package org.jocker.kernel.net;

import static org.jocker.kernel.NativeCalls.errno;
import static org.jocker.kernel.NativeCalls.errnoFunction;
import static org.jocker.kernel.NativeCalls.invoke;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.jocker.kernel.Errno;
import org.jocker.kernel.KernelException;
import org.jocker.kernel.NativeCalls;

/**
 * A NETLINK_ROUTE socket of the network namespace its creating thread was in, for one request at a
 * time: each is sent with NLM_F_ACK and its answer read up to the kernel's acknowledgement, whose
 * errno becomes a {@link KernelException} naming what was asked.
 */
final class NetlinkSocket implements AutoCloseable {
  static final int NLM_F_REQUEST = 0x1;
  static final int NLM_F_ACK = 0x4;
  static final int NLM_F_EXCL = 0x200;
  static final int NLM_F_CREATE = 0x400;
  private static final int NLMSG_ERROR = 2;
  private static final int NLMSG_DONE = 3;

  private static final int AF_NETLINK = 16;
  private static final int SOCK_RAW = 3;
  private static final int SOCK_CLOEXEC = 0x80000;
  private static final int NETLINK_ROUTE = 0;
  private static final int RECEIVE_BUFFER = 32 * 1024;

  private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
  private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
  private static final MethodHandle SOCKET = errnoFunction("socket", FunctionDescriptor.of(INT, INT, INT, INT));
  private static final MethodHandle SEND =
      errnoFunction("send", FunctionDescriptor.of(LONG, INT, ValueLayout.ADDRESS, LONG, INT));
  private static final MethodHandle RECV =
      errnoFunction("recv", FunctionDescriptor.of(LONG, INT, ValueLayout.ADDRESS, LONG, INT));
  private static final MethodHandle CLOSE = NativeCalls.function("close", FunctionDescriptor.of(INT, INT));

  private final int fd;
  private int sequence;

  private NetlinkSocket(int fd) {
    this.fd = fd;
  }

  /** A socket in the calling thread's network namespace (it stays there whatever the thread does next). */
  static NetlinkSocket open() {
    return new NetlinkSocket(invoke((arena, st) -> {
      int fd = (int) SOCKET.invokeExact(st, AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
      if (fd < 0) {
        throw new KernelException("socket AF_NETLINK", errno(st));
      }
      return fd;
    }));
  }

  /**
   * Sends the message and returns the answers that came before the acknowledgement (each from its
   * nlmsghdr on), e.g. the link a RTM_GETLINK asked for.
   */
  List<ByteBuffer> request(NetlinkMessage message, String what) {
    int seq = ++sequence;
    byte[] bytes = message.finish(seq);
    return invoke((arena, st) -> {
      MemorySegment out = arena.allocateFrom(ValueLayout.JAVA_BYTE, bytes);
      if ((long) SEND.invokeExact(st, fd, out, (long) bytes.length, 0) != bytes.length) {
        throw new KernelException("netlink send (" + what + ")", errno(st));
      }
      MemorySegment in = arena.allocate(RECEIVE_BUFFER);
      List<ByteBuffer> answers = new ArrayList<>();
      while (true) {
        long n = (long) RECV.invokeExact(st, fd, in, (long) RECEIVE_BUFFER, 0);
        if (n < 0) {
          int err = errno(st);
          if (err == Errno.EINTR) {
            continue;
          }
          throw new KernelException("netlink recv (" + what + ")", err);
        }
        ByteBuffer all = in.asSlice(0, n).asByteBuffer().order(ByteOrder.nativeOrder());
        for (int at = 0; at + NetlinkMessage.HEADER_SIZE <= n; ) {
          int length = all.getInt(at);
          int type = Short.toUnsignedInt(all.getShort(at + 4));
          if (length < NetlinkMessage.HEADER_SIZE || at + length > n) {
            throw new IllegalStateException("netlink answer cut short (" + what + ")");
          }
          if (all.getInt(at + 8) == seq) {
            if (type == NLMSG_ERROR) {
              int error = all.getInt(at + NetlinkMessage.HEADER_SIZE);
              if (error != 0) {
                throw new KernelException(what, -error);
              }
              return answers;
            }
            if (type == NLMSG_DONE) {
              return answers;
            }
            answers.add(copy(all, at, length));
          }
          at += (length + 3) & ~3;
        }
      }
    });
  }

  private static ByteBuffer copy(ByteBuffer all, int at, int length) {
    ByteBuffer one = ByteBuffer.allocate(length).order(ByteOrder.nativeOrder());
    one.put(0, all, at, length);
    return one;
  }

  @Override
  public void close() {
    try {
      int _ = (int) CLOSE.invokeExact(fd);
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }
}
