package org.jocker.engine.container;

import java.util.List;

/**
 * A container as `ps` shows it.
 *
 * @param state created, running, paused, restarting, exited (Docker's words)
 * @param exitCode meaningful when exited
 * @param finished when it exited (RFC 3339), or null
 */
public record ContainerView(String id, String name, String image, List<String> command, String created,
    String state, int exitCode, String finished) {
  /** Whether its process is there: running, or paused. */
  public boolean running() {
    return state.equals("running") || state.equals("paused");
  }
}
