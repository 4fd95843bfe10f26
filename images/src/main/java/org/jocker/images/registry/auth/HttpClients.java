package org.jocker.images.registry.auth;

import java.net.http.HttpClient;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import org.jocker.images.registry.Endpoint;

/** One HTTP client per TLS context (an endpoint's, or the system's for a plain-http one). */
final class HttpClients {
  private final Map<SSLContext, HttpClient> clients = new ConcurrentHashMap<>();

  HttpClient forEndpoint(Endpoint endpoint) {
    SSLContext tls = endpoint.tls() != null ? endpoint.tls() : systemContext();
    return clients.computeIfAbsent(tls, t -> HttpClient.newBuilder()
        .sslContext(t)
        .connectTimeout(Duration.ofSeconds(30))
        .followRedirects(HttpClient.Redirect.NORMAL)
        .build());
  }

  private static SSLContext systemContext() {
    try {
      return SSLContext.getDefault();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no default TLS context", e);
    }
  }
}
