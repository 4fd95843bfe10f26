package org.jocker.runtime.plan;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Encodes plan records: {@code u32 tag, u32 length, payload}, integers as u64 little-endian,
 * strings NUL-terminated. The C side is launcher/src/main/c/plan.c.
 */
final class PlanWriter {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
  private final ByteArrayOutputStream payload = new ByteArrayOutputStream(256);

  /** Starts a record; add fields with {@link #u64}, {@link #str}, {@link #bytes}, then {@link #end}. */
  PlanWriter begin() {
    payload.reset();
    return this;
  }

  PlanWriter u64(long value) {
    payload.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array());
    return this;
  }

  PlanWriter str(String value) {
    if (value.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("string contains a NUL byte: " + value);
    }
    payload.writeBytes(value.getBytes(StandardCharsets.UTF_8));
    payload.write(0);
    return this;
  }

  PlanWriter bytes(byte[] value) {
    payload.writeBytes(value);
    return this;
  }

  void end(Tag tag) {
    ByteBuffer header = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    header.putInt(tag.code).putInt(payload.size());
    out.writeBytes(header.array());
    out.writeBytes(payload.toByteArray());
  }

  /** Shorthand for a record holding strings only. */
  void strings(Tag tag, String... values) {
    begin();
    for (String v : values) {
      str(v);
    }
    end(tag);
  }

  byte[] finish() {
    begin().end(Tag.END);
    return out.toByteArray();
  }
}
