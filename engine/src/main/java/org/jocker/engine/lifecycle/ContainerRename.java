package org.jocker.engine.lifecycle;

import org.jocker.engine.EngineException;
import org.jocker.engine.container.ContainerRecord;
import org.jocker.engine.container.ContainerStore;
import org.jocker.engine.container.Names;
import org.jocker.engine.network.ContainerNetworking;

/** `rename`: a new name, free and valid, for a container (and its name on its networks). */
public final class ContainerRename {
  private final ContainerStore containers;
  private final ContainerNetworking networking;

  public ContainerRename(ContainerStore containers, ContainerNetworking networking) {
    this.containers = containers;
    this.networking = networking;
  }

  public void rename(String idOrName, String newName) {
    containers.locked(() -> { // the name check and the save, as one step for concurrent renames
      ContainerRecord r = containers.get(idOrName);
      if (r.name().equals(newName)) {
        throw EngineException.invalidArgument("Renaming a container with the same name as its current name");
      }
      ContainerRecord renamed = r.withName(Names.choose(newName, containers.names()));
      containers.save(renamed);
      networking.renamed(renamed.id(), renamed.name());
    });
  }
}
