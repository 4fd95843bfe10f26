package org.jocker.runtime;

/**
 * A runtime operation failed. The message is one line meant for the user (it names the field, id or
 * path at fault); the cause, if any, is for --debug.
 */
public class OciRuntimeException extends RuntimeException {
  public OciRuntimeException(String message) {
    super(message);
  }

  public OciRuntimeException(String message, Throwable cause) {
    super(message, cause);
  }
}
