package org.jocker.engine.lifecycle;

import org.jocker.engine.container.ContainerStore;
import org.jocker.engine.spec.RunOptions;

/** `run -d`: create and start; the foreground run is {@link ContainerAttacher#run}. */
public final class DetachedRun {
  private final ContainerCreation creation;
  private final ContainerLaunch launch;
  private final ContainerRemoval removal;
  private final ContainerStore containers;

  public DetachedRun(ContainerCreation creation, ContainerLaunch launch, ContainerRemoval removal,
      ContainerStore containers) {
    this.creation = creation;
    this.launch = launch;
    this.removal = removal;
    this.containers = containers;
  }

  /** The container's id, at once; with --rm it is removed if it does not start. */
  public String run(RunOptions options) {
    String id = creation.create(options);
    try {
      launch.launch(id);
    } catch (RuntimeException e) {
      if (options.remove()) {
        removal.autoRemove(id, containers.isMounted(id));
      }
      throw e;
    }
    return id;
  }
}
