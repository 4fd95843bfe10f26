package org.jocker.build.executor;

import org.jocker.build.BuildException;
import org.jocker.build.dockerfile.SourceLines;

/** A step failed (a RUN's exit code, a missing COPY source): Docker's message, and where. */
public final class StepFailedException extends BuildException {
  private final String step;
  private final SourceLines lines;

  public StepFailedException(String message, String step, SourceLines lines) {
    super(message);
    this.step = step;
    this.lines = lines;
  }

  public StepFailedException(String message, String step, SourceLines lines, Throwable cause) {
    super(message, cause);
    this.step = step;
    this.lines = lines;
  }

  /** The step as the progress named it ("[2/3] RUN exit 3"). */
  public String step() {
    return step;
  }

  public SourceLines lines() {
    return lines;
  }
}
