package org.jocker.cli.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jocker.cli.testing.CliTestBase;
import org.jocker.cli.testing.Jocker;
import org.jocker.images.registry.Htpasswd;
import org.jocker.images.registry.RegistryPush;
import org.jocker.images.registry.RegistryServer;
import org.jocker.images.registry.TestPki;
import org.jocker.images.registry.TokenIssuer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * `pull` and `run` of images in registries that ask who is pulling: Basic (htpasswd) and the token
 * flow (anonymous tokens, then the user's), with the credentials `login` stored in the caller's
 * Docker config; and a registry that speaks TLS only (a loopback registry is insecure by default,
 * as Docker's: https without verification).
 */
class AuthenticatedPullCliTest extends CliTestBase {
  private static final String USER = "alice";
  private static final String PASSWORD = "s3cret";

  private Path archive;
  private Jocker fresh;

  @AfterEach
  void removeContainers() {
    if (fresh != null) {
      fresh.removeAllContainers();
    }
  }

  @BeforeEach
  void saveBusybox() {
    assumeTrue(RegistryServer.installed(), "docker-registry is not installed (scripts/install-deps)");
    assumeTrue(RegistryPush.skopeoInstalled(), "skopeo is not installed (scripts/install-deps)");
    jocker.ok("run", "--rm", "busybox", "true");
    archive = tmp.resolve("busybox.tar");
    jocker.ok("save", "-o", archive.toString(), "busybox");
    fresh = new Jocker(tmp.resolve("fresh"));
  }

  /** A client of its own root (nothing pulled yet), with its own Docker config and daemon.json. */
  private Jocker.Result fresh(String... args) {
    List<String> all = new ArrayList<>(List.of("--config", tmp.resolve("docker").toString(),
        "--config-file", tmp.resolve("etc/daemon.json").toString()));
    all.addAll(List.of(args));
    return fresh.run(all.toArray(String[]::new));
  }

  private void pullIsRefusedThenWorksAfterLogin(RegistryServer registry) throws Exception {
    RegistryPush.copy("docker-archive:" + archive, registry, "private/busybox:v1",
        "--dest-creds", USER + ":" + PASSWORD);
    String image = registry.host() + "/private/busybox:v1";

    Jocker.Result anonymous = fresh("pull", image);
    assertThat(anonymous.code()).as(anonymous.err()).isEqualTo(125);
    assertThat(anonymous.err()).as(registry.log()).isEqualTo("jocker: no basic auth credentials\n");

    assertThat(fresh("login", "-u", USER, "-p", PASSWORD, registry.host()).code()).isZero();
    Jocker.Result run = fresh("run", "--rm", image, "echo", "pulled with credentials");
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).isEqualTo("pulled with credentials\n");
    assertThat(run.err()).startsWith("Unable to find image '" + image + "' locally\n")
        .contains("Status: Downloaded newer image for " + image);
  }

  @Test
  void basicAuthentication() throws Exception {
    try (RegistryServer registry = RegistryServer.start(Htpasswd.registryConfig(tmp, USER, PASSWORD), null)) {
      pullIsRefusedThenWorksAfterLogin(registry);
    }
  }

  /** The issuer gives anyone pull rights (as a public repository): anonymous tokens, then the user's. */
  @Test
  void tokenAuthentication() throws Exception {
    TestPki pki = TestPki.create(tmp.resolve("pki"));
    try (TokenIssuer issuer = TokenIssuer.start(USER, PASSWORD, pki, 300);
        RegistryServer registry = RegistryServer.start(issuer.registryConfig(), null)) {
      RegistryPush.copy("docker-archive:" + archive, registry, "public/busybox:v1",
          "--dest-creds", USER + ":" + PASSWORD);
      String image = registry.host() + "/public/busybox:v1";
      Jocker.Result anonymous = fresh("pull", "-q", image);
      assertThat(anonymous.code()).as(anonymous.err()).isZero();
      assertThat(issuer.requests().getLast()).contains("scope=repository%3Apublic%2Fbusybox%3Apull")
          .doesNotContain("account=");

      assertThat(fresh("login", "-u", USER, "-p", PASSWORD, registry.host()).code()).isZero();
      fresh("rmi", image);
      Jocker.Result pulled = fresh("pull", "-q", image);
      assertThat(pulled.code()).as(pulled.err()).isZero();
      assertThat(issuer.requests().getLast()).contains("account=" + USER)
          .contains("scope=repository%3Apublic%2Fbusybox%3Apull");
    }
  }

  @Test
  void aRegistryThatSpeaksOnlyTls() throws Exception {
    TestPki pki = TestPki.create(tmp.resolve("pki"));
    try (RegistryServer registry = RegistryServer.start("", pki.serverTls())) {
      RegistryPush.copy("docker-archive:" + archive, registry, "tls/busybox:v1");
      Jocker.Result pulled = fresh("pull", "-q", registry.host() + "/tls/busybox:v1");
      assertThat(pulled.code()).as(pulled.err()).isZero();
      assertThat(pulled.out()).isEqualTo(registry.host() + "/tls/busybox:v1\n");
    }
  }

  @Test
  void aRegistryThatDemandsAClientCertificateGetsTheOneInCertsD() throws Exception {
    TestPki pki = TestPki.create(tmp.resolve("pki"));
    try (RegistryServer registry = RegistryServer.start("", pki.serverTlsDemandingClientCertificates())) {
      Path certs = Files.createDirectories(tmp.resolve("etc/certs.d/" + registry.host()));
      Files.copy(pki.clientCertificate(), certs.resolve("client.cert"));
      Files.copy(pki.clientKey(), certs.resolve("client.key"));
      RegistryPush.copy("docker-archive:" + archive, registry, "mtls/busybox:v1", "--dest-cert-dir", certs.toString());
      String image = registry.host() + "/mtls/busybox:v1";
      Path aside = Files.move(certs, tmp.resolve("etc/aside"));

      Jocker.Result refused = fresh("pull", "-q", image);
      assertThat(refused.code()).isEqualTo(125);
      // Go's words for the server's alert: TLS 1.2's bad_certificate (1.3 has certificate_required).
      // The port speaks only TLS: no plain http is tried after it.
      assertThat(refused.err()).isEqualTo("jocker: Get \"https://" + registry.host()
          + "/v2/mtls/busybox/manifests/v1\": remote error: tls: bad certificate\n");

      Files.move(aside, certs);
      Jocker.Result pulled = fresh("pull", "-q", image);
      assertThat(pulled.code()).as(pulled.err()).isZero();
      assertThat(fresh("run", "--rm", image, "echo", "shown a certificate").out()).isEqualTo("shown a certificate\n");
    }
  }
}
