package org.jocker.engine.lifecycle;

import java.util.Optional;
import org.jocker.engine.EngineException;
import org.jocker.engine.container.ContainerRecord;
import org.jocker.engine.container.ContainerStates;
import org.jocker.engine.container.ContainerStore;
import org.jocker.engine.container.RestartStates;
import org.jocker.images.ImageService;
import org.jocker.images.digest.Digest;
import org.jocker.kernel.KernelException;
import org.jocker.runtime.ContainerRuntime;
import org.jocker.runtime.OciRuntimeException;
import org.jocker.runtime.linux.Signal;
import org.jocker.runtime.state.ExitStatus;

/**
 * `stop` and `kill`: signals to a running container. Stopping it, or a fatal signal, also disables
 * its restart policy until the next start (Docker's rule).
 */
public final class ContainerSignals {
  private static final int DEFAULT_STOP_SECONDS = 10;

  private final ImageService images;
  private final ContainerRuntime runtime;
  private final ContainerStore containers;
  private final ContainerStates states;
  private final RestartStates restartStates;

  public ContainerSignals(ImageService images, ContainerRuntime runtime, ContainerStore containers,
      ContainerStates states, RestartStates restartStates) {
    this.images = images;
    this.runtime = runtime;
    this.containers = containers;
    this.states = states;
    this.restartStates = restartStates;
  }

  /**
   * `stop`: the image's StopSignal (SIGTERM by default), then SIGKILL to every process after
   * {@code seconds} (null: 10; negative: wait for ever). Returns the exit code.
   */
  public int stop(String idOrName, Integer seconds) {
    ContainerRecord r = containers.get(idOrName);
    restartStates.markManuallyStopped(r.id()); // no restart policy brings it back (also one waiting to restart)
    if (!states.view(r).running()) {
      return states.exitCode(r.id(), 0);
    }
    int timeout = seconds == null ? DEFAULT_STOP_SECONDS : seconds;
    boolean paused = states.view(r).state().equals("paused");
    try {
      runtime.kill(r.id(), stopSignal(r), false);
      if (paused) {
        runtime.resume(r.id());
      }
    } catch (OciRuntimeException | KernelException e) {
      // it ended on its own meanwhile
    }
    Optional<ExitStatus> exit = runtime.awaitExit(r.id(), timeout < 0 ? -1 : timeout * 1000L);
    if (exit.isEmpty()) {
      try {
        runtime.kill(r.id(), Signal.SIGKILL.number(), true);
      } catch (OciRuntimeException | KernelException e) {
        // gone meanwhile
      }
      return runtime.awaitExit(r.id()).code();
    }
    return exit.get().code();
  }

  /** `kill`: a signal (name or number; default SIGKILL) to the container's init. */
  public void kill(String idOrName, String signal) {
    ContainerRecord r = containers.get(idOrName);
    int sig = signal == null ? Signal.SIGKILL.number() : Signal.parse(signal)
        .orElseThrow(() -> EngineException.invalidArgument("Invalid signal: " + signal));
    if (!states.view(r).state().equals("running")) {
      throw EngineException.conflict("Cannot kill container: " + idOrName + ": Container " + r.id()
          + " is not running");
    }
    if (sig == Signal.SIGKILL.number() || sig == stopSignal(r)) {
      restartStates.markManuallyStopped(r.id()); // Docker's: a fatal signal disables the restart policy until the next start
    }
    try {
      runtime.kill(r.id(), sig, false);
    } catch (OciRuntimeException | KernelException e) {
      throw EngineException.of(EngineException.Kind.CONFLICT, e, "Cannot kill container: " + idOrName
          + ": Container " + r.id()
          + " is not running");
    }
  }

  /** The image's StopSignal, SIGTERM when it has none (or the image is gone). */
  private int stopSignal(ContainerRecord r) {
    String name = images.catalog().find(Digest.parse(r.image()))
        .map(i -> images.config(i).value().config())
        .map(c -> c == null ? null : c.stopSignal())
        .orElse(null);
    if (name == null || name.isEmpty()) {
      return Signal.SIGTERM.number();
    }
    return Signal.parse(name).orElse(Signal.SIGTERM.number());
  }
}
