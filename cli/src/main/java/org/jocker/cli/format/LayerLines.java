package org.jocker.cli.format;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-layer status lines as Docker's client draws a pull's or a push's progress. On a terminal
 * each layer has a line that is redrawn in place (cursor up, erase line), with a bar while bytes
 * move; otherwise each lasting state is a plain line and the moving ones (downloading, pushing,
 * extracting) are left out; quiet prints nothing. Lines of their own go below the layers'.
 */
final class LayerLines {
  private static final int BAR = 50;

  private final PrintStream out;
  private final boolean terminal;
  private final boolean quiet;
  /** The layers' lines on a terminal, top to bottom; the cursor is below the last. */
  private final List<String> ids = new ArrayList<>();

  LayerLines(PrintStream out, boolean terminal, boolean quiet) {
    this.out = out;
    this.terminal = terminal;
    this.quiet = quiet;
  }

  /**
   * Shows {@code id: words}; {@code moving} states are drawn only on a terminal, there with
   * {@code bar} after them when it is not null.
   */
  synchronized void layer(String id, String words, boolean moving, String bar) {
    if (quiet) {
      return;
    }
    String text = id + ": " + words;
    if (!terminal) {
      if (!moving) {
        out.println(text);
        out.flush();
      }
      return;
    }
    if (bar != null) {
      text += " " + bar;
    }
    int row = ids.indexOf(id);
    if (row < 0) {
      ids.add(id);
      out.print(text + "\n");
    } else {
      int up = ids.size() - row;
      out.print("\033[" + up + "A\033[2K\r" + text + "\r\033[" + up + "B");
    }
    out.flush();
  }

  synchronized void message(String line) {
    if (quiet) {
      return;
    }
    ids.clear(); // lines below the layers' are not redrawn
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
