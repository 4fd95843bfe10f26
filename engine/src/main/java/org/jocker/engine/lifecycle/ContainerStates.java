package org.jocker.engine.lifecycle;

import java.time.Instant;
import org.jocker.engine.container.ContainerRecord;
import org.jocker.engine.container.ContainerView;
import org.jocker.engine.container.RestartStates;
import org.jocker.runtime.ContainerRuntime;
import org.jocker.runtime.kernel.Kernel;
import org.jocker.runtime.state.ContainerNotFoundException;
import org.jocker.runtime.state.ContainerState;

/** A container's state as ps shows it: the runtime's, or "restarting" while its policy replaces the run. */
public final class ContainerStates {
  private final ContainerRuntime runtime;
  private final RestartStates restartStates;
  private final Kernel kernel;

  ContainerStates(ContainerRuntime runtime, RestartStates restartStates, Kernel kernel) {
    this.runtime = runtime;
    this.restartStates = restartStates;
    this.kernel = kernel;
  }

  public ContainerView view(ContainerRecord r) {
    String state = "created";
    int code = 0;
    String finished = null;
    try {
      ContainerState s = runtime.state(r.id());
      state = switch (s.status()) {
        case running -> "running";
        case paused -> "paused";
        case stopped -> restartStates.restarting(r, s.exitStatus(), kernel) ? "restarting" : "exited";
        default -> restartStates.restarting(r, null, kernel) ? "restarting" : "created";
      };
      if (s.exitStatus() != null) {
        code = s.exitStatus().code();
        finished = Instant.ofEpochSecond(0, s.exitStatus().finishedNanos()).toString();
      }
    } catch (ContainerNotFoundException e) {
      // never started by the runtime (or removed from it): Docker's "created", unless its restart
      // policy's cleanup is replacing the run
      state = restartStates.restarting(r, null, kernel) ? "restarting" : "created";
    }
    return new ContainerView(r.id(), r.name(), r.imageRef(), r.args(), r.created(), state, code, finished);
  }

  /** Whether the runtime has a container of this id (it does from start until rm). */
  boolean runtimeKnows(String id) {
    try {
      runtime.state(id);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }
}
