package org.jocker.build.progress;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;

/**
 * BuildKit's {@code --progress=plain}: each step as {@code #N NAME}, its lines as
 * {@code #N SECONDS TEXT}, then {@code #N DONE 0.3s} (or {@code #N ERROR: ...}), a blank line
 * between steps; a failure ends with the step's output header, the Dockerfile lines around it
 * and {@code ERROR: failed to solve: ...}, as Docker 23 and later print it.
 */
public final class PlainProgress implements BuildProgress {
  /** How many of a failed step's last output lines its error block repeats, as BuildKit does. */
  private static final int TAIL = 6;

  private final PrintStream out;
  private int next = 1;
  private List<String> failedTail = List.of();

  public PlainProgress(PrintStream out) {
    this.out = out;
  }

  @Override
  public synchronized Step start(String name) {
    int number = next++;
    out.println("#" + number + " " + name);
    out.flush();
    return new PlainStep(number, System.nanoTime());
  }

  @Override
  public synchronized void failed(String message, FailedAt where) {
    if (where != null) {
      if (where.step() != null) {
        out.println("------");
        out.println(" > " + where.step() + ":");
        failedTail.forEach(out::println);
        out.println("------");
      }
      DockerfileExcerpt.print(out, where);
    }
    out.println("ERROR: failed to solve: " + message);
    out.flush();
  }

  private final class PlainStep implements Step {
    private final int number;
    private final long started;
    private final LineOutput output = new LineOutput();
    private final Deque<String> tail = new ArrayDeque<>();

    PlainStep(int number, long started) {
      this.number = number;
      this.started = started;
    }

    @Override
    public void detail(String text) {
      synchronized (PlainProgress.this) {
        out.println("#" + number + " " + text);
        out.flush();
      }
    }

    @Override
    public OutputStream output() {
      return output;
    }

    @Override
    public void done() {
      output.flushPartial();
      synchronized (PlainProgress.this) {
        out.println("#" + number + " DONE " + seconds(System.nanoTime() - started) + "s");
        out.println();
        out.flush();
      }
    }

    @Override
    public void cached() {
      output.flushPartial();
      synchronized (PlainProgress.this) {
        out.println("#" + number + " CACHED");
        out.println();
        out.flush();
      }
    }

    @Override
    public void error(String message) {
      output.flushPartial();
      synchronized (PlainProgress.this) {
        failedTail = List.copyOf(tail);
        out.println("#" + number + (message.startsWith("Canceled") ? " CANCELED" : " ERROR: " + message));
        out.println();
        out.flush();
      }
    }

    /** The process's bytes cut into lines, each stamped with the seconds since the step started. */
    private final class LineOutput extends OutputStream {
      private final ByteArrayOutputStream line = new ByteArrayOutputStream();

      @Override
      public synchronized void write(int b) {
        if (b == '\n') {
          emit();
        } else {
          line.write(b);
        }
      }

      @Override
      public synchronized void write(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
          write(b[i]);
        }
      }

      synchronized void flushPartial() {
        if (line.size() > 0) {
          emit();
        }
      }

      private void emit() {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        String stamped = String.format(Locale.ROOT, "%.3f", (System.nanoTime() - started) / 1e9) + " " + text;
        synchronized (PlainProgress.this) {
          out.println("#" + number + " " + stamped);
          out.flush();
          tail.addLast(stamped);
          if (tail.size() > TAIL) {
            tail.removeFirst();
          }
        }
      }
    }
  }

  private static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.1f", nanos / 1e9);
  }
}
