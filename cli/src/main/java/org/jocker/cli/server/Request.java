package org.jocker.cli.server;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jocker.cli.session.Descriptors;
import org.jocker.kernel.UnixSockets;

/**
 * A command as the native client sends it (launcher/src/main/client/client.c): "JCK1", a u32 body
 * length, then u32 argc, u32 envc, the cwd, argv and env as NUL-terminated strings; stdin, stdout
 * and stderr arrive with the first bytes.
 */
record Request(List<String> args, Map<String, String> env, Path cwd, int[] stdio) {
  private static final int MAX_BODY = 16 << 20;
  private static final byte[] MAGIC = "JCK1".getBytes(StandardCharsets.US_ASCII);

  /** Reads one request from {@code socket}; closes any received descriptors if it is malformed. */
  static Request read(int socket) {
    UnixSockets.Received first = UnixSockets.receive(socket, 1 << 16);
    try {
      if (first.fds().length != 3) {
        throw new IllegalArgumentException("expected 3 descriptors, got " + first.fds().length);
      }
      byte[] head = readUpTo(socket, first.data(), 8);
      if (!Arrays.equals(Arrays.copyOf(head, 4), MAGIC)) {
        throw new IllegalArgumentException("not a jocker client");
      }
      int length = ByteBuffer.wrap(head, 4, 4).order(ByteOrder.nativeOrder()).getInt();
      if (length < 8 || length > MAX_BODY) {
        throw new IllegalArgumentException("bad request length " + length);
      }
      byte[] all = readUpTo(socket, head, 8 + length);
      return parse(ByteBuffer.wrap(all, 8, length).slice().order(ByteOrder.nativeOrder()), first.fds());
    } catch (RuntimeException e) {
      for (int fd : first.fds()) {
        Descriptors.close(fd);
      }
      throw e;
    }
  }

  private static byte[] readUpTo(int socket, byte[] have, int size) {
    byte[] buf = Arrays.copyOf(have, Math.max(size, have.length));
    int n = have.length;
    while (n < size) {
      UnixSockets.Received more = UnixSockets.receive(socket, Math.min(size - n, 1 << 16));
      for (int fd : more.fds()) {
        Descriptors.close(fd);
      }
      if (more.data().length == 0) {
        throw new IllegalArgumentException("client closed the connection mid-request");
      }
      System.arraycopy(more.data(), 0, buf, n, more.data().length);
      n += more.data().length;
    }
    return buf;
  }

  private static Request parse(ByteBuffer body, int[] fds) {
    int argc = body.getInt();
    int envc = body.getInt();
    Strings strings = new Strings(body);
    Path cwd = Path.of(strings.next());
    List<String> args = new ArrayList<>(argc);
    for (int i = 0; i < argc; i++) {
      args.add(strings.next());
    }
    Map<String, String> env = new LinkedHashMap<>();
    for (int i = 0; i < envc; i++) {
      String entry = strings.next();
      int eq = entry.indexOf('=');
      if (eq > 0) {
        env.putIfAbsent(entry.substring(0, eq), entry.substring(eq + 1));
      }
    }
    return new Request(List.copyOf(args), env, cwd, fds);
  }

  /** NUL-terminated UTF-8 strings, one after the other. */
  private static final class Strings {
    private final ByteBuffer buf;

    Strings(ByteBuffer buf) {
      this.buf = buf;
    }

    String next() {
      int start = buf.position();
      int end = start;
      while (end < buf.limit() && buf.get(end) != 0) {
        end++;
      }
      if (end >= buf.limit()) {
        throw new IllegalArgumentException("truncated request");
      }
      byte[] bytes = new byte[end - start];
      buf.get(bytes);
      buf.get(); // the NUL
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }
}
