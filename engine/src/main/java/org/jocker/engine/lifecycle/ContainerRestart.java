package org.jocker.engine.lifecycle;

import org.jocker.engine.container.ContainerRecord;
import org.jocker.engine.container.ContainerStore;

/** `restart`: stop (if running), then start. */
public final class ContainerRestart {
  private final ContainerStore containers;
  private final ContainerSignals signals;
  private final ContainerLaunch launch;

  public ContainerRestart(ContainerStore containers, ContainerSignals signals, ContainerLaunch launch) {
    this.containers = containers;
    this.signals = signals;
    this.launch = launch;
  }

  /** @param seconds as for {@link ContainerSignals#stop} */
  public void restart(String idOrName, Integer seconds) {
    ContainerRecord r = containers.get(idOrName);
    signals.stop(r.id(), seconds);
    launch.launch(r.id());
  }
}
