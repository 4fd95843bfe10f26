package org.jocker.engine.container;

import java.time.Instant;
import org.jocker.runtime.ContainerRuntime;
import org.jocker.runtime.kernel.Kernel;
import org.jocker.runtime.state.ContainerNotFoundException;
import org.jocker.runtime.state.ContainerState;
import org.jocker.runtime.state.ExitStatus;

/**
 * A container's state in Docker's words, as ps and inspect show it: the runtime's, or "restarting"
 * while its policy replaces the run.
 */
public final class ContainerStates {
  private final ContainerRuntime runtime;
  private final RestartStates restartStates;
  private final Kernel kernel;

  public ContainerStates(ContainerRuntime runtime, RestartStates restartStates, Kernel kernel) {
    this.runtime = runtime;
    this.restartStates = restartStates;
    this.kernel = kernel;
  }

  public ContainerView view(ContainerRecord r) {
    ContainerState s;
    try {
      s = runtime.state(r.id());
    } catch (ContainerNotFoundException e) {
      s = null;
    }
    int code = 0;
    String finished = null;
    if (s != null && s.exitStatus() != null) {
      code = s.exitStatus().code();
      finished = Instant.ofEpochSecond(0, s.exitStatus().finishedNanos()).toString();
    }
    return new ContainerView(r.id(), r.name(), r.imageRef(), r.args(), r.created(), state(r, s), code, finished);
  }

  /**
   * created, running, paused, restarting or exited: the state of container {@code r} whose runtime
   * state is {@code s} (null when the runtime has none).
   */
  public String state(ContainerRecord r, ContainerState s) {
    if (s == null) {
      // never started by the runtime (or removed from it): Docker's "created", unless its restart
      // policy's cleanup is replacing the run
      return restartStates.restarting(r, null, kernel) ? "restarting" : "created";
    }
    return switch (s.status()) {
      case running -> "running";
      case paused -> "paused";
      case stopped -> restartStates.restarting(r, s.exitStatus(), kernel) ? "restarting" : "exited";
      default -> restartStates.restarting(r, null, kernel) ? "restarting" : "created";
    };
  }

  /** Whether the runtime has a container of this id (it does from start until rm). */
  public boolean runtimeKnows(String id) {
    try {
      runtime.state(id);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** The exit code of the container's last run, or {@code fallback} if it has none (or is gone). */
  public int exitCode(String id, int fallback) {
    try {
      ExitStatus e = runtime.state(id).exitStatus();
      return e == null ? fallback : e.code();
    } catch (RuntimeException e) {
      return fallback;
    }
  }
}
