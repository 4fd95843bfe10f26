package org.jocker.images.registry;

import java.util.List;

/**
 * Where a registry is reached, from the user's configuration (mirrors, insecure registries,
 * per-registry CA files), as Docker decides it.
 */
public interface EndpointResolver {
  /**
   * The endpoints to try for {@code registry} (a reference's domain), in order: mirrors first,
   * then the registry itself (https, then http where it is insecure). Never empty.
   */
  List<Endpoint> endpoints(String registry);
}
