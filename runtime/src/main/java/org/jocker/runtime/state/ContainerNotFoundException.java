package org.jocker.runtime.state;

import org.jocker.runtime.OciRuntimeException;

public final class ContainerNotFoundException extends OciRuntimeException {
  public ContainerNotFoundException(String id) {
    super("container \"" + id + "\" does not exist");
  }
}
