package org.jocker.build.context;

import org.jocker.build.BuildException;

/** A COPY or ADD source without wildcards that the context (after .dockerignore) does not have. */
public final class SourceNotFoundException extends BuildException {
  public SourceNotFoundException(String message) {
    super(message);
  }
}
