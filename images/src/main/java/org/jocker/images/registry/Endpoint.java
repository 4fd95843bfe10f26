package org.jocker.images.registry;

import java.net.URI;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * One way to reach a registry: the base URI its {@code /v2/} API hangs under ({@code
 * https://host:port} or, for an insecure registry, {@code http://host:port}), the TLS trust to use
 * for https (null for http), and whether it is a mirror standing in for {@code registry}.
 *
 * @param registry the registry as references name it ({@code docker.io}, {@code 127.0.0.1:5000})
 */
public record Endpoint(String registry, URI base, SSLContext tls, boolean mirror) {
  public Endpoint {
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(base, "base");
    if (base.getScheme().equals("https") && tls == null) {
      throw new IllegalArgumentException("an https endpoint needs a TLS context: " + base);
    }
  }

  public boolean secure() {
    return base.getScheme().equals("https");
  }
}
