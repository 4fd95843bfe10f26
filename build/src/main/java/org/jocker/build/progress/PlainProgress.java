package org.jocker.build.progress;

import java.io.OutputStream;
import java.io.PrintStream;
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
    FailureBlock.print(out, message, where, failedTail);
  }

  private final class PlainStep implements Step {
    private final int number;
    private final long started;
    private final OutputLines output = new OutputLines(this::line);
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

    /** A line of the process's output, stamped with the seconds since the step started. */
    private void line(String text) {
      String stamped = String.format(Locale.ROOT, "%.3f", (System.nanoTime() - started) / 1e9) + " " + text;
      synchronized (PlainProgress.this) {
        out.println("#" + number + " " + stamped);
        out.flush();
        tail.addLast(stamped);
        if (tail.size() > FailureBlock.TAIL) {
          tail.removeFirst();
        }
      }
    }
  }

  private static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.1f", nanos / 1e9);
  }
}
