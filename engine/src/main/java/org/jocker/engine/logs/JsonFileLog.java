package org.jocker.engine.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Reads a container's log in Docker's json-file format, as the monitor writes it: {@code path}
 * is the current file, {@code path.1} the newest rotated one, up to {@code path.N}.
 */
public final class JsonFileLog {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long POLL_MILLIS = 50;

  private final Path path;

  public JsonFileLog(Path path) {
    this.path = path;
  }

  /** One entry: its stream, text (with its "\n" if the line had one) and time as written. */
  public record Entry(boolean stderr, String log, String time) {
    Instant instant() {
      return Instant.parse(time);
    }
  }

  /** Where the log ends now: following from here shows only what is written later. */
  public Position end() {
    try {
      return new Position(key(path), Files.size(path));
    } catch (IOException e) {
      return new Position(null, 0);
    }
  }

  /** A place in the current file (fileKey null: from the start of whatever file comes). */
  public record Position(Object fileKey, long offset) {}

  /** The files in order, oldest first. */
  public List<Path> files() {
    List<Path> rotated = new ArrayList<>();
    for (int i = 1; Files.exists(sibling(i)); i++) {
      rotated.add(0, sibling(i));
    }
    if (Files.exists(path)) {
      rotated.add(path);
    }
    return rotated;
  }

  private Path sibling(int i) {
    return path.resolveSibling(path.getFileName() + "." + i);
  }

  /** Writes the entries asked for to the sink; with follow, until {@code exited} says so. */
  public void read(LogOptions options, LogSink sink, BooleanSupplier exited) {
    Position end = end();
    Deque<Entry> kept = new ArrayDeque<>();
    List<Path> files = files();
    for (Path f : files) {
      long limit = f.equals(path) && end.fileKey() != null ? end.offset() : Long.MAX_VALUE;
      for (Entry e : parse(f, limit)) {
        if (options.since() != null && e.instant().isBefore(options.since())) {
          continue;
        }
        if (options.tail() == 0) {
          continue;
        }
        kept.addLast(e);
        if (options.tail() > 0 && kept.size() > options.tail()) {
          kept.removeFirst();
        }
      }
    }
    for (Entry e : kept) {
      emit(e, options.timestamps(), sink);
    }
    if (options.follow()) {
      follow(end, options.timestamps(), sink, exited);
    }
  }

  /**
   * Writes every entry after {@code from} as it is written, across rotations, until
   * {@code exited} is true and everything written before then has been read.
   */
  public void follow(Position from, boolean timestamps, LogSink sink, BooleanSupplier exited) {
    FileChannel ch = null;
    Object key = from.fileKey();
    long pos = from.offset();
    ByteArrayOutputStream partial = new ByteArrayOutputStream();
    try {
      while (true) {
        boolean done = exited.getAsBoolean();
        while (true) {
          if (ch == null) {
            Object now = key(path);
            if (now == null) {
              break;
            }
            if (key != null && !now.equals(key)) {
              pos = 0; // rotated since the position was taken
            }
            ch = FileChannel.open(path, StandardOpenOption.READ);
            key = now;
            ch.position(pos);
          }
          drain(ch, partial, timestamps, sink);
          Object now = key(path);
          if (now == null || now.equals(key)) {
            break;
          }
          drain(ch, partial, timestamps, sink); // rotated: finish the old file, then go on
          ch.close();
          ch = null;
          partial.reset();
          key = null;
          pos = 0;
        }
        if (done) {
          return;
        }
        Thread.sleep(POLL_MILLIS);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (ch != null) {
        try {
          ch.close();
        } catch (IOException e) {
          // read only
        }
      }
    }
  }

  private static void drain(FileChannel ch, ByteArrayOutputStream partial, boolean timestamps, LogSink sink)
      throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(65536);
    while (ch.read(buf.clear()) > 0) {
      byte[] b = buf.array();
      int start = 0;
      for (int i = 0; i < buf.position(); i++) {
        if (b[i] == '\n') {
          partial.write(b, start, i - start);
          Entry e = entry(partial.toByteArray());
          partial.reset();
          if (e != null) {
            emit(e, timestamps, sink);
          }
          start = i + 1;
        }
      }
      partial.write(b, start, buf.position() - start);
    }
  }

  private static void emit(Entry e, boolean timestamps, LogSink sink) {
    String text = timestamps ? e.time() + " " + e.log() : e.log();
    sink.write(e.stderr(), text.getBytes(StandardCharsets.UTF_8));
  }

  /** The whole lines of a file up to limit bytes. */
  private static List<Entry> parse(Path file, long limit) {
    List<Entry> out = new ArrayList<>();
    byte[] data;
    try {
      data = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return out; // rotated away while we listed
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int end = (int) Math.min(limit, data.length);
    int start = 0;
    for (int i = 0; i < end; i++) {
      if (data[i] == '\n') {
        Entry e = entry(java.util.Arrays.copyOfRange(data, start, i));
        if (e != null) {
          out.add(e);
        }
        start = i + 1;
      }
    }
    return out;
  }

  private static Entry entry(byte[] line) {
    try {
      JsonNode n = JSON.readTree(line);
      return new Entry("stderr".equals(n.path("stream").asText()), n.path("log").asText(), n.path("time").asText());
    } catch (IOException | RuntimeException e) {
      return null; // not one of ours
    }
  }

  private static Object key(Path p) {
    try {
      return Files.readAttributes(p, BasicFileAttributes.class).fileKey();
    } catch (IOException e) {
      return null;
    }
  }
}
