package org.jocker.runtime.seccomp;

import org.jocker.runtime.OciRuntimeException;

/** A seccomp profile is invalid or uses something Jocker cannot enforce; the message names the field. */
public class SeccompException extends OciRuntimeException {
  public SeccompException(String message) {
    super(message);
  }

  public SeccompException(String message, Throwable cause) {
    super(message, cause);
  }
}
