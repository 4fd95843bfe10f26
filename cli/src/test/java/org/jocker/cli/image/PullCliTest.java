package org.jocker.cli.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.jocker.cli.testing.CliTestBase;
import org.jocker.cli.testing.Jocker;
import org.jocker.images.digest.Digest;
import org.jocker.images.registry.RegistryPush;
import org.jocker.images.registry.RegistryServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * `jocker pull` and the pull of `jocker run` against Debian's docker-registry on 127.0.0.1,
 * holding the built-in busybox image pushed there by skopeo from `jocker save`'s archive.
 */
class PullCliTest extends CliTestBase {
  private RegistryServer registry;
  private String image;
  private Jocker fresh;

  @BeforeEach
  void pushBusybox() throws Exception {
    assumeTrue(RegistryServer.installed(), "docker-registry is not installed (scripts/install-deps)");
    assumeTrue(RegistryPush.skopeoInstalled(), "skopeo is not installed (scripts/install-deps)");
    registry = RegistryServer.start();
    jocker.ok("run", "--rm", "busybox", "true");
    Path archive = tmp.resolve("busybox.tar");
    jocker.ok("save", "-o", archive.toString(), "busybox");
    RegistryPush.copy("docker-archive:" + archive, registry, "lib/busybox:v1");
    image = registry.host() + "/lib/busybox:v1";
    fresh = new Jocker(tmp.resolve("fresh"));
  }

  @AfterEach
  void stopRegistry() throws IOException {
    if (fresh != null) {
      fresh.removeAllContainers();
    }
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void pullPrintsDockersLinesAndASecondPullIsUpToDate() throws Exception {
    Digest digest = Digest.sha256(RegistryPush.rawManifest(registry, "lib/busybox:v1"));

    Jocker.Result pulled = fresh.ok("pull", image);

    List<String> lines = pulled.out().lines().toList();
    assertThat(lines.get(0)).isEqualTo("v1: Pulling from lib/busybox");
    String layer = lines.get(1).substring(0, 12);
    assertThat(lines.subList(1, lines.size() - 3)).containsExactly(layer + ": Pulling fs layer",
        layer + ": Verifying Checksum", layer + ": Download complete", layer + ": Pull complete");
    assertThat(lines.subList(lines.size() - 3, lines.size())).containsExactly("Digest: " + digest,
        "Status: Downloaded newer image for " + image, image);
    assertThat(fresh.ok("image", "inspect", "--format", "{{.Id}}", image).out().strip())
        .isEqualTo(jocker.ok("image", "inspect", "--format", "{{.Id}}", "busybox").out().strip());

    assertThat(fresh.ok("pull", image).out()).isEqualTo("v1: Pulling from lib/busybox\nDigest: " + digest
        + "\nStatus: Image is up to date for " + image + "\n" + image + "\n");
    assertThat(fresh.ok("pull", "-q", image).out()).isEqualTo(image + "\n");
  }

  @Test
  void anUnknownTagFailsWith125InDockersWords() {
    Jocker.Result result = fresh.run("pull", registry.host() + "/lib/busybox:nope");

    assertThat(result.code()).isEqualTo(125);
    assertThat(result.err()).isEqualTo("jocker: manifest for " + registry.host()
        + "/lib/busybox:nope not found: manifest unknown: manifest unknown\n");
    assertThat(fresh.ok("images", "-q").out()).isEmpty();
  }

  @Test
  void allTagsAndPlatformAreCheckedAsDockerDoes() {
    Jocker.Result tagged = fresh.run("pull", "-a", image);
    assertThat(tagged.code()).isEqualTo(125);
    assertThat(tagged.err()).isEqualTo("jocker: tag can't be used with --all-tags/-a\n");

    Jocker.Result wrongPlatform = fresh.run("pull", "--platform", "linux/s390x", image);
    assertThat(wrongPlatform.code()).isEqualTo(125);
    assertThat(wrongPlatform.err()).startsWith("jocker: image with reference " + image
        + " was found but does not match the specified platform: wanted linux/s390x, actual: linux/");

    Jocker.Result all = fresh.ok("pull", "-a", "-q", registry.host() + "/lib/busybox");
    assertThat(all.out()).isEqualTo(registry.host() + "/lib/busybox\n");
    assertThat(fresh.ok("images", "--format", "{{.Repository}}:{{.Tag}}").out().lines())
        .containsExactly(image);

    Jocker.Result badPolicy = fresh.run("run", "--rm", "--pull", "sometimes", image, "true");
    assertThat(badPolicy.code()).isEqualTo(125);
    assertThat(badPolicy.err()).isEqualTo(
        "jocker: invalid pull option: 'sometimes': must be one of \"always\", \"missing\" or \"never\"\n");
  }

  @Test
  void runPullsAMissingImageThenRunsIt() {
    Jocker.Result never = fresh.run("run", "--rm", "--pull", "never", image, "echo", "hi");
    assertThat(never.code()).isEqualTo(125);
    assertThat(never.err()).contains("No such image: " + image);

    Jocker.Result run = fresh.ok("run", "--rm", image, "echo", "hi");

    assertThat(run.out()).isEqualTo("hi\n");
    assertThat(run.err()).startsWith("Unable to find image '" + image + "' locally\n"
        + "v1: Pulling from lib/busybox\n");
    assertThat(run.err()).endsWith("Status: Downloaded newer image for " + image + "\n");
    assertThat(fresh.ok("run", "--rm", image, "echo", "again").err()).isEmpty();
  }
}
