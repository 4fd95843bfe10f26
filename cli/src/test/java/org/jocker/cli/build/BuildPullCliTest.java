package org.jocker.cli.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jocker.cli.testing.CliTestBase;
import org.jocker.cli.testing.Jocker;
import org.jocker.images.registry.RegistryPush;
import org.jocker.images.registry.RegistryServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** `jocker build` FROM an image of a registry (a local docker-registry on 127.0.0.1) the store lacks. */
class BuildPullCliTest extends CliTestBase {
  private RegistryServer registry;
  private String image;

  @BeforeEach
  void pushBusybox() throws Exception {
    assumeTrue(RegistryServer.installed(), "docker-registry is not installed (scripts/install-deps)");
    assumeTrue(RegistryPush.skopeoInstalled(), "skopeo is not installed (scripts/install-deps)");
    registry = RegistryServer.start();
    Jocker source = new Jocker(tmp.resolve("source"));
    source.ok("run", "--rm", "busybox", "true"); // makes the built-in busybox
    Path archive = tmp.resolve("busybox.tar");
    source.ok("save", "-o", archive.toString(), "busybox");
    RegistryPush.copy("docker-archive:" + archive, registry, "lib/busybox:v1");
    image = registry.host() + "/lib/busybox:v1";
  }

  @AfterEach
  void stopRegistry() throws IOException {
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void aMissingBaseImageIsPulledAndAnUnknownOneFailsTheBuild() throws IOException {
    Path context = Files.createDirectories(tmp.resolve("context"));
    Files.writeString(context.resolve("Dockerfile"), "FROM " + image + "\nRUN echo pulled > /p\n");
    Files.writeString(context.resolve("Dockerfile.unknown"), "FROM " + registry.host() + "/lib/nothing:v1\n");

    Jocker.Result build = jocker.run("build", "-t", "on-pulled", context.toString());

    assertThat(build.code()).as(build.err()).isZero();
    assertThat(build.err()).contains("[internal] load metadata for " + image);
    assertThat(jocker.ok("run", "--rm", "on-pulled", "cat", "/p").out()).isEqualTo("pulled\n");
    assertThat(jocker.ok("images", "--format", "{{.Repository}}:{{.Tag}}").out()).contains(image);

    Jocker.Result unknown = jocker.run("build", "-f", context.resolve("Dockerfile.unknown").toString(),
        context.toString());
    assertThat(unknown.code()).isEqualTo(1);
    assertThat(unknown.err()).contains("ERROR: failed to solve: " + registry.host()
        + "/lib/nothing:v1: failed to resolve source metadata for " + registry.host() + "/lib/nothing:v1: ");
  }
}
