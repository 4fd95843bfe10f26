package org.jocker.engine.lifecycle;

import java.nio.file.Path;
import java.util.List;
import org.jocker.engine.container.ContainerStore;
import org.jocker.engine.network.ContainerNetworking;
import org.jocker.engine.network.NetworkMode;
import org.jocker.runtime.spec.Spec;

/**
 * The network of a build's RUN containers. None keeps the runtime's new namespace with only lo
 * (and the image's /etc files); host and the default bridge get /etc/resolv.conf from the host's
 * and /etc/hosts (files of the RUN's bundle, bind-mounted, as BuildKit mounts its own); on the
 * bridge each RUN has an endpoint of its own for its run, torn down after it, as `jocker run`'s.
 */
final class BuildNetworking {
  /** What the /etc files' bind mounts leave in a root that lacked them: empty files, not part of the layer. */
  private static final List<String> ETC_FILES = List.of("/etc/resolv.conf", "/etc/hostname", "/etc/hosts");

  private final ContainerNetworking networking;
  private final ContainerStore containers;

  BuildNetworking(ContainerNetworking networking, ContainerStore containers) {
    this.networking = networking;
    this.containers = containers;
  }

  /** What a RUN's network is on this engine: default is the bridge, or none when the engine has no bridge. */
  NetworkMode mode(RunNetwork requested) {
    return switch (requested) {
      case NONE -> NetworkMode.NONE;
      case HOST -> NetworkMode.HOST;
      case DEFAULT -> NetworkMode.recorded(networking.resolve(null));
    };
  }

  /**
   * The container's spec with its network, its /etc files written into {@code etcDir}; on the
   * bridge its endpoint is up when this returns.
   */
  Spec connect(Spec spec, String cid, NetworkMode mode, Path etcDir) {
    if (mode == NetworkMode.NONE) {
      return spec;
    }
    Spec configured = networking.configure(spec, cid, mode, etcDir);
    if (mode == NetworkMode.BRIDGE) {
      containers.locked(() -> networking.connectBuild(cid, etcDir, spec.hostname()));
    }
    return configured;
  }

  /** The container's endpoint and namespace, if it has any (a leftover's too). */
  void disconnect(String cid) {
    containers.locked(() -> networking.disconnect(cid));
  }

  /** The in-root paths this network mounts over (removed from the layer when they were only mount points). */
  List<String> mountPoints(NetworkMode mode) {
    return mode == NetworkMode.NONE ? List.of() : ETC_FILES;
  }
}
