package org.jocker.engine.container;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import org.jocker.runtime.kernel.Kernel;
import org.jocker.kernel.Durable;
import org.jocker.runtime.state.ExitStatus;

/** Each container's {@link RestartState}, in containers/ID/restart.json. */
public final class RestartStates {
  private static final String FILE = "restart.json";
  /** How long after an exit its cleanup (a JVM start away) is expected to have taken over. */
  private static final long PENDING_NANOS = 30_000_000_000L;
  private final ContainerStore containers;
  private final ObjectMapper json = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  public RestartStates(ContainerStore containers) {
    this.containers = containers;
  }

  public RestartState load(String id) {
    try {
      return json.readValue(Files.readAllBytes(file(id)), RestartState.class);
    } catch (NoSuchFileException e) {
      return RestartState.NEW; // never started
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the restart state of container " + id, e);
    }
  }

  /** Under the container's lock, and only while it exists (so a removed container stays removed). */
  public void save(String id, RestartState state) {
    try {
      Durable.writeUnchecked(file(id), json.writeValueAsBytes(state));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save the restart state of container " + id, e);
    }
  }

  /**
   * Marks the container manually stopped (`stop`, a fatal `kill`): no restart policy brings it
   * back, also one waiting to restart, until its next start. Under its lock; nothing if it is gone.
   */
  public void markManuallyStopped(String id) {
    ContainerLock.ifPresent(containers.dir(id)).ifPresent(lock -> {
      try (lock) {
        save(id, load(id).stopped());
      }
    });
  }

  /**
   * Whether the exited container {@code r} is about to be restarted by its policy (Docker's
   * "restarting"): a cleanup waits out the backoff (and is alive), or the exit is recent and its
   * cleanup, still starting, will restart it by the same rule (so ps shows no "Exited" between runs
   * and rm without -f refuses, as Docker's do). A cleanup that never came is given up on after
   * {@link #PENDING_NANOS}. {@code exit} is null while the runtime has no exited run (the restarter
   * is replacing it).
   */
  public boolean restarting(ContainerRecord r, ExitStatus exit, Kernel kernel) {
    RestartState s = load(r.id());
    if (s.restarter() != null) {
      return kernel.startTime(s.restarter().pid()) == s.restarter().startTime();
    }
    if (exit == null) {
      return false;
    }
    long sinceExit = Instant.now().getEpochSecond() * 1_000_000_000L + Instant.now().getNano() - exit.finishedNanos();
    return s.watched() && s.error() == null && sinceExit < PENDING_NANOS
        && r.hostConfig().restartPolicy().restarts(exit.code(), s.restartCount(), s.manuallyStopped());
  }

  private Path file(String id) {
    return containers.dir(id).resolve(FILE);
  }
}
