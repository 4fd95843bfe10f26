package org.jocker.engine.lifecycle;

import org.jocker.engine.EngineException;
import org.jocker.engine.container.ContainerRecord;
import org.jocker.engine.container.ContainerStates;
import org.jocker.engine.container.ContainerStore;
import org.jocker.runtime.ContainerRuntime;
import org.jocker.runtime.state.ContainerState.Status;

/** `wait`: blocks until the container exits (a created one: until it is started and exits). */
public final class ContainerWait {
  private final ContainerRuntime runtime;
  private final ContainerStore containers;
  private final ContainerStates states;

  public ContainerWait(ContainerRuntime runtime, ContainerStore containers, ContainerStates states) {
    this.runtime = runtime;
    this.containers = containers;
    this.states = states;
  }

  /** The exit code. */
  public int await(String idOrName) {
    ContainerRecord r = containers.get(idOrName);
    while (!states.runtimeKnows(r.id()) || runtime.state(r.id()).status() == Status.creating) {
      sleep();
      if (containers.find(r.id()).isEmpty()) {
        throw EngineException.notFound("No such container: " + idOrName);
      }
    }
    return runtime.awaitExit(r.id()).code();
  }

  private static void sleep() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw EngineException.internal("interrupted");
    }
  }
}
