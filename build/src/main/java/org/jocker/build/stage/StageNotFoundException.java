package org.jocker.build.stage;

import org.jocker.build.BuildException;

/** --target names no stage of the Dockerfile. */
public final class StageNotFoundException extends BuildException {
  public StageNotFoundException(String message) {
    super(message);
  }
}
