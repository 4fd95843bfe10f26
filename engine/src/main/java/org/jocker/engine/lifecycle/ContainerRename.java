package org.jocker.engine.lifecycle;

import org.jocker.engine.EngineException;
import org.jocker.engine.container.ContainerRecord;
import org.jocker.engine.container.ContainerStore;
import org.jocker.engine.container.Names;

/** `rename`: a new name, free and valid, for a container. */
public final class ContainerRename {
  private final ContainerStore containers;

  public ContainerRename(ContainerStore containers) {
    this.containers = containers;
  }

  public void rename(String idOrName, String newName) {
    containers.locked(() -> { // the name check and the save, as one step for concurrent renames
      ContainerRecord r = containers.get(idOrName);
      if (r.name().equals(newName)) {
        throw EngineException.invalidArgument("Renaming a container with the same name as its current name");
      }
      containers.save(r.withName(Names.choose(newName, containers.names())));
    });
  }
}
