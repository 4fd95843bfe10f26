package org.jocker.engine.network;

import org.jocker.engine.EngineException;
import org.jocker.engine.container.HostConfig;

/**
 * `--network container:NAME`: the container joins another one's network namespace (see
 * {@link ContainerNetworking#configureJoined}); recorded as container:ID. Docker's checks of the
 * options that belong to the other container's network.
 */
public final class JoinedNetwork {
  private static final String PREFIX = "container:";

  private JoinedNetwork() {}

  /** Whether `--network` (as given or as recorded) joins another container. */
  public static boolean requested(String networkMode) {
    return networkMode != null && networkMode.startsWith(PREFIX);
  }

  /** The container named by container:NAME (the name or id as given, or the id recorded). */
  public static String target(String networkMode) {
    String target = networkMode.substring(PREFIX.length());
    if (target.isEmpty()) {
      throw EngineException.invalidArgument("invalid container format container:<name|id>");
    }
    return target;
  }

  public static String recorded(String targetId) {
    return PREFIX + targetId;
  }

  /** Docker's refusals of options that belong to the joined container's network (validateNetMode). */
  public static void checkOptions(HostConfig hc, String hostname) {
    if (hostname != null && !hostname.isEmpty()) {
      throw conflict("hostname and the network mode");
    }
    HostConfig.NameResolution names = hc.nameResolution();
    if (!names.dns().isEmpty()) {
      throw conflict("dns and the network mode");
    }
    if (!names.extraHosts().isEmpty()) {
      throw conflict("custom host-to-IP mapping and the network mode");
    }
    if (!hc.portBindings().isEmpty() || hc.publishAllPorts()) {
      throw conflict("port publishing and the container type network mode");
    }
  }

  private static EngineException conflict(String what) {
    return EngineException.invalidArgument("conflicting options: " + what);
  }
}
