package org.jocker.engine.container;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * What changes about a container from one run to the next (containers/ID/restart.json, written
 * atomically under the container's lock; its record, container.json, stays as it was made).
 *
 * @param launch the token of the current runtime container: the exit command of its monitor carries
 *     it, so a cleanup whose container was started again meanwhile knows it has nothing to do
 * @param restartCount restarts by the policy since the last manual start (Docker's RestartCount)
 * @param manuallyStopped stop or kill asked for it: no policy restarts it until the next start
 * @param backoffMillis the delay before the last restart (Docker's: 100 ms, doubling, at most a minute)
 * @param restarter the cleanup process waiting out the delay (Docker's State.Restarting), or null
 * @param error why the last restart failed, or null
 * @param watched the current run's monitor will start the cleanup when it exits (the engine had an
 *     exit command)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RestartState(String launch, int restartCount, boolean manuallyStopped, long backoffMillis,
    Restarter restarter, String error, boolean watched) {
  public static final RestartState NEW = new RestartState(null, 0, false, 0, null, null, false);

  static final long FIRST_BACKOFF_MILLIS = 100;
  static final long MAX_BACKOFF_MILLIS = 60_000;
  /** A container that ran this long starts its backoff again from the first delay. */
  static final long BACKOFF_RESET_NANOS = 10_000_000_000L;

  /** A process, by pid and start time (against pid reuse). */
  public record Restarter(int pid, long startTime) {}

  /** A start by the user: the count, the manual stop and the backoff start again (as Docker's). */
  public static RestartState started(String newLaunch) {
    return new RestartState(newLaunch, 0, false, 0, null, null, false);
  }

  /** A start by the restart policy. */
  public RestartState restarted(String newLaunch) {
    return new RestartState(newLaunch, restartCount + 1, false, backoffMillis, null, null, false);
  }

  public RestartState stopped() {
    return new RestartState(launch, restartCount, true, backoffMillis, null, error, watched);
  }

  public RestartState waiting(long delayMillis, Restarter process) {
    return new RestartState(launch, restartCount, manuallyStopped, delayMillis, process, null, watched);
  }

  public RestartState failed(String why) {
    return new RestartState(launch, restartCount, manuallyStopped, backoffMillis, null, why, watched);
  }

  public RestartState watched(boolean byCleanup) {
    return new RestartState(launch, restartCount, manuallyStopped, backoffMillis, restarter, error, byCleanup);
  }

  /** Docker's backoff: the previous delay doubled, or the first one after a run of 10 s or more. */
  public long nextBackoff(long ranNanos) {
    if (ranNanos >= BACKOFF_RESET_NANOS || backoffMillis == 0) {
      return FIRST_BACKOFF_MILLIS;
    }
    return Math.min(backoffMillis * 2, MAX_BACKOFF_MILLIS);
  }
}
