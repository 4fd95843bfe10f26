package org.jocker.engine.image;

import org.jocker.images.registry.Authorizer;
import org.jocker.images.registry.EndpointResolver;
import org.jocker.images.registry.LoopbackEndpointResolver;
import org.jocker.images.registry.RegistryClient;

/**
 * The one place that decides how the engine reaches registries: which endpoints a registry has
 * (mirrors, insecure registries, CA certificates) and how requests are authorized. For now no
 * configuration (loopback registries over http, others over https) and no credentials; the
 * configured resolver and the credential/token authorizer plug in here.
 */
public final class RegistryWiring {
  private RegistryWiring() {}

  public static RegistryClient client() {
    return new RegistryClient(endpoints(), authorizer());
  }

  static EndpointResolver endpoints() {
    return new LoopbackEndpointResolver();
  }

  static Authorizer authorizer() {
    return Authorizer.NONE;
  }
}
