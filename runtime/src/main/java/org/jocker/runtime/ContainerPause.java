package org.jocker.runtime;

import org.jocker.runtime.state.ContainerRecord;
import org.jocker.runtime.state.ContainerState.Status;

/** Pauses and resumes a container by freezing and thawing its cgroup. */
final class ContainerPause {
  private final RuntimeContext context;
  private final ContainerStatus status;

  ContainerPause(RuntimeContext context, ContainerStatus status) {
    this.context = context;
    this.status = status;
  }

  void pause(String id) {
    ContainerRecord record = context.store().load(id);
    if (status.status(record) != Status.running) {
      throw new OciRuntimeException("container " + id + " is not running");
    }
    context.cgroups().of(record).freeze();
  }

  void resume(String id) {
    ContainerRecord record = context.store().load(id);
    if (status.status(record) != Status.paused) {
      throw new OciRuntimeException("container " + id + " is not paused");
    }
    context.cgroups().of(record).thaw();
  }
}
