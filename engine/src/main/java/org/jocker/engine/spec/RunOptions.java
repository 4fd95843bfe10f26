package org.jocker.engine.spec;

import java.util.List;
import org.jocker.engine.container.EndpointConfig;
import org.jocker.engine.container.HostConfig;

/**
 * What `jocker run` was asked for, before the image's defaults are applied.
 *
 * @param command replaces the image's Cmd when not empty
 * @param entrypoint replaces the image's Entrypoint when not null ("" clears it)
 * @param env NAME=VALUE entries added after the image's
 * @param workdir replaces the image's WorkingDir when not null
 * @param user replaces the image's User when not null: name, uid, name:group or uid:gid
 * @param hostname defaults to the first 12 characters of the container id
 * @param name defaults to a generated one
 * @param remove remove the container when it exits (--rm)
 * @param interactive keep stdin attached (-i); otherwise it reads from /dev/null
 * @param hostConfig mounts, resources, security, labels, stop signal and timeout
 * @param tty give the container a terminal (-t), kept by its monitor for attach clients
 * @param endpointConfig --network-alias and --ip, for a user-defined network
 */
public record RunOptions(
    String image,
    List<String> command,
    String entrypoint,
    List<String> env,
    String workdir,
    String user,
    String hostname,
    String name,
    boolean remove,
    boolean interactive,
    HostConfig hostConfig,
    boolean tty,
    EndpointConfig endpointConfig) {

  public RunOptions {
    command = command == null ? List.of() : List.copyOf(command);
    env = env == null ? List.of() : List.copyOf(env);
    hostConfig = hostConfig == null ? HostConfig.DEFAULT : hostConfig;
    endpointConfig = endpointConfig == null ? EndpointConfig.NONE : endpointConfig;
  }

  public RunOptions(String image, List<String> command, String entrypoint, List<String> env, String workdir,
      String user, String hostname, String name, boolean remove, boolean interactive, HostConfig hostConfig,
      boolean tty) {
    this(image, command, entrypoint, env, workdir, user, hostname, name, remove, interactive, hostConfig, tty, null);
  }

  public RunOptions(String image, List<String> command, String entrypoint, List<String> env, String workdir,
      String user, String hostname, String name, boolean remove, boolean interactive) {
    this(image, command, entrypoint, env, workdir, user, hostname, name, remove, interactive, null, false);
  }

  public RunOptions(String image, List<String> command, String entrypoint, List<String> env, String workdir,
      String user, String hostname, String name, boolean remove, boolean interactive, HostConfig hostConfig) {
    this(image, command, entrypoint, env, workdir, user, hostname, name, remove, interactive, hostConfig, false);
  }
}
