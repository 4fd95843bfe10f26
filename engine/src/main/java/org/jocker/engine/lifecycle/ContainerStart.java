package org.jocker.engine.lifecycle;

import org.jocker.engine.container.ContainerRecord;
import org.jocker.engine.container.ContainerStates;
import org.jocker.engine.container.ContainerStore;

/** `start`: a created or exited container (a running one is left alone). */
public final class ContainerStart {
  private final ContainerStore containers;
  private final ContainerStates states;
  private final ContainerLaunch launch;

  public ContainerStart(ContainerStore containers, ContainerStates states, ContainerLaunch launch) {
    this.containers = containers;
    this.states = states;
    this.launch = launch;
  }

  public void start(String idOrName) {
    ContainerRecord r = containers.get(idOrName);
    containers.locked(() -> { // so that of two concurrent starts, the second sees the first's
      if (!states.view(r).running()) {
        launch.launch(r.id());
      }
    });
  }
}
