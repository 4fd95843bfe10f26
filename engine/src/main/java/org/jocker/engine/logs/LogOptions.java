package org.jocker.engine.logs;

import java.time.Instant;

/**
 * What `logs` shows.
 *
 * @param tail only the last N entries (-1: all)
 * @param since only entries from this time on, or null
 * @param timestamps prefix each entry with its time
 * @param follow keep reading until the container has exited
 */
public record LogOptions(int tail, Instant since, boolean timestamps, boolean follow) {
  public static final LogOptions ALL = new LogOptions(-1, null, false, false);
}
