package org.jocker.engine.lifecycle;

import java.util.ArrayList;
import java.util.List;

/**
 * How the monitor of a container calls the engine back when the container exits (podman's
 * conmon --exit-command): {@code JOCKER container cleanup --launch TOKEN ID}, where JOCKER is the
 * command line of a jocker over the same root. The cleanup then applies --rm or the restart policy.
 *
 * @param jocker the argv that runs jocker over this engine's root (an absolute path first)
 */
public record ExitCommand(List<String> jocker) {
  public ExitCommand {
    jocker = List.copyOf(jocker);
    if (jocker.isEmpty() || !jocker.get(0).startsWith("/")) {
      throw new IllegalArgumentException("the exit command must start with an absolute path: " + jocker);
    }
  }

  /** The argv for one run of a container ({@code launch}: its token in the container's RestartState). */
  public List<String> argv(String id, String launch) {
    List<String> argv = new ArrayList<>(jocker);
    argv.addAll(List.of("container", "cleanup", "--launch", launch, id));
    return argv;
  }
}
