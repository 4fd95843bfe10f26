package org.jocker.engine.container;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import org.jocker.engine.EngineException;

/**
 * `--restart`: what happens when the container exits (Docker's HostConfig.RestartPolicy). Carried
 * out by the cleanup the container's monitor starts when it exits ({@link org.jocker.engine.ContainerCleanup}).
 *
 * @param name no, always, on-failure or unless-stopped
 * @param maximumRetryCount for on-failure: at most this many restarts (0: no limit)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RestartPolicy(String name, int maximumRetryCount) {
  public static final RestartPolicy NO = new RestartPolicy("no", 0);

  /** Docker's `--restart` syntax and messages: no, always, unless-stopped, on-failure[:N]. */
  public static RestartPolicy parse(String value) {
    if (value == null || value.isEmpty()) {
      return NO;
    }
    int colon = value.indexOf(':');
    String name = colon < 0 ? value : value.substring(0, colon);
    String count = colon < 0 ? "" : value.substring(colon + 1);
    if (colon == 0) {
      throw invalid("invalid restart policy format: no policy provided before colon");
    }
    int max = 0;
    if (!count.isEmpty()) {
      try {
        max = Integer.parseInt(count);
      } catch (NumberFormatException e) {
        throw invalid("invalid restart policy format: maximum retry count must be an integer");
      }
    }
    switch (name) {
      case "no", "always", "unless-stopped" -> {
        if (max != 0) {
          throw invalid("invalid restart policy: maximum retry count can only be used with 'on-failure'"
              + (max < 0 ? " and cannot be negative" : ""));
        }
      }
      case "on-failure" -> {
        if (max < 0) {
          throw invalid("invalid restart policy: maximum retry count cannot be negative");
        }
      }
      default -> throw invalid("invalid restart policy: unknown policy '" + name
          + "'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'");
    }
    return new RestartPolicy(name, max);
  }

  private static EngineException invalid(String message) {
    return EngineException.invalidArgument(message);
  }

  public boolean isNone() {
    return name.equals("no");
  }

  /**
   * Docker's rule for a container that exited with {@code exitCode} after {@code restartCount}
   * restarts. A manual stop (or kill) suppresses every policy until the next start: Docker cancels
   * the container's restart manager then.
   */
  public boolean restarts(int exitCode, int restartCount, boolean manuallyStopped) {
    if (manuallyStopped) {
      return false;
    }
    return switch (name) {
      case "always", "unless-stopped" -> true;
      case "on-failure" -> exitCode != 0 && (maximumRetryCount == 0 || restartCount < maximumRetryCount);
      default -> false;
    };
  }
}
