package org.jocker.cli.format;

import java.io.PrintStream;
import org.jocker.images.pull.LayerProgress;
import org.jocker.images.pull.LayerState;
import org.jocker.images.pull.PullProgress;

/**
 * A pull's progress as Docker's client draws it ({@link LayerLines}): a bar while a layer
 * downloads; downloading and extracting are not printed when not on a terminal.
 */
public final class PullPrinter implements PullProgress {
  private final LayerLines lines;

  public PullPrinter(PrintStream out, boolean terminal, boolean quiet) {
    this.lines = new LayerLines(out, terminal, quiet);
  }

  @Override
  public void layer(LayerProgress progress) {
    boolean downloading = progress.state() == LayerState.DOWNLOADING;
    lines.layer(progress.id(), progress.state().words(), downloading || progress.state() == LayerState.EXTRACTING,
        downloading ? bar(progress.current(), progress.total()) : null);
  }

  @Override
  public void message(String line) {
    lines.message(line);
  }

  /** {@code [=====>     ]  1.2MB/3.4MB}, as Docker's progress bar. */
  static String bar(long current, long total) {
    return LayerLines.bar(current, total);
  }
}
