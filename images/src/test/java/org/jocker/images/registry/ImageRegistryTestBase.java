package org.jocker.images.registry;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jocker.images.ImageService;
import org.jocker.images.RegistryCaller;
import org.jocker.images.manifest.MediaTypes;
import org.jocker.images.manifest.Platform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A test of the image service against Debian's docker-registry on 127.0.0.1: one registry for the
 * test class (skopeo fills it; the class is skipped where either is missing), and for each test an
 * {@link ImageService} on a fresh root in its own temporary directory and the engine's anonymous
 * caller. Test classes run one at a time, so the registry can be a static of this class.
 */
public abstract class ImageRegistryTestBase {
  protected static RegistryServer registry;
  @TempDir protected Path tmp;
  protected ImageService service;
  protected RegistryCaller caller;

  /** Two images of a repository and the index of both, as {@link #pushTwoPlatformIndex} pushed them. */
  protected record TwoPlatformIndex(TestLayout.Pushed host, TestLayout.Pushed foreign, byte[] index) {}

  @BeforeAll
  static void startRegistry() throws IOException {
    registry = TestCallers.registryWithSkopeo();
  }

  @AfterAll
  static void stopRegistry() throws IOException {
    if (registry != null) {
      registry.close();
      registry = null;
    }
  }

  @BeforeEach
  void openService() {
    service = ImageService.open(tmp.resolve("root"));
    caller = TestCallers.anonymous(tmp);
  }

  /**
   * Pushes with skopeo, as {@code repository:tag}, an image for the host's platform whose one layer
   * holds {@code files} (path to content); {@code skopeoFlags} go to skopeo copy (a format, a
   * compression).
   */
  protected TestLayout.Pushed pushWithSkopeo(String repository, String tag, Map<String, String> files,
      String... skopeoFlags) throws Exception {
    TestLayout layout = new TestLayout(tmp.resolve("layout-" + repository));
    TestLayout.Pushed image = layout.image(Platform.host().architecture(), List.of(files));
    layout.tag(tag, image);
    RegistryPush.copy("oci:" + layout.dir() + ":" + tag, registry, repository + ":" + tag, skopeoFlags);
    return image;
  }

  /**
   * Pushes with skopeo an image for the host's architecture as {@code repository:host} and one for
   * another as {@code repository:other} (each with etc/arch naming its own), then puts an OCI index
   * of both, the foreign first, as {@code repository:latest}.
   */
  protected TwoPlatformIndex pushTwoPlatformIndex(String repository) throws Exception {
    String hostArch = Platform.host().architecture();
    String foreignArch = hostArch.equals("amd64") ? "arm64" : "amd64";
    TestLayout layout = new TestLayout(tmp.resolve("layout-" + repository));
    TestLayout.Pushed host = layout.image(hostArch, List.of(Map.of("etc/arch", hostArch)));
    TestLayout.Pushed foreign = layout.image(foreignArch, List.of(Map.of("etc/arch", foreignArch)));
    layout.tag("host", host);
    layout.tag("other", foreign);
    RegistryPush.copy("oci:" + layout.dir() + ":host", registry, repository + ":host");
    RegistryPush.copy("oci:" + layout.dir() + ":other", registry, repository + ":other");
    byte[] index = TestLayout.index(List.of(foreign, host));
    RegistryPush.putManifest(registry, repository, "latest", index, MediaTypes.OCI_INDEX);
    return new TwoPlatformIndex(host, foreign, index);
  }
}
