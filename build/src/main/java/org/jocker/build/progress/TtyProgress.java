package org.jocker.build.progress;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * BuildKit's {@code --progress=tty}: a header {@code [+] Building 1.2s (3/5)}, a line per step
 * with its time at the right ({@code => [2/3] RUN make}, {@code => CACHED [1/3] ...},
 * {@code => ERROR ...}), its details under it ({@code => => transferring context: 2B done}) and,
 * while it runs, its last output lines ({@code => => # ...}). The frame is redrawn in place
 * (cursor up, erase) ten times a second and at each change of a step; its lines are cut to the
 * terminal's width and, while the build runs, the frame to its height (the oldest lines go, as a
 * terminal cannot redraw what scrolled away). The last frame, its header ending in
 * {@code FINISHED}, is drawn once in full; a failure's block follows it, as the plain display's.
 */
public final class TtyProgress implements BuildProgress {
  private static final long TICK_MILLIS = 100;
  /** How many of a running step's last output lines are shown under it. */
  private static final int LOG_LINES = 6;
  private static final String CURSOR_UP = "\033[%dA";
  private static final String ERASE_LINE = "\033[2K";
  private static final String ERASE_BELOW = "\033[J";

  /** The terminal's size, read at each frame (a resize takes effect at the next). */
  public record Size(int rows, int columns) {}

  private enum State { RUNNING, DONE, CACHED, ERROR, CANCELED }

  private final PrintStream out;
  private final Supplier<Size> size;
  private final long started = System.nanoTime();
  private final List<TtyStep> steps = new ArrayList<>(); // guarded by this
  private final Thread ticker;
  private int drawn; // lines of the last frame, above the cursor; guarded by this
  private boolean finished; // guarded by this
  private List<String> failedTail = List.of(); // guarded by this

  /** Starts the redraws: made on the command's thread, so the ticker's output goes where the command's does. */
  public TtyProgress(PrintStream out, Supplier<Size> size) {
    this.out = out;
    this.size = size;
    this.ticker = Thread.ofPlatform().daemon().name("build-progress").start(this::tick);
  }

  private void tick() {
    try {
      while (true) {
        Thread.sleep(TICK_MILLIS);
        synchronized (this) {
          if (finished) {
            return;
          }
          draw(false);
        }
      }
    } catch (InterruptedException e) {
      // finished
    }
  }

  @Override
  public synchronized Step start(String name) {
    TtyStep step = new TtyStep(name);
    steps.add(step);
    draw(false);
    return step;
  }

  @Override
  public synchronized void failed(String message, FailedAt where) {
    finished();
    FailureBlock.print(out, message, where, failedTail);
  }

  /** The last frame, once: the redraws stop. */
  @Override
  public synchronized void finished() {
    if (finished) {
      return;
    }
    finished = true;
    ticker.interrupt();
    draw(true);
  }

  /** Replaces the last frame with the current one. */
  private void draw(boolean last) {
    if (finished && !last) {
      return; // the last frame stays
    }
    Size s = size.get();
    int width = Math.max(20, s.columns());
    List<String> lines = frame(last, width);
    if (!last && lines.size() > s.rows() - 1 && s.rows() > 2) { // the header, then the newest lines that fit
      List<String> fitting = new ArrayList<>();
      fitting.add(lines.getFirst());
      fitting.addAll(lines.subList(lines.size() - (s.rows() - 2), lines.size()));
      lines = fitting;
    }
    StringBuilder b = new StringBuilder();
    if (drawn > 0) {
      b.append(String.format(Locale.ROOT, CURSOR_UP, drawn));
    }
    b.append('\r');
    for (String line : lines) {
      b.append(ERASE_LINE).append(line).append('\n');
    }
    b.append(ERASE_BELOW); // what is left of a taller frame
    out.print(b);
    out.flush();
    drawn = lines.size();
  }

  private List<String> frame(boolean last, int width) {
    long now = System.nanoTime();
    long completed = steps.stream().filter(st -> st.state != State.RUNNING).count();
    List<String> lines = new ArrayList<>();
    lines.add(cut("[+] Building " + seconds(now - started) + " (" + completed + "/" + steps.size() + ")"
        + (last ? " FINISHED" : ""), width));
    for (TtyStep st : steps) {
      String label = switch (st.state) {
        case CACHED -> "CACHED ";
        case ERROR -> "ERROR ";
        case CANCELED -> "CANCELED ";
        default -> "";
      };
      lines.add(withTime(" => " + label + st.name, st.state == State.CACHED ? "0.0s"
          : seconds((st.state == State.RUNNING ? now : st.ended) - st.started), width));
      st.details.forEach(d -> lines.add(cut(" => => " + d, width)));
      if (st.state == State.RUNNING) {
        st.logs.forEach(l -> lines.add(cut(" => => # " + l, width)));
      }
    }
    return lines;
  }

  /** {@code text} and {@code time} at the right end of a line {@code width} wide, text cut to fit. */
  static String withTime(String text, String time, int width) {
    String fitted = cut(text, width - time.length() - 1);
    return fitted + " ".repeat(width - fitted.length() - time.length()) + time;
  }

  static String cut(String text, int width) {
    return text.length() <= width ? text : text.substring(0, Math.max(0, width));
  }

  /** A process's line as one line of the display: tabs as spaces, other control characters (escapes) dropped. */
  private static String printable(String line) {
    StringBuilder b = new StringBuilder(line.length());
    line.codePoints().forEach(c -> {
      if (c == '\t') {
        b.append(' ');
      } else if (c >= ' ' && c != 0x7f) {
        b.appendCodePoint(c);
      }
    });
    return b.toString();
  }

  private static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.1fs", nanos / 1e9);
  }

  private final class TtyStep implements Step {
    private final String name;
    private final long started = System.nanoTime();
    private final OutputLines output = new OutputLines(this::line);
    private final List<String> details = new ArrayList<>(); // guarded by TtyProgress.this
    private final Deque<String> logs = new ArrayDeque<>(); // guarded by TtyProgress.this
    private final Deque<String> tail = new ArrayDeque<>(); // guarded by TtyProgress.this
    private State state = State.RUNNING; // guarded by TtyProgress.this
    private long ended; // guarded by TtyProgress.this

    TtyStep(String name) {
      this.name = printable(name);
    }

    @Override
    public void detail(String text) {
      synchronized (TtyProgress.this) {
        details.add(printable(text));
        draw(false);
      }
    }

    @Override
    public OutputStream output() {
      return output;
    }

    @Override
    public void done() {
      end(State.DONE);
    }

    @Override
    public void cached() {
      end(State.CACHED);
    }

    @Override
    public void error(String message) {
      output.flushPartial();
      synchronized (TtyProgress.this) {
        failedTail = List.copyOf(tail);
      }
      end(message.startsWith("Canceled") ? State.CANCELED : State.ERROR);
    }

    private void end(State how) {
      output.flushPartial();
      synchronized (TtyProgress.this) {
        state = how;
        ended = System.nanoTime();
        draw(false);
      }
    }

    /** A line of output: shown at the next frame; kept, stamped as plain stamps it, for a failure's block. */
    private void line(String text) {
      synchronized (TtyProgress.this) {
        logs.addLast(printable(text));
        if (logs.size() > LOG_LINES) {
          logs.removeFirst();
        }
        tail.addLast(String.format(Locale.ROOT, "%.3f", (System.nanoTime() - started) / 1e9) + " " + text);
        if (tail.size() > FailureBlock.TAIL) {
          tail.removeFirst();
        }
      }
    }
  }
}
