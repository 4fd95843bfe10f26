package org.jocker.images.registry.auth;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jocker.images.registry.Authorizer;
import org.jocker.images.registry.Endpoint;
import org.jocker.images.registry.RegistryException;
import org.jocker.images.registry.Scope;
import org.jocker.images.registry.credentials.CredentialSource;
import org.jocker.images.registry.credentials.Credentials;

/**
 * Docker's way of authorizing registry requests. Nothing is sent until an endpoint challenges;
 * from then on each request to it carries what its challenge asks for: the user's credentials
 * for Basic, or for Bearer a token for the request's scopes from the realm (anonymous without
 * credentials), cached per (endpoint, scopes) until it expires. A token or Basic credentials
 * refused once are not tried again: the request fails as the registry said.
 */
public final class RegistryAuthorizer implements Authorizer {
  private final CredentialSource credentials;
  private final TokenService tokens;
  private final TokenCache cache;
  private final Map<URI, Challenge> challenges = new ConcurrentHashMap<>();

  public RegistryAuthorizer(CredentialSource credentials) {
    this(credentials, Clock.systemUTC());
  }

  RegistryAuthorizer(CredentialSource credentials, Clock clock) {
    this.credentials = credentials;
    this.tokens = new TokenService(new HttpClients(), clock);
    this.cache = new TokenCache(clock);
  }

  @Override
  public Optional<String> authorization(Endpoint endpoint, Scope scope) {
    Challenge challenge = challenges.get(endpoint.base());
    if (challenge == null) {
      return Optional.empty();
    }
    return switch (challenge.scheme()) {
      case "basic" -> credentialsFor(endpoint).map(c -> "Basic " + c.encoded());
      case "bearer" -> Optional.of("Bearer " + token(endpoint, challenge, scope.values(), scope.values()).value());
      default -> Optional.empty();
    };
  }

  @Override
  public boolean challenged(Endpoint endpoint, Scope scope, HttpHeaders response) {
    List<Challenge> offered = Challenge.parse(response.allValues("WWW-Authenticate"));
    Optional<Challenge> bearer = offered.stream().filter(c -> c.scheme().equals("bearer")).findFirst();
    Optional<Challenge> basic = offered.stream().filter(c -> c.scheme().equals("basic")).findFirst();
    Challenge before = challenges.get(endpoint.base());
    if (bearer.isPresent()) {
      List<String> key = scope.values();
      boolean hadToken = before != null && before.scheme().equals("bearer")
          && cache.get(endpoint.base(), key).isPresent();
      challenges.put(endpoint.base(), bearer.get());
      if (hadToken) {
        cache.remove(endpoint.base(), key);
        return false; // a fresh token for these scopes was refused
      }
      // Fails here, in the token service's words, when it refuses the credentials.
      token(endpoint, bearer.get(), key, withChallengeScopes(key, bearer.get()));
      return true;
    }
    if (basic.isPresent()) {
      boolean sentBasic = before != null && before.scheme().equals("basic");
      challenges.put(endpoint.base(), basic.get());
      if (!sentBasic && credentialsFor(endpoint).isEmpty()) {
        // Docker's words for a Basic registry the user has not logged in to (pull and push)
        throw new RegistryException("no basic auth credentials", null, 401);
      }
      return !sentBasic;
    }
    return false;
  }

  /**
   * A token for a request's scopes ({@code key}): the cached one, or a new one from the
   * challenge's realm asking for {@code asked}.
   */
  private Token token(Endpoint endpoint, Challenge challenge, List<String> key, List<String> asked) {
    Optional<Token> cached = cache.get(endpoint.base(), key);
    if (cached.isPresent()) {
      return cached.get();
    }
    Token token = tokens.fetch(endpoint, challenge, asked, credentialsFor(endpoint));
    cache.put(endpoint.base(), key, token);
    return token;
  }

  /** The request's scopes and any more the registry's challenge names. */
  private static List<String> withChallengeScopes(List<String> requested, Challenge challenge) {
    List<String> scopes = new ArrayList<>(requested);
    challenge.param("scope").ifPresent(s -> {
      for (String one : s.split(" ")) {
        if (!one.isEmpty() && !scopes.contains(one)) {
          scopes.add(one);
        }
      }
    });
    return List.copyOf(scopes);
  }

  private Optional<Credentials> credentialsFor(Endpoint endpoint) {
    return credentials.lookup(endpoint.registry());
  }
}
