package org.jocker.images.registry.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import org.jocker.images.registry.Endpoint;
import org.jocker.images.registry.RegistryException;
import org.jocker.images.registry.credentials.Credentials;

/**
 * A registry's token service (the Bearer challenge's realm): {@code GET
 * realm?service=S&scope=A&scope=B}, with the user's Basic credentials when there are some, else
 * anonymous. The answer's {@code token} (or {@code access_token}) lasts {@code expires_in}
 * seconds (at least 60, as Docker takes it) from {@code issued_at} (or now).
 */
final class TokenService {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final Duration MINIMUM_LIFETIME = Duration.ofSeconds(60);

  private final HttpClients clients;
  private final Clock clock;

  TokenService(HttpClients clients, Clock clock) {
    this.clients = clients;
    this.clock = clock;
  }

  Token fetch(Endpoint endpoint, Challenge challenge, List<String> scopes, Optional<Credentials> credentials) {
    URI uri = uri(challenge, scopes, credentials);
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET();
    credentials.ifPresent(c -> request.header("Authorization", "Basic " + c.encoded()));
    HttpResponse<byte[]> response;
    try {
      response = clients.forEndpoint(endpoint).send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new RegistryException("Get \"" + uri + "\": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryException("Get \"" + uri + "\": interrupted", e);
    }
    if (response.statusCode() != 200) {
      throw ErrorResponse.of(response.statusCode(), response.body(), "token service " + uri.getHost());
    }
    return token(uri, response.body());
  }

  private static URI uri(Challenge challenge, List<String> scopes, Optional<Credentials> credentials) {
    String realm = challenge.param("realm")
        .orElseThrow(() -> new RegistryException("the registry's Bearer challenge names no realm", null, 0));
    StringBuilder query = new StringBuilder();
    challenge.param("service").ifPresent(s -> append(query, "service", s));
    for (String scope : scopes) {
      append(query, "scope", scope);
    }
    credentials.ifPresent(c -> append(query, "account", c.username()));
    String separator = realm.contains("?") ? "&" : "?";
    try {
      return URI.create(query.isEmpty() ? realm : realm + separator + query);
    } catch (IllegalArgumentException e) {
      throw new RegistryException("the registry's token realm is no URL: " + realm, e);
    }
  }

  private static void append(StringBuilder query, String name, String value) {
    if (!query.isEmpty()) {
      query.append('&');
    }
    query.append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
  }

  private Token token(URI uri, byte[] body) {
    JsonNode json;
    try {
      json = JSON.readTree(body);
    } catch (IOException e) {
      throw new RegistryException("the token service at " + uri.getHost() + " answered no JSON", e);
    }
    String value = json.path("token").asText("");
    if (value.isEmpty()) {
      value = json.path("access_token").asText("");
    }
    if (value.isEmpty()) {
      throw new RegistryException("authorization server did not include a token in the response", null, 0);
    }
    Duration lifetime = Duration.ofSeconds(json.path("expires_in").asLong(0));
    if (lifetime.compareTo(MINIMUM_LIFETIME) < 0) {
      lifetime = MINIMUM_LIFETIME;
    }
    return new Token(value, issuedAt(json).plus(lifetime));
  }

  private Instant issuedAt(JsonNode json) {
    String issued = json.path("issued_at").asText("");
    if (!issued.isEmpty()) {
      try {
        return OffsetDateTime.parse(issued).toInstant();
      } catch (DateTimeParseException ignored) {
        // as Docker: a bad issued_at is now
      }
    }
    return clock.instant();
  }
}
