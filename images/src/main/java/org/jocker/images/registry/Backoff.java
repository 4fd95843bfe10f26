package org.jocker.images.registry;

import java.time.Duration;

/**
 * How often and how patiently a request failing for a passing reason (no connection, 5xx, 429)
 * is tried again: {@code attempts} in all, waiting {@code first}, then twice as long each time.
 */
public record Backoff(int attempts, Duration first) {
  public static final Backoff DEFAULT = new Backoff(3, Duration.ofMillis(500));

  public Backoff {
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be at least 1: " + attempts);
    }
  }

  /** Waits before attempt {@code attempt} (1 is the first retry). */
  void pause(int attempt) {
    long millis = first.toMillis() << Math.min(attempt - 1, 10);
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryException("interrupted", e);
    }
  }
}
