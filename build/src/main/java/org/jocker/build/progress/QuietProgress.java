package org.jocker.build.progress;

import java.io.OutputStream;
import java.io.PrintStream;

/** {@code -q} / {@code --progress=quiet}: no steps, only the error at the end. */
public final class QuietProgress implements BuildProgress {
  private final PrintStream err;

  public QuietProgress(PrintStream err) {
    this.err = err;
  }

  @Override
  public Step start(String name) {
    return new Step() {
      @Override
      public void detail(String text) {}

      @Override
      public OutputStream output() {
        return OutputStream.nullOutputStream();
      }

      @Override
      public void done() {}

      @Override
      public void cached() {}

      @Override
      public void error(String message) {}
    };
  }

  @Override
  public void failed(String message, FailedAt where) {
    err.println("ERROR: failed to solve: " + message);
    err.flush();
  }
}
