package org.jocker.images.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jocker.images.ImageService;
import org.jocker.images.RegistryAccess;
import org.jocker.images.RegistryCaller;
import org.jocker.images.RegistryUser;
import org.jocker.images.digest.Digest;
import org.jocker.images.reference.Reference;
import org.jocker.images.registry.Commands;
import org.jocker.images.registry.Htpasswd;
import org.jocker.images.registry.RegistryException;
import org.jocker.images.registry.RegistryPush;
import org.jocker.images.registry.RegistryServer;
import org.jocker.images.registry.TestPki;
import org.jocker.images.registry.TokenIssuer;
import org.jocker.images.store.Image;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pushes to registries that want credentials, htpasswd (Basic) and a token service (Bearer), and
 * to one that speaks TLS only.
 */
class AuthenticatedPushTest {
  private static final String USER = "pusher";
  private static final String PASSWORD = "s3cret-push";
  @TempDir Path tmp;
  private ImageService service;
  private RegistryAccess access;
  private RegistryUser user;

  @BeforeAll
  static void tools() {
    assumeTrue(RegistryServer.installed(), "docker-registry is not installed (scripts/install-deps)");
    assumeTrue(RegistryPush.skopeoInstalled(), "skopeo is not installed (scripts/install-deps)");
  }

  @BeforeEach
  void openService() {
    service = ImageService.open(tmp.resolve("root"));
    access = RegistryAccess.open(tmp.resolve("etc/daemon.json"));
    user = new RegistryUser(tmp.resolve("docker-config"), Map.of());
  }

  @Test
  void anHtpasswdRegistryTakesThePushAfterLogin() throws Exception {
    try (RegistryServer registry = RegistryServer.start(Htpasswd.registryConfig(tmp, USER, PASSWORD), null)) {
      Image image = importImage(registry.host() + "/basic:v1");

      assertThatThrownBy(() -> push(registry.host() + "/basic:v1"))
          .isInstanceOf(RegistryException.class)
          .hasMessage("no basic auth credentials");

      access.login(registry.host(), USER, PASSWORD, user);
      List<PushedImage> pushed = push(registry.host() + "/basic:v1");
      assertThat(pushed.getFirst().digest()).isEqualTo(image.manifestDigest());
      assertThat(registryDigest(registry, "basic:v1")).isEqualTo(image.manifestDigest());
    }
  }

  @Test
  void aTokenRegistryRefusesAnonymousPushesAndTakesTheUsers() throws Exception {
    TestPki pki = TestPki.create(tmp.resolve("pki"));
    try (TokenIssuer issuer = TokenIssuer.start(USER, PASSWORD, pki, 300);
        RegistryServer registry = RegistryServer.start(issuer.registryConfig(), null)) {
      Image image = importImage(registry.host() + "/team/app:v1");

      assertThatThrownBy(() -> push(registry.host() + "/team/app:v1"))
          .isInstanceOf(RegistryException.class)
          .hasMessage("unauthorized: authentication required");

      access.login(registry.host(), USER, PASSWORD, user);
      List<PushedImage> pushed = push(registry.host() + "/team/app:v1");
      assertThat(pushed.getFirst().digest()).isEqualTo(image.manifestDigest());
      assertThat(issuer.requests()).anyMatch(r -> r.contains("scope=repository%3Ateam%2Fapp%3Apull%2Cpush"));

      // a mount asks for push on the target and pull on the source, in one token
      service.catalog().tag(image.id().toString(), registry.host() + "/team/copy:v1");
      PushRecorder progress = new PushRecorder();
      service.pushes().push(Reference.parse(registry.host() + "/team/copy:v1"), false,
          new RegistryCaller(access, user), progress);
      String layer = service.manifest(image).value().layers().getFirst().digest().shortHex();
      assertThat(progress.states(layer)).containsExactly("Preparing", "Mounted from team/app");
      assertThat(registryDigest(registry, "team/copy:v1")).isEqualTo(image.manifestDigest());
    }
  }

  @Test
  void aRegistryThatSpeaksOnlyTlsTakesThePush() throws Exception {
    TestPki pki = TestPki.create(tmp.resolve("pki"));
    // loopback registries are insecure, as in Docker: https without verifying the certificate
    try (RegistryServer registry = RegistryServer.start("", pki.serverTls())) {
      Image image = importImage(registry.host() + "/tls/app:v1");

      List<PushedImage> pushed = push(registry.host() + "/tls/app:v1");

      assertThat(pushed.getFirst().digest()).isEqualTo(image.manifestDigest());
      assertThat(Digest.parse(Commands.run("skopeo", "inspect", "--tls-verify=false", "--format", "{{.Digest}}",
          "docker://" + registry.host() + "/tls/app:v1").strip())).isEqualTo(image.manifestDigest());
    }
  }

  private List<PushedImage> push(String reference) {
    return service.pushes().push(Reference.parse(reference), false, new RegistryCaller(access, user),
        PushProgress.NONE);
  }

  /** The digest skopeo, with the user's credentials, finds the registry has under {@code reference}. */
  private static Digest registryDigest(RegistryServer registry, String reference) throws Exception {
    return Digest.parse(Commands.run("skopeo", "inspect", "--tls-verify=false", "--creds", USER + ":" + PASSWORD,
        "--format", "{{.Digest}}", "docker://" + registry.host() + "/" + reference).strip());
  }

  private Image importImage(String name) throws IOException, InterruptedException {
    Path dir = tmp.resolve("rootfs");
    Files.createDirectories(dir.resolve("etc"));
    Files.writeString(dir.resolve("etc/who"), name + "\n");
    Path tar = tmp.resolve("rootfs.tar");
    Commands.run("tar", "-C", dir.toString(), "-cf", tar.toString(), ".");
    try (InputStream in = Files.newInputStream(tar)) {
      return service.archives().importRootfs(in, List.of(Reference.parse(name)), List.of(), "");
    }
  }
}
