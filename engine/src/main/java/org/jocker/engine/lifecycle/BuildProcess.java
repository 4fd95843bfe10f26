package org.jocker.engine.lifecycle;

import java.util.List;

/**
 * A Dockerfile RUN's process: its argv (the SHELL and the script, or the exec form), the
 * environment the stage's ENV and ARGs give it, its user and working directory (in-root paths).
 */
public record BuildProcess(List<String> args, List<String> env, String user, String workdir) {
  public BuildProcess {
    args = List.copyOf(args);
    env = List.copyOf(env);
  }
}
