package org.jocker.runtime.plan;

import org.jocker.runtime.OciRuntimeException;

/** config.json is invalid; the message names the field, e.g. {@code linux.namespaces[2].type}. */
public final class InvalidSpecException extends OciRuntimeException {
  public InvalidSpecException(String field, String problem) {
    super("config.json: " + field + ": " + problem);
  }
}
