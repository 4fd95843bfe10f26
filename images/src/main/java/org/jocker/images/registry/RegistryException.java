package org.jocker.images.registry;

import org.jocker.images.ImageException;

/**
 * A registry refused or failed a request. The message is Docker's one line (e.g. {@code
 * manifest unknown}, {@code unauthorized: incorrect username or password}); {@link #code()} is
 * the distribution API's error code when the registry sent one ({@code MANIFEST_UNKNOWN},
 * {@code NAME_UNKNOWN}, {@code UNAUTHORIZED}, {@code DENIED}, {@code TOOMANYREQUESTS}...), else
 * null; {@link #status()} the HTTP status, or 0 when no answer came.
 */
public class RegistryException extends ImageException {
  private final String code;
  private final int status;

  public RegistryException(String message, String code, int status) {
    super(message);
    this.code = code;
    this.status = status;
  }

  public RegistryException(String message, Throwable cause) {
    super(message, cause);
    this.code = null;
    this.status = 0;
  }

  public String code() {
    return code;
  }

  public int status() {
    return status;
  }
}
