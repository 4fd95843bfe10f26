package org.jocker.images.registry.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import org.jocker.images.registry.Endpoint;
import org.jocker.images.registry.EndpointResolver;
import org.jocker.images.registry.RegistryException;

/**
 * Where registries are reached, as Docker decides it from daemon.json and certs.d: docker.io
 * through its mirrors first, then {@code https://registry-1.docker.io}; any other registry over
 * https with its certs.d CAs (and client certificate), and, when it is insecure, over https
 * without verification and then plain http. TLS contexts are built once per registry.
 */
public final class ConfiguredEndpointResolver implements EndpointResolver {
  /** The registry references name docker.io, and where Docker reaches it. */
  public static final String DOCKER_HUB = "docker.io";

  static final URI DOCKER_HUB_API = URI.create("https://registry-1.docker.io");

  private final List<URI> mirrors;
  private final InsecureRegistries insecure;
  private final TlsContexts tls;
  private final Map<String, SSLContext> contexts = new ConcurrentHashMap<>();

  public ConfiguredEndpointResolver(DaemonConfig config, Path certsDir) {
    this(config, certsDir, true);
  }

  /** @param loopbackInsecure false only in tests: their registries are on loopback */
  ConfiguredEndpointResolver(DaemonConfig config, Path certsDir, boolean loopbackInsecure) {
    this.mirrors = config.registryMirrors().stream().map(ConfiguredEndpointResolver::mirror).toList();
    this.insecure = InsecureRegistries.of(config.insecureRegistries(), loopbackInsecure);
    this.tls = new TlsContexts(certsDir);
  }

  /** The engine's resolver: {@code configFile} (daemon.json; may be missing) and {@code certsDir}. */
  public static ConfiguredEndpointResolver load(Path configFile, Path certsDir) {
    return new ConfiguredEndpointResolver(DaemonConfig.load(configFile), certsDir);
  }

  @Override
  public List<Endpoint> endpoints(String registry) {
    List<Endpoint> endpoints = new ArrayList<>();
    if (isDockerHub(registry)) {
      for (URI m : mirrors) {
        String host = m.getRawAuthority();
        endpoints.add(new Endpoint(DOCKER_HUB, m, m.getScheme().equals("https") ? context(host) : null, true));
      }
      endpoints.add(new Endpoint(DOCKER_HUB, DOCKER_HUB_API, context("registry-1.docker.io"), false));
      return List.copyOf(endpoints);
    }
    endpoints.add(new Endpoint(registry, URI.create("https://" + registry), context(registry), false));
    if (insecure.covers(registry)) {
      endpoints.add(new Endpoint(registry, URI.create("http://" + registry), null, false));
    }
    return List.copyOf(endpoints);
  }

  /** Whether {@code registry} is insecure: its certificate is not verified, plain http is tried. */
  public boolean insecure(String registry) {
    return insecure.covers(registry);
  }

  /** The TLS context for https to {@code registry} (a host[:port]), as its endpoints use it. */
  public SSLContext context(String registry) {
    return contexts.computeIfAbsent(registry, r -> tls.forRegistry(r, insecure.covers(r)));
  }

  public static boolean isDockerHub(String registry) {
    return registry.equals(DOCKER_HUB) || registry.equals("index.docker.io") || registry.equals("registry-1.docker.io");
  }

  /** A mirror as Docker takes it: an http(s) URI, its path dropped to the API root. */
  private static URI mirror(String text) {
    URI uri;
    try {
      uri = URI.create(text.strip());
    } catch (IllegalArgumentException e) {
      throw new RegistryException("invalid mirror: " + text + " is not a URI", e);
    }
    if (uri.getScheme() == null || !(uri.getScheme().equals("https") || uri.getScheme().equals("http"))
        || uri.getRawAuthority() == null) {
      throw new RegistryException("invalid mirror: unsupported scheme or no host in " + text
          + " (give https://host[:port])", null, 0);
    }
    return URI.create(uri.getScheme() + "://" + uri.getRawAuthority());
  }
}
