package org.jocker.images.registry.credentials;

import java.util.Optional;

/** The credentials the user stored for a registry (a reference's domain, e.g. docker.io), if any. */
@FunctionalInterface
public interface CredentialSource {
  Optional<Credentials> lookup(String registry);

  CredentialSource NONE = registry -> Optional.empty();
}
