package org.jocker.runtime.state;

import org.jocker.runtime.OciRuntimeException;

public final class ContainerExistsException extends OciRuntimeException {
  public ContainerExistsException(String id) {
    super("container with id \"" + id + "\" already exists");
  }
}
