package org.jocker.cli.format;

import java.io.PrintStream;
import org.jocker.images.push.LayerPushProgress;
import org.jocker.images.push.PushProgress;
import org.jocker.images.push.PushState;

/**
 * A push's progress as Docker's client draws it ({@link LayerLines}): a bar while a layer is
 * pushed, which is not printed when not on a terminal.
 */
public final class PushPrinter implements PushProgress {
  private final LayerLines lines;

  public PushPrinter(PrintStream out, boolean terminal, boolean quiet) {
    this.lines = new LayerLines(out, terminal, quiet);
  }

  @Override
  public void layer(LayerPushProgress progress) {
    boolean pushing = progress.state() == PushState.PUSHING;
    lines.layer(progress.id(), progress.words(), pushing,
        pushing ? LayerLines.bar(progress.current(), progress.total()) : null);
  }

  @Override
  public void message(String line) {
    lines.message(line);
  }
}
