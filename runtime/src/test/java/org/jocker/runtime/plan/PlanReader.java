package org.jocker.runtime.plan;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Decodes a plan the way launcher/src/main/c/plan.c does, for tests of the encoders. */
final class PlanReader {
  record Rec(Tag tag, byte[] payload) {
    long u64(int index) {
      return ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN).getLong(index * 8);
    }

    /** The NUL-terminated strings after {@code skip} u64 fields. */
    List<String> strings(int skip) {
      List<String> out = new ArrayList<>();
      int start = skip * 8;
      for (int i = start; i < payload.length; i++) {
        if (payload[i] == 0) {
          out.add(new String(payload, start, i - start, StandardCharsets.UTF_8));
          start = i + 1;
        }
      }
      return out;
    }
  }

  static List<Rec> read(byte[] plan) {
    ByteBuffer buf = ByteBuffer.wrap(plan).order(ByteOrder.LITTLE_ENDIAN);
    List<Rec> out = new ArrayList<>();
    while (true) {
      int code = buf.getInt();
      int len = buf.getInt();
      Tag tag = null;
      for (Tag t : Tag.values()) {
        if (t.code == code) {
          tag = t;
        }
      }
      if (tag == null) {
        throw new AssertionError("unknown tag " + code);
      }
      byte[] payload = new byte[len];
      buf.get(payload);
      if (tag == Tag.END) {
        if (buf.hasRemaining()) {
          throw new AssertionError("bytes after END");
        }
        return out;
      }
      out.add(new Rec(tag, payload));
    }
  }

  static List<Rec> all(List<Rec> recs, Tag tag) {
    return recs.stream().filter(r -> r.tag() == tag).toList();
  }

  static Rec one(List<Rec> recs, Tag tag) {
    List<Rec> found = all(recs, tag);
    if (found.size() != 1) {
      throw new AssertionError("expected one " + tag + ", found " + found.size());
    }
    return found.get(0);
  }
}
