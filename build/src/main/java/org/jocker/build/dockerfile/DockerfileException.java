package org.jocker.build.dockerfile;

import org.jocker.build.BuildException;

/**
 * A Dockerfile Docker would refuse: the message names {@code FILE:LINE} and says what is wrong
 * in Docker's words ("unknown instruction: FRO (did you mean from?)").
 */
public final class DockerfileException extends BuildException {
  private final String file;
  private final int line;
  private final String detail;

  public DockerfileException(String file, int line, String detail) {
    super(file + ":" + line + ": " + detail);
    this.file = file;
    this.line = line;
    this.detail = detail;
  }

  public String file() {
    return file;
  }

  public int line() {
    return line;
  }

  /** What is wrong, without where. */
  public String detail() {
    return detail;
  }
}
