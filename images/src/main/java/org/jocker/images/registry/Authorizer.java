package org.jocker.images.registry;

import java.net.http.HttpHeaders;
import java.util.Optional;

/**
 * Authorization for registry requests: Basic with the user's credentials, or Bearer tokens from
 * the registry's token service (anonymous when there are no credentials), cached until they
 * expire. The client asks before each request and reports each 401.
 */
public interface Authorizer {
  /** The Authorization header value for a request to {@code endpoint} needing {@code scope}. */
  Optional<String> authorization(Endpoint endpoint, Scope scope);

  /**
   * A request was answered 401 with these headers (its WWW-Authenticate challenges): gets what a
   * retry needs (e.g. a token for the scope). False when nothing more can be tried, so the
   * request fails as unauthorized.
   *
   * @throws RegistryException when the token service refuses the credentials, in Docker's words
   */
  boolean challenged(Endpoint endpoint, Scope scope, HttpHeaders response);

  /** No credentials and no tokens: for registries that ask for neither. */
  Authorizer NONE = new Authorizer() {
    @Override
    public Optional<String> authorization(Endpoint endpoint, Scope scope) {
      return Optional.empty();
    }

    @Override
    public boolean challenged(Endpoint endpoint, Scope scope, HttpHeaders response) {
      return false;
    }
  };
}
