package org.jocker.images.registry.auth;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jocker.images.registry.Endpoint;
import org.jocker.images.registry.RegistryException;
import org.jocker.images.registry.Scope;
import org.jocker.images.registry.credentials.Credentials;

/**
 * What {@code login} asks a registry, as Docker does: {@code GET /v2/} on each endpoint in turn
 * (the next one only when the last could not be reached), answering its challenge with the
 * credentials (Basic, or a token fetched with them). Accepted, or the registry's refusal in
 * Docker's words.
 */
public final class LoginCheck {
  private final HttpClients clients = new HttpClients();

  public void check(List<Endpoint> endpoints, Credentials credentials) {
    RegistryException last = null;
    for (Endpoint endpoint : endpoints) {
      try {
        checkOne(endpoint, credentials);
        return;
      } catch (Unreachable e) {
        last = e.failure;
      }
    }
    throw last;
  }

  /** An endpoint that could not be asked (refused connection, TLS failure): try the next. */
  private static final class Unreachable extends Exception {
    final RegistryException failure;

    Unreachable(RegistryException failure) {
      super(failure.getMessage(), null, false, false);
      this.failure = failure;
    }
  }

  private void checkOne(Endpoint endpoint, Credentials credentials) throws Unreachable {
    URI ping = endpoint.base().resolve("/v2/");
    RegistryAuthorizer authorizer = new RegistryAuthorizer(registry -> Optional.of(credentials));
    HttpResponse<byte[]> response = get(endpoint, ping, Optional.empty());
    if (response.statusCode() == 401) {
      boolean retry;
      try {
        retry = authorizer.challenged(endpoint, Scope.none(), response.headers());
      } catch (RegistryException e) {
        throw new RegistryException("Get \"" + ping + "\": " + e.getMessage(), e.code(), e.status());
      }
      if (retry) {
        response = get(endpoint, ping, authorizer.authorization(endpoint, Scope.none()));
      }
    }
    if (response.statusCode() == 200) {
      return;
    }
    throw new RegistryException("login attempt to " + ping + " failed with status: "
        + response.statusCode() + " " + reason(response.statusCode()),
        response.statusCode() == 401 ? "UNAUTHORIZED" : null, response.statusCode());
  }

  private HttpResponse<byte[]> get(Endpoint endpoint, URI uri, Optional<String> authorization) throws Unreachable {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET();
    authorization.ifPresent(a -> request.header("Authorization", a));
    try {
      return clients.forEndpoint(endpoint).send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new Unreachable(new RegistryException("Get \"" + uri + "\": " + describe(e), e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryException("Get \"" + uri + "\": interrupted", e);
    }
  }

  private static String describe(IOException e) {
    Throwable root = e;
    while (root.getCause() != null && root.getMessage() == null) {
      root = root.getCause();
    }
    String message = root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    return message.lines().findFirst().orElse(message);
  }

  private static String reason(int status) {
    return switch (status) {
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 429 -> "Too Many Requests";
      case 500 -> "Internal Server Error";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      default -> "";
    };
  }
}
