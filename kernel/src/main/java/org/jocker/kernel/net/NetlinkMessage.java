package org.jocker.kernel.net;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * One netlink request being written (netlink(7), rtnetlink(7)): the 16-byte nlmsghdr, the fixed
 * header of the message type (ifinfomsg, ifaddrmsg, rtmsg, written by the caller) and attributes,
 * nested ones included. Everything is in the host's byte order and 4-byte aligned, as the kernel
 * reads it; the total length is patched in when the message is finished.
 */
final class NetlinkMessage {
  static final int HEADER_SIZE = 16;
  private static final int ATTRIBUTE_HEADER_SIZE = 4;

  private final ByteBuffer buffer = ByteBuffer.allocate(4096).order(ByteOrder.nativeOrder());
  private final Deque<Integer> openNests = new ArrayDeque<>();

  NetlinkMessage(int type, int flags) {
    buffer.putInt(0).putShort((short) type).putShort((short) flags).putInt(0).putInt(0);
  }

  NetlinkMessage u8(int value) {
    buffer.put((byte) value);
    return this;
  }

  NetlinkMessage u16(int value) {
    buffer.putShort((short) value);
    return this;
  }

  NetlinkMessage u32(int value) {
    buffer.putInt(value);
    return this;
  }

  NetlinkMessage bytes(byte[] value) {
    buffer.put(value);
    return this;
  }

  NetlinkMessage attribute(int type, byte[] payload) {
    buffer.putShort((short) (ATTRIBUTE_HEADER_SIZE + payload.length)).putShort((short) type).put(payload);
    return align();
  }

  NetlinkMessage attribute(int type, int value) {
    return attribute(type, ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array());
  }

  /** A NUL-terminated string attribute (interface names, link kinds). */
  NetlinkMessage attribute(int type, String value) {
    byte[] text = value.getBytes(StandardCharsets.UTF_8);
    return attribute(type, Arrays.copyOf(text, text.length + 1));
  }

  /** Opens a nested attribute; {@link #endNest} closes the innermost one. */
  NetlinkMessage beginNest(int type) {
    openNests.push(buffer.position());
    buffer.putShort((short) 0).putShort((short) type);
    return this;
  }

  NetlinkMessage endNest() {
    int start = openNests.pop();
    buffer.putShort(start, (short) (buffer.position() - start));
    return align();
  }

  /** The finished message; {@code sequence} identifies its answer. */
  byte[] finish(int sequence) {
    if (!openNests.isEmpty()) {
      throw new IllegalStateException("unclosed nested attribute");
    }
    buffer.putInt(0, buffer.position()).putInt(8, sequence);
    return Arrays.copyOf(buffer.array(), buffer.position());
  }

  private NetlinkMessage align() {
    while (buffer.position() % 4 != 0) {
      buffer.put((byte) 0);
    }
    return this;
  }
}
