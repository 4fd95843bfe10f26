package org.jocker.engine.lifecycle;

import org.jocker.engine.EngineException;
import org.jocker.engine.container.ContainerRecord;
import org.jocker.engine.container.ContainerStates;
import org.jocker.engine.container.ContainerStore;
import org.jocker.runtime.ContainerRuntime;

/** `pause` and `unpause`: every process of a running container frozen, and thawed. */
public final class ContainerPause {
  private final ContainerRuntime runtime;
  private final ContainerStore containers;
  private final ContainerStates states;

  public ContainerPause(ContainerRuntime runtime, ContainerStore containers, ContainerStates states) {
    this.runtime = runtime;
    this.containers = containers;
    this.states = states;
  }

  public void pause(String idOrName) {
    ContainerRecord r = containers.get(idOrName);
    String state = states.view(r).state();
    if (state.equals("paused")) {
      throw EngineException.conflict("Container " + r.id() + " is already paused");
    }
    if (!state.equals("running")) {
      throw EngineException.conflict("Container " + r.id() + " is not running");
    }
    runtime.pause(r.id());
  }

  public void unpause(String idOrName) {
    ContainerRecord r = containers.get(idOrName);
    if (!states.view(r).state().equals("paused")) {
      throw EngineException.conflict("Container " + r.id() + " is not paused");
    }
    runtime.resume(r.id());
  }
}
