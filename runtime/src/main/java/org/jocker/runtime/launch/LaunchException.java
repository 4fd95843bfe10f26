package org.jocker.runtime.launch;

import org.jocker.runtime.OciRuntimeException;

/** The launcher reported that the container could not be set up; the message is the launcher's. */
public final class LaunchException extends OciRuntimeException {
  public LaunchException(String message) {
    super(message);
  }
}
