package org.jocker.images.registry;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;

/**
 * One HTTP client per TLS context (plain http shares one), kept for the life of the process so
 * connections are reused across requests and pulls. Redirects are never followed by the client:
 * {@link RegistryClient} follows them itself to decide where credentials may go.
 */
final class HttpClients {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);
  private final Map<Optional<SSLContext>, HttpClient> clients = new ConcurrentHashMap<>();

  HttpClient forEndpoint(Endpoint endpoint) {
    return clients.computeIfAbsent(Optional.ofNullable(endpoint.tls()), tls -> {
      HttpClient.Builder builder = HttpClient.newBuilder()
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(CONNECT_TIMEOUT);
      tls.ifPresent(builder::sslContext);
      return builder.build();
    });
  }
}
