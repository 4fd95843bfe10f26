package org.jocker.runtime.cgroup;

import org.jocker.runtime.OciRuntimeException;

/** A cgroup operation failed; the message names the controller, file, value and directory. */
public class CgroupException extends OciRuntimeException {
  public CgroupException(String message) {
    super(message);
  }

  public CgroupException(String message, Throwable cause) {
    super(message, cause);
  }
}
