package org.jocker.images.registry;

import java.net.URI;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLContext;

/**
 * The endpoints a registry has without any configuration: Docker Hub's API host for {@code
 * docker.io}; plain http for registries on the loopback (localhost, 127.0.0.0/8, ::1), which Docker
 * treats as insecure by default; https with the JDK's trust for every other.
 */
public final class LoopbackEndpointResolver implements EndpointResolver {
  private static final String HUB_API = "registry-1.docker.io";

  @Override
  public List<Endpoint> endpoints(String registry) {
    String host = registry.equals("docker.io") ? HUB_API : registry;
    if (isLoopback(host)) {
      return List.of(new Endpoint(registry, URI.create("http://" + host), null, false));
    }
    return List.of(new Endpoint(registry, URI.create("https://" + host), defaultTls(), false));
  }

  static boolean isLoopback(String hostAndPort) {
    String host = hostAndPort.toLowerCase(Locale.ROOT);
    if (host.startsWith("[")) {
      return host.startsWith("[::1]");
    }
    int colon = host.lastIndexOf(':');
    host = colon < 0 ? host : host.substring(0, colon);
    return host.equals("localhost") || host.matches("127(\\.\\d{1,3}){3}");
  }

  private static SSLContext defaultTls() {
    try {
      return SSLContext.getDefault();
    } catch (NoSuchAlgorithmException e) {
      throw new RegistryException("no TLS: " + e.getMessage(), e);
    }
  }
}
