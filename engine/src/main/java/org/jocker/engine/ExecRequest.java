package org.jocker.engine;

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
 */
public record ExecRequest(List<String> command, List<String> env, String user, String workdir, boolean detach,
    boolean interactive) {
  public ExecRequest {
    command = command == null ? List.of() : List.copyOf(command);
    env = env == null ? List.of() : List.copyOf(env);
  }
}
