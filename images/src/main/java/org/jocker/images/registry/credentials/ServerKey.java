package org.jocker.images.registry.credentials;

import java.util.Locale;

/**
 * The key config.json files a registry's credentials under, as Docker writes it: {@code
 * https://index.docker.io/v1/} for docker.io, else the host[:port]. Keys written by others as
 * URLs ({@code https://host/v2/}) name their host.
 */
public final class ServerKey {
  /** Docker's key for Docker Hub. */
  public static final String DOCKER_HUB = "https://index.docker.io/v1/";

  private ServerKey() {}

  /** The key for {@code server} as the user or a reference names it. */
  public static String of(String server) {
    String host = hostOf(server);
    return isDockerHub(host) ? DOCKER_HUB : host;
  }

  /** Whether a stored key names the same registry as {@code key}. */
  static boolean sameRegistry(String storedKey, String key) {
    return of(storedKey).equals(key);
  }

  private static String hostOf(String server) {
    String s = server.strip();
    int scheme = s.indexOf("://");
    if (scheme >= 0) {
      s = s.substring(scheme + 3);
    }
    int slash = s.indexOf('/');
    if (slash >= 0) {
      s = s.substring(0, slash);
    }
    return s.toLowerCase(Locale.ROOT);
  }

  private static boolean isDockerHub(String host) {
    return host.equals("docker.io") || host.equals("index.docker.io") || host.equals("registry-1.docker.io");
  }
}
