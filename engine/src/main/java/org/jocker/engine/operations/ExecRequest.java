package org.jocker.engine.operations;

import java.util.List;

/**
 * What `jocker exec` was asked for.
 *
 * @param command the program and its arguments
 * @param env NAME=VALUE entries added to the container's (NAME alone passes ours)
 * @param user name|uid[:group|gid], resolved with the container's /etc/passwd; null: the container's
 * @param workdir the working directory; null: the container's
 * @param detach start it and return at once (-d)
 * @param interactive keep stdin attached (-i); otherwise it reads from /dev/null
 * @param tty give it a terminal (-t), kept by its monitor; not with detach
 */
public record ExecRequest(List<String> command, List<String> env, String user, String workdir, boolean detach,
    boolean interactive, boolean tty) {
  public ExecRequest(List<String> command, List<String> env, String user, String workdir, boolean detach,
      boolean interactive) {
    this(command, env, user, workdir, detach, interactive, false);
  }


  public ExecRequest {
    command = command == null ? List.of() : List.copyOf(command);
    env = env == null ? List.of() : List.copyOf(env);
  }
}
