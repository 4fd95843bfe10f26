package org.jocker.images.registry;

import java.net.URI;
import java.util.Objects;

/**
 * A blob upload the registry has opened ({@code 202 Accepted}): where the next chunk or the
 * closing PUT goes (its {@code Location}, resolved against the request's URI), on the endpoint
 * that opened it, and how many bytes it holds so far.
 */
public record UploadSession(Endpoint endpoint, String repository, Scope scope, URI location, long offset) {
  public UploadSession {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(repository, "repository");
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(location, "location");
  }

  UploadSession movedTo(URI next, long newOffset) {
    return new UploadSession(endpoint, repository, scope, next, newOffset);
  }
}
