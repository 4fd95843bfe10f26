package org.jocker.engine.lifecycle;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jocker.engine.EngineException;
import org.jocker.engine.container.ContainerLock;
import org.jocker.engine.container.ContainerRecord;
import org.jocker.engine.container.ContainerStates;
import org.jocker.engine.container.ContainerStore;
import org.jocker.engine.container.Names;
import org.jocker.engine.container.RestartState;
import org.jocker.engine.container.RestartStates;
import org.jocker.engine.network.ContainerNetworking;
import org.jocker.engine.network.NetworkMode;
import org.jocker.engine.operations.LaunchFailures;
import org.jocker.engine.spec.LogSettings;
import org.jocker.images.ImageService;
import org.jocker.runtime.ContainerRuntime;
import org.jocker.runtime.CreateOptions;
import org.jocker.runtime.kernel.Kernel;
import org.jocker.runtime.launch.LaunchException;
import org.jocker.runtime.launch.LogConfig;
import org.jocker.runtime.launch.Stdio;

/**
 * A new run of a created or exited container: what start, restart, `run` and the restart policy's
 * cleanup share. A created container enters the runtime only here, and each run is a new runtime
 * container (so restart is start again); its stdout and stderr go to {@code containers/ID/container.log}
 * (json-file, written by the monitor, which is not our child: the container outlives this process).
 */
public final class ContainerLaunch {
  private final ImageService images;
  private final ContainerRuntime runtime;
  private final ContainerStore containers;
  private final Kernel kernel;
  private final ContainerStates states;
  private final RestartStates restartStates;
  private final LogLimits logLimits;
  private final ContainerNetworking networking;
  private Supplier<ExitCommand> exitCommand = () -> null;

  public ContainerLaunch(ImageService images, ContainerRuntime runtime, ContainerStore containers, Kernel kernel,
      ContainerStates states, RestartStates restartStates, LogLimits logLimits, ContainerNetworking networking) {
    this.networking = networking;
    this.images = images;
    this.runtime = runtime;
    this.containers = containers;
    this.kernel = kernel;
    this.states = states;
    this.restartStates = restartStates;
    this.logLimits = logLimits;
  }

  /**
   * How containers started from now on call this engine back when they exit (restart policies,
   * --rm of a detached container); without one, nothing happens when a container exits.
   */
  public void exitCommand(Supplier<ExitCommand> command) {
    this.exitCommand = memoized(command);
  }

  /** Made once, when the first container starts (not for every command). */
  private static Supplier<ExitCommand> memoized(Supplier<ExitCommand> command) {
    ExitCommand[] made = new ExitCommand[1];
    return () -> {
      synchronized (made) {
        if (made[0] == null) {
          made[0] = command.get();
        }
        return made[0];
      }
    };
  }

  /**
   * Starts a new runtime container for the engine's container (see {@link #prepare}), under the
   * store lock (a concurrent rm or start of it waits) and then its own (the restart policy's).
   */
  void launch(String id) {
    containers.locked(() -> {
      try (ContainerLock lock = ContainerLock.of(containers.dir(id), id)) {
        launchLocked(id, RestartState::started); // a start by the user resets the restart count
      }
    });
  }

  /** {@link #launch} under both locks. */
  void launchLocked(String id, Function<String, RestartState> next) {
    RestartState run = prepare(id, next);
    runtime.start(id);
    started(id, run);
  }

  /**
   * Records a run {@link #prepare} made once the runtime has started it: until then ps and inspect
   * show the state before it ("restarting" while a restarter replaces the run), never a "created"
   * container with the new restart count. The new run's cleanup waits for the caller's locks.
   */
  void started(String id, RestartState run) {
    restartStates.save(id, run);
  }

  /**
   * Creates a new runtime container for the engine's container, replacing the runtime's record of
   * an earlier run; its output goes to the log (and to attach clients), its stdin is kept open by
   * the monitor when the container was made with -i, else /dev/null. {@code next} gives the
   * container's RestartState for the new run from its token, which the monitor's exit command
   * carries back to the cleanup; the caller gives that to {@link #started} once it has started the
   * run. Under the store lock and the container's.
   */
  RestartState prepare(String id, Function<String, RestartState> next) {
    ContainerRecord r = containers.get(id);
    if (states.runtimeKnows(id)) {
      runtime.delete(id, true);
    }
    if (!containers.isMounted(id)) {
      remount(id);
    }
    int devNull = kernel.openForReading(Path.of("/dev/null"));
    try {
      Stdio io = new Stdio(devNull, devNull, devNull);
      LogConfig logConfig = LogSettings.runtimeConfig(logLimits.of(r), containers.log(id));
      String launch = Names.newId().substring(0, 16);
      // Only a container with something to do at its exit gets called back (a JVM start, without the
      // engine): --rm, a restart policy, a bridge endpoint to tear down.
      boolean bridge = NetworkMode.recorded(r.hostConfig().networkMode()) == NetworkMode.BRIDGE;
      boolean cleanup = r.autoRemove() || !r.hostConfig().restartPolicy().isNone() || bridge;
      ExitCommand exit = cleanup ? exitCommand.get() : null;
      List<String> exitArgv = exit == null ? List.of() : exit.argv(id, launch);
      networking.connect(id, r.name(), r.networks(), r.hostConfig(), containers.dir(id), this::notRunning);
      try {
        runtime.create(id, containers.bundle(id),
            new CreateOptions(null, null, io, false, logConfig, r.openStdin(), exitArgv));
      } catch (RuntimeException e) {
        try {
          networking.disconnect(id); // the run never started: nothing will tear its network down
        } catch (RuntimeException teardown) {
          e.addSuppressed(teardown);
        }
        throw e;
      }
      return next.apply(launch).watched(exit != null);
    } catch (LaunchException e) {
      throw LaunchFailures.error(e);
    } finally {
      kernel.close(devNull);
    }
  }

  /** Whether a container with a bridge endpoint is gone or no longer runs (its teardown was lost). */
  private boolean notRunning(String id) {
    return containers.find(id).map(r -> !states.view(r).running()).orElse(true);
  }

  /**
   * Mounts the root filesystem again from the container's snapshot: a start after a reboot, or
   * after an rm killed between the unmount and the removal of the record.
   */
  private void remount(String id) {
    try {
      images.rootfsMount(id).mount(containers.bundle(id).resolve("rootfs"));
    } catch (RuntimeException e) {
      throw EngineException.internal(e, "container " + id + " has no root filesystem: " + e.getMessage());
    }
  }
}
