package org.jocker.engine.lifecycle;

import org.jocker.engine.EngineException;
import org.jocker.engine.attach.AttachedStreams;
import org.jocker.engine.attach.Caller;
import org.jocker.engine.attach.LogSinkCaller;
import org.jocker.engine.container.ContainerLock;
import org.jocker.engine.container.ContainerRecord;
import org.jocker.engine.container.ContainerStates;
import org.jocker.engine.container.ContainerStore;
import org.jocker.engine.container.RestartState;
import org.jocker.engine.logs.LogSink;
import org.jocker.engine.spec.RunOptions;
import org.jocker.kernel.KernelException;
import org.jocker.runtime.ContainerRuntime;
import org.jocker.runtime.OciRuntimeException;
import org.jocker.runtime.kernel.Kernel;
import org.jocker.runtime.launch.Attachment;

/**
 * The commands that connect a caller to a container: foreground `run`, `start -a [-i]` and
 * `attach`. The caller is attached (through the monitor) before the container starts, so it misses
 * no output; it stays until the container exits (its exit code) or it detaches (0).
 */
public final class ContainerAttacher {
  private final ContainerRuntime runtime;
  private final ContainerStore containers;
  private final Kernel kernel;
  private final ContainerStates states;
  private final ContainerCreation creation;
  private final ContainerLaunch launch;
  private final ContainerRemoval removal;

  public ContainerAttacher(ContainerRuntime runtime, ContainerStore containers, Kernel kernel, ContainerStates states,
      ContainerCreation creation, ContainerLaunch launch, ContainerRemoval removal) {
    this.runtime = runtime;
    this.containers = containers;
    this.kernel = kernel;
    this.states = states;
    this.creation = creation;
    this.launch = launch;
    this.removal = removal;
  }

  /**
   * `run` in the foreground: create, start and stay attached until the container exits (returns
   * its exit code) or the caller detaches with Ctrl-P Ctrl-Q (returns 0; it keeps running, and
   * is not removed here even with --rm).
   */
  public int run(RunOptions options, Caller caller) {
    String id = creation.create(options);
    boolean detached = false;
    try {
      AttachedStreams streams = new AttachedStreams(options.tty(), options.interactive(), true);
      // With --rm this run removes the container when it exits: no cleanup needs to be started for it.
      Attached run = attachedStart(id, streams, caller, options.remove());
      detached = run.outcome() == AttachedStreams.Outcome.DETACHED;
      return run.exitCode();
    } finally {
      if (options.remove() && !detached) {
        removal.autoRemove(id, containers.isMounted(id));
      }
    }
  }

  /**
   * `start -a [-i]`: start and stay attached until it exits (its exit code) or the caller
   * detaches (0). A running container is attached to.
   */
  public int startAttached(String idOrName, boolean interactive, Caller caller) {
    ContainerRecord r = containers.get(idOrName);
    AttachedStreams streams = new AttachedStreams(hasTerminal(r.id()), interactive && r.openStdin(), true);
    if (states.view(r).running()) {
      return attached(r.id(), streams, caller);
    }
    return attachedStart(r.id(), streams, caller, false).exitCode();
  }

  /** `start -a` with the output to a log sink (what the log would show from now on). */
  public int startAttached(String idOrName, LogSink sink) {
    return startAttached(idOrName, false, LogSinkCaller.of(sink));
  }

  /**
   * `attach`: the caller gets the output from now on and, with stdin (and an open stdin), feeds
   * the container's input, until it exits (its exit code) or the caller detaches (0).
   */
  public int attach(String idOrName, boolean stdin, Caller caller) {
    ContainerRecord r = containers.get(idOrName);
    if (!states.view(r).running()) {
      throw EngineException.conflict("You cannot attach to a stopped container, start it first").checkedByClient();
    }
    if (states.view(r).state().equals("paused")) {
      throw EngineException.conflict("You cannot attach to a paused container, unpause it first").checkedByClient();
    }
    return attached(r.id(), new AttachedStreams(hasTerminal(r.id()), stdin && r.openStdin(), false), caller);
  }

  private int attached(String id, AttachedStreams streams, Caller caller) {
    // The cleanup after its exit (--rm, restart policy) waits until we have read the exit code.
    try (AttachedReaders.Attached reader = AttachedReaders.attach(containers.dir(id))) {
      AttachedStreams.Outcome outcome;
      try {
        outcome = streams.stream(kernel, runtime.attach(id), caller, sig -> forward(id, sig));
      } catch (OciRuntimeException | KernelException e) {
        outcome = AttachedStreams.Outcome.ENDED; // it ended while we connected
      }
      return outcome == AttachedStreams.Outcome.DETACHED ? 0 : states.exitCode(id, 137);
    }
  }

  private record Attached(AttachedStreams.Outcome outcome, int exitCode) {}

  /** Starts with the caller attached from before the first byte of output. */
  private Attached attachedStart(String id, AttachedStreams streams, Caller caller, boolean handlesExit) {
    // The cleanup after its exit (--rm, restart policy) waits until we have read the exit code.
    try (AttachedReaders.Attached reader = AttachedReaders.attach(containers.dir(id))) {
      Attachment attachment = containers.locked(() -> {
        try (ContainerLock lock = ContainerLock.of(containers.dir(id), id)) {
          RestartState run = launch.prepare(id, RestartState::started);
          Attachment a = runtime.attach(id);
          try {
            if (streams.tty()) {
              AttachedStreams.resize(a, caller);
            }
            if (handlesExit) {
              a.handleExit();
            }
            runtime.start(id);
          } catch (RuntimeException e) {
            a.close();
            throw e;
          }
          launch.started(id, run);
          return a;
        }
      });
      AttachedStreams.Outcome outcome = streams.stream(kernel, attachment, caller, sig -> forward(id, sig));
      if (outcome == AttachedStreams.Outcome.DETACHED) {
        return new Attached(outcome, 0);
      }
      // Removed with -f while we were attached: it was killed, as Docker reports.
      return new Attached(outcome, states.exitCode(id, 137));
    }
  }

  /** Docker's --sig-proxy: a signal the caller gets goes to the container's init. */
  private void forward(String id, int signal) {
    try {
      runtime.kill(id, signal, false);
    } catch (OciRuntimeException | KernelException e) {
      // it has ended
    }
  }

  private boolean hasTerminal(String id) {
    try {
      return runtime.savedSpec(id).process().isTerminal();
    } catch (RuntimeException e) {
      return false;
    }
  }
}
