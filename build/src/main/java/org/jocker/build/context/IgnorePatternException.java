package org.jocker.build.context;

import org.jocker.build.BuildException;

/** A .dockerignore line Docker refuses; the message names the file and the pattern. */
public final class IgnorePatternException extends BuildException {
  public IgnorePatternException(String message) {
    super(message);
  }
}
