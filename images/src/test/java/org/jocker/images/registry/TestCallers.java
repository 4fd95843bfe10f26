package org.jocker.images.registry;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.jocker.images.RegistryAccess;
import org.jocker.images.RegistryCaller;
import org.jocker.images.RegistryUser;

/** What the pull and push tests share: a plain registry skopeo fills, and the engine's caller. */
public final class TestCallers {
  private TestCallers() {}

  /** A registry without authentication; the test is skipped where the registry or skopeo is missing. */
  public static RegistryServer registryWithSkopeo() throws IOException {
    assumeTrue(RegistryServer.installed(), "docker-registry is not installed (scripts/install-deps)");
    assumeTrue(RegistryPush.skopeoInstalled(), "skopeo is not installed (scripts/install-deps)");
    return RegistryServer.start();
  }

  /** As the engine calls registries: no daemon.json (loopback registries are insecure), no credentials. */
  public static RegistryCaller anonymous(Path dir) {
    return new RegistryCaller(RegistryAccess.open(dir.resolve("etc/daemon.json")),
        new RegistryUser(dir.resolve("docker-config"), Map.of()));
  }
}
