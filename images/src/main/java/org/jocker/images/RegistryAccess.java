package org.jocker.images;

import java.nio.file.Path;
import org.jocker.images.registry.Authorizer;
import org.jocker.images.registry.EndpointResolver;
import org.jocker.images.registry.RegistryClient;
import org.jocker.images.registry.auth.LoginCheck;
import org.jocker.images.registry.auth.RegistryAuthorizer;
import org.jocker.images.registry.config.ConfiguredEndpointResolver;
import org.jocker.images.registry.credentials.Credentials;
import org.jocker.images.registry.credentials.ServerKey;

/**
 * How the engine reaches registries and whose credentials it shows them. The engine's part comes
 * from its configuration file (daemon.json: mirrors, insecure registries) and the certs.d
 * directory beside it; the user's part (credentials) from that user's Docker config.json.
 */
public final class RegistryAccess {
  /** Where the engine's configuration is unless told otherwise; certs.d is beside it. */
  public static final Path DEFAULT_CONFIG_FILE = Path.of("/etc/jocker/daemon.json");

  private final ConfiguredEndpointResolver endpoints;

  private RegistryAccess(ConfiguredEndpointResolver endpoints) {
    this.endpoints = endpoints;
  }

  /**
   * Reads {@code configFile} (missing: Docker's defaults) and uses {@code certs.d} in its
   * directory for per-registry CAs and client certificates.
   *
   * @throws org.jocker.images.registry.RegistryException when the file is no valid configuration
   */
  public static RegistryAccess open(Path configFile) {
    Path certsDir = configFile.toAbsolutePath().resolveSibling("certs.d");
    return new RegistryAccess(ConfiguredEndpointResolver.load(configFile, certsDir));
  }

  /** Where each registry is reached (mirrors, https, http when insecure) and with what TLS trust. */
  public EndpointResolver endpoints() {
    return endpoints;
  }

  /** Authorization for {@code user}'s requests: their stored credentials, tokens cached. */
  public Authorizer authorizer(RegistryUser user) {
    return new RegistryAuthorizer(user.store());
  }

  /** A client for one command of {@code user}'s (a pull, a push): its tokens live as long. */
  RegistryClient client(RegistryUser user) {
    return new RegistryClient(endpoints, authorizer(user));
  }

  /**
   * Docker's {@code login}: checks the credentials against {@code server}'s {@code /v2/} and stores
   * them for {@code user}; returns the key they are stored under.
   *
   * @param server a registry ({@code host[:port]}, a URL), or null for Docker Hub
   * @throws org.jocker.images.registry.RegistryException the registry's refusal, in Docker's words
   */
  public String login(String server, String username, String password, RegistryUser user) {
    String key = ServerKey.of(server == null ? ServerKey.DOCKER_HUB : server);
    Credentials credentials = new Credentials(username, password);
    new LoginCheck().check(endpoints.endpoints(registryOf(key)), credentials);
    user.store().store(key, credentials);
    return key;
  }

  /** Whether credentials for {@code server} (null: Docker Hub) would go to a file in the clear. */
  public boolean storesInTheClear(String server, RegistryUser user) {
    return user.store().helperFor(ServerKey.of(server == null ? ServerKey.DOCKER_HUB : server)).isEmpty();
  }

  /** The key {@code server}'s credentials are stored under, as logout names it. */
  public static String serverKey(String server) {
    return ServerKey.of(server == null ? ServerKey.DOCKER_HUB : server);
  }

  /** Docker's {@code logout}: forgets {@code user}'s credentials for {@code server}; false if none. */
  public static boolean logout(String server, RegistryUser user) {
    return user.store().erase(serverKey(server));
  }

  private static String registryOf(String key) {
    return key.equals(ServerKey.DOCKER_HUB) ? ConfiguredEndpointResolver.DOCKER_HUB : key;
  }
}
