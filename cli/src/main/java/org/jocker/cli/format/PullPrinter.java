package org.jocker.cli.format;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.jocker.images.pull.LayerProgress;
import org.jocker.images.pull.LayerState;
import org.jocker.images.pull.PullProgress;

/**
 * A pull's progress as Docker's client draws it. On a terminal each layer has a line that is
 * redrawn in place (cursor up, erase line) with a bar while it downloads or extracts; otherwise
 * each state change is a plain line, without the byte counts; quiet prints nothing.
 */
public final class PullPrinter implements PullProgress {
  private static final int BAR = 50;

  private final PrintStream out;
  private final boolean terminal;
  private final boolean quiet;
  /** The layers' lines on a terminal, top to bottom; the cursor is below the last. */
  private final List<String> lines = new ArrayList<>();

  public PullPrinter(PrintStream out, boolean terminal, boolean quiet) {
    this.out = out;
    this.terminal = terminal;
    this.quiet = quiet;
  }

  @Override
  public synchronized void layer(LayerProgress progress) {
    if (quiet) {
      return;
    }
    String text = progress.id() + ": " + progress.state().words();
    if (!terminal) {
      if (progress.state() != LayerState.DOWNLOADING && progress.state() != LayerState.EXTRACTING) {
        out.println(text);
        out.flush();
      }
      return;
    }
    if (progress.state() == LayerState.DOWNLOADING) {
      text += " " + bar(progress.current(), progress.total());
    }
    int row = lines.indexOf(progress.id());
    if (row < 0) {
      lines.add(progress.id());
      out.print(text + "\n");
    } else {
      int up = lines.size() - row;
      out.print("\033[" + up + "A\033[2K\r" + text + "\r\033[" + up + "B");
    }
    out.flush();
  }

  @Override
  public synchronized void message(String line) {
    if (quiet) {
      return;
    }
    lines.clear(); // lines below the layers' are not redrawn
    out.println(line);
    out.flush();
  }

  /** {@code [=====>     ]  1.2MB/3.4MB}, as Docker's progress bar. */
  static String bar(long current, long total) {
    String numbers = String.format("%8s/%s", HumanUnits.size(current, 4), HumanUnits.size(total, 4));
    if (total <= 0) {
      return numbers;
    }
    int filled = (int) Math.min(BAR, (current * 100 / total) / 2);
    return "[" + "=".repeat(filled) + ">" + " ".repeat(BAR - filled) + "] " + numbers;
  }
}
