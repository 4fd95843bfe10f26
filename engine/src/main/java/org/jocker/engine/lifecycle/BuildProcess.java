package org.jocker.engine.lifecycle;

import java.nio.file.Path;
import java.util.List;

/**
 * A Dockerfile RUN's process: its argv (the SHELL and the script, or the exec form), the
 * environment the stage's ENV and ARGs give it, its user and working directory (in-root paths),
 * what its {@code --mount}s put in its root, and its network.
 */
public record BuildProcess(List<String> args, List<String> env, String user, String workdir, List<RunMount> mounts,
    RunNetwork network) {
  public BuildProcess {
    args = List.copyOf(args);
    env = List.copyOf(env);
    mounts = List.copyOf(mounts);
  }

  /** A mount of a RUN, at {@code target} in its root. */
  public sealed interface RunMount {
    String target();

    /** A host directory or file (a cache mount's directory, the context's files). */
    record Bind(Path source, String target, boolean readOnly) implements RunMount {}

    /** An empty tmpfs; {@code size} in bytes, 0 for the kernel's default. */
    record Tmpfs(String target, long size) implements RunMount {}
  }
}
