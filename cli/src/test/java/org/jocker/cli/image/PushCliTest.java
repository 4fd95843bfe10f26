package org.jocker.cli.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.jocker.cli.testing.CliTestBase;
import org.jocker.cli.testing.Jocker;
import org.jocker.images.digest.Digest;
import org.jocker.images.registry.Commands;
import org.jocker.images.registry.RegistryProxy;
import org.jocker.images.registry.RegistryPush;
import org.jocker.images.registry.RegistryServer;
import org.jocker.images.registry.TestPki;
import org.jocker.images.registry.TokenIssuer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * `jocker push` against Debian's docker-registry on 127.0.0.1: Docker's lines, what skopeo sees,
 * and the image pulled back into a fresh root.
 */
class PushCliTest extends CliTestBase {
  private static final String USER = "bob";
  private static final String PASSWORD = "push-s3cret";
  private Jocker fresh;

  @BeforeEach
  void provideBusybox() {
    assumeTrue(RegistryServer.installed(), "docker-registry is not installed (scripts/install-deps)");
    assumeTrue(RegistryPush.skopeoInstalled(), "skopeo is not installed (scripts/install-deps)");
    jocker.ok("run", "--rm", "busybox", "true");
    fresh = new Jocker(tmp.resolve("fresh"));
  }

  @AfterEach
  void removeContainers() {
    if (fresh != null) {
      fresh.removeAllContainers();
    }
  }

  @Test
  void theBuiltInBusyboxPushesWithDockersLinesAndPullsBackAsTheSameImage() throws Exception {
    try (RegistryServer registry = RegistryServer.start()) {
      String image = registry.host() + "/app:v1";
      jocker.ok("tag", "busybox", image);

      Jocker.Result pushed = jocker.ok("push", image);

      Digest digest = Digest.sha256(RegistryPush.rawManifest(registry, "app:v1"));
      int size = RegistryPush.rawManifest(registry, "app:v1").length;
      List<String> lines = pushed.out().lines().toList();
      String layer = lines.get(1).substring(0, 12);
      assertThat(lines).containsExactly("The push refers to repository [" + registry.host() + "/app]",
          layer + ": Preparing", layer + ": Pushed", "v1: digest: " + digest + " size: " + size);
      assertThat(Commands.run("skopeo", "inspect", "--tls-verify=false", "--format", "{{.Digest}}", "docker://" + image).strip())
          .isEqualTo(digest.toString());

      assertThat(jocker.ok("push", image).out().lines().toList()).containsExactly(
          "The push refers to repository [" + registry.host() + "/app]",
          layer + ": Preparing", layer + ": Layer already exists", "v1: digest: " + digest + " size: " + size);
      assertThat(jocker.ok("push", "-q", image).out()).isEqualTo(image + "\n");

      fresh.ok("pull", "-q", image);
      assertThat(fresh.ok("image", "inspect", "--format", "{{.Id}}", image).out())
          .isEqualTo(jocker.ok("image", "inspect", "--format", "{{.Id}}", "busybox").out());
      assertThat(fresh.ok("run", "--rm", image, "echo", "pushed and pulled").out()).isEqualTo("pushed and pulled\n");
    }
  }

  @Test
  void withoutATagItIsLatestAndAMissingImageIsDockersError() throws Exception {
    try (RegistryServer registry = RegistryServer.start()) {
      jocker.ok("tag", "busybox", registry.host() + "/plain");
      Jocker.Result pushed = jocker.ok("image", "push", registry.host() + "/plain");
      assertThat(pushed.out()).startsWith("Using default tag: latest\nThe push refers to repository [")
          .contains("latest: digest: sha256:");

      Jocker.Result missing = jocker.run("push", registry.host() + "/nothing:v1");
      assertThat(missing.code()).isEqualTo(125);
      assertThat(missing.err()).isEqualTo("jocker: An image does not exist locally with the tag: "
          + registry.host() + "/nothing\n");
      assertThat(jocker.run("push", "-a", registry.host() + "/plain:latest").err())
          .isEqualTo("jocker: tag can't be used with --all-tags/-a\n");
    }
  }

  @Test
  void aTokenRegistryRefusesThePushUntilLogin() throws Exception {
    TestPki pki = TestPki.create(tmp.resolve("pki"));
    try (TokenIssuer issuer = TokenIssuer.start(USER, PASSWORD, pki, 300);
        RegistryServer registry = RegistryServer.start(issuer.registryConfig(), null)) {
      String image = registry.host() + "/team/busybox:v1";
      jocker.ok("tag", "busybox", image);

      Jocker.Result anonymous = withConfig("push", image);
      assertThat(anonymous.code()).isEqualTo(125);
      assertThat(anonymous.err()).endsWith("jocker: unauthorized: authentication required\n");

      assertThat(withConfig("login", "-u", USER, "-p", PASSWORD, registry.host()).code()).isZero();
      Jocker.Result pushed = withConfig("push", image);
      assertThat(pushed.code()).as(pushed.err()).isZero();
      assertThat(pushed.out()).contains("v1: digest: sha256:");
    }
  }

  @Test
  void aDeniedPushIsRefusedInDockersWords() throws Exception {
    try (RegistryServer registry = RegistryServer.start();
        RegistryProxy proxy = RegistryProxy.start(URI.create("http://" + registry.host()))) {
      String image = proxy.host() + "/locked:v1";
      jocker.ok("tag", "busybox", image);
      proxy.failNext(1, 403, "POST", PullFaultsCliTest.DENIED); // the layer's upload

      Jocker.Result denied = jocker.run("push", image);
      assertThat(denied.code()).isEqualTo(125);
      assertThat(denied.err()).isEqualTo("jocker: denied: requested access to the resource is denied\n");
      assertThat(proxy.requests()).noneMatch(r -> r.startsWith("PUT /v2/locked/manifests/"));

      assertThat(jocker.run("push", "-q", image).code()).isZero();
    }
  }

  /** jocker with a Docker config and daemon.json of the test's own. */
  private Jocker.Result withConfig(String... args) {
    List<String> all = new ArrayList<>(List.of("--config", tmp.resolve("docker").toString(),
        "--config-file", tmp.resolve("etc/daemon.json").toString()));
    all.addAll(List.of(args));
    return jocker.run(all.toArray(String[]::new));
  }
}
