package org.jocker.engine.lifecycle;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.jocker.engine.EngineException;
import org.jocker.engine.container.ContainerLock;
import org.jocker.engine.container.ContainerRecord;
import org.jocker.engine.container.ContainerStore;
import org.jocker.engine.container.RestartState;
import org.jocker.engine.container.RestartStates;
import org.jocker.engine.network.ContainerNetworking;
import org.jocker.runtime.ContainerRuntime;
import org.jocker.runtime.kernel.Kernel;
import org.jocker.runtime.state.ContainerNotFoundException;
import org.jocker.runtime.state.ContainerState;
import org.jocker.runtime.state.ExitStatus;

/**
 * `container cleanup ID`: run by a container's monitor, detached, once the container has exited
 * (its {@link ExitCommand}), so that the run's network is torn down and --rm and restart policies
 * happen with no jocker process around — Docker's daemon does this when it sees the exit. Everything is decided under the
 * container's lock and only for the run that exited: a container removed or started again
 * meanwhile is left alone.
 */
public final class ContainerCleanup {
  /** What the cleanup did, for its caller. */
  public enum Outcome { NOTHING, REMOVED, RESTARTED, STAYS_EXITED, RESTART_FAILED }

  private final ContainerRuntime runtime;
  private final ContainerStore containers;
  private final Kernel kernel;
  private final RestartStates restartStates;
  private final ContainerRemoval removal;
  private final ContainerLaunch launching;
  private final ContainerNetworking networking;

  public ContainerCleanup(ContainerRuntime runtime, ContainerStore containers, Kernel kernel,
      RestartStates restartStates, ContainerRemoval removal, ContainerLaunch launching,
      ContainerNetworking networking) {
    this.networking = networking;
    this.runtime = runtime;
    this.containers = containers;
    this.kernel = kernel;
    this.restartStates = restartStates;
    this.removal = removal;
    this.launching = launching;
  }

  /** After the run {@code launch} of container {@code id} has exited. */
  public Outcome run(String id, String launch) {
    Path dir = containers.dir(id);
    AttachedReaders.awaitNone(dir); // a foreground run reads the exit code first
    if (containers.find(id).isEmpty()) {
      return Outcome.NOTHING; // removed (by its foreground run, or rm): nothing to lock or write
    }
    RestartState.Restarter me = self();
    // Locks in the engine's order: the store's, then the container's.
    Decision decision = containers.locked(() -> decide(id, launch, me));
    if (decision.outcome() != null) {
      return decision.outcome();
    }
    sleep(decision.delayMillis()); // without the locks: stop and rm -f may act meanwhile, and win
    return containers.locked(() -> restart(id, launch, me));
  }

  /** What an exit calls for: an outcome, or (outcome null) a restart after a delay. */
  private record Decision(Outcome outcome, long delayMillis) {
    static Decision done(Outcome outcome) {
      return new Decision(outcome, 0);
    }
  }

  private Decision decide(String id, String launch, RestartState.Restarter me) {
    Optional<ContainerLock> lock = ContainerLock.ifPresent(containers.dir(id));
    if (lock.isEmpty()) {
      return Decision.done(Outcome.NOTHING); // removed
    }
    try (ContainerLock held = lock.get()) {
      RestartState state = restartStates.load(id);
      Optional<ContainerRecord> record = containers.find(id);
      ContainerState exited = exitedRun(id);
      if (!launch.equals(state.launch()) || record.isEmpty() || exited == null) {
        return Decision.done(Outcome.NOTHING); // started again meanwhile
      }
      disconnect(id); // the run's network goes with it, as Docker's sandbox
      if (record.get().autoRemove()) {
        removal.autoRemove(id, containers.isMounted(id));
        return Decision.done(Outcome.REMOVED);
      }
      ExitStatus exit = exited.exitStatus();
      if (!record.get().hostConfig().restartPolicy().restarts(exit.code(), state.restartCount(),
          state.manuallyStopped())) {
        return Decision.done(Outcome.STAYS_EXITED);
      }
      long delay = state.nextBackoff(exit.finishedNanos() - startedNanos(exited));
      restartStates.save(id, state.waiting(delay, me)); // inspect: State.Restarting
      return new Decision(null, delay);
    }
  }

  private Outcome restart(String id, String launch, RestartState.Restarter me) {
    Optional<ContainerLock> lock = ContainerLock.ifPresent(containers.dir(id));
    if (lock.isEmpty()) {
      return Outcome.NOTHING; // removed while we waited
    }
    try (ContainerLock held = lock.get()) {
      RestartState state = restartStates.load(id);
      if (!launch.equals(state.launch()) || !me.equals(state.restarter()) || exitedRun(id) == null) {
        return Outcome.NOTHING; // stopped or started by the user while we waited
      }
      try {
        launching.launchLocked(id, state::restarted);
        return Outcome.RESTARTED;
      } catch (RuntimeException e) {
        restartStates.save(id, state.failed(e.getMessage())); // inspect: State.Error
        return Outcome.RESTART_FAILED;
      }
    }
  }

  private void disconnect(String id) {
    try {
      networking.disconnect(id);
    } catch (RuntimeException e) {
      // the endpoint stays recorded: the next start or command tears it down
    }
  }

  /** The runtime's state of the container if it has exited, else null. */
  private ContainerState exitedRun(String id) {
    try {
      ContainerState s = runtime.state(id);
      return s.exitStatus() == null ? null : s;
    } catch (ContainerNotFoundException e) {
      return null;
    }
  }

  private static long startedNanos(ContainerState s) {
    if (s.created() == null) {
      return s.exitStatus().finishedNanos();
    }
    Instant started = Instant.parse(s.created());
    return started.getEpochSecond() * 1_000_000_000L + started.getNano();
  }

  private RestartState.Restarter self() {
    int pid = (int) ProcessHandle.current().pid();
    return new RestartState.Restarter(pid, kernel.startTime(pid));
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw EngineException.internal("interrupted");
    }
  }
}
