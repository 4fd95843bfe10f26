package org.jocker.cli.testing;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jocker.images.manifest.Platform;
import org.jocker.images.registry.RegistryProxy;
import org.jocker.images.registry.RegistryPush;
import org.jocker.images.registry.RegistryServer;
import org.jocker.images.registry.TestCallers;
import org.jocker.images.registry.TestLayout;

/**
 * What the pull and push tests of the resident engine run against: Debian's docker-registry on
 * 127.0.0.1, a {@link RegistryProxy} in front of it (to slow, cut or count transfers) and a
 * {@link ResidentEngine} whose socket and log are under {@code DIR/engine}, serving root
 * {@code DIR/root}. The test is skipped where docker-registry or skopeo is missing.
 */
public record RegistryRig(Path dir, RegistryServer registry, RegistryProxy proxy, ResidentEngine engine)
    implements AutoCloseable {
  /** The tag of the image {@link #push} puts in its layout. */
  private static final String LAYOUT_TAG = "v1";

  /**
   * Starts the registry, the proxy and the engine ({@code engineOptions} go to its JVM: -D
   * properties); if one fails to start, what had started is closed before the failure is thrown.
   */
  public static RegistryRig start(Path dir, String... engineOptions) throws Exception {
    RegistryServer registry = TestCallers.registryWithSkopeo();
    RegistryProxy proxy = null;
    try {
      proxy = RegistryProxy.start(URI.create("http://" + registry.host()));
      return new RegistryRig(dir, registry, proxy,
          ResidentEngine.start(dir.resolve("engine"), dir.resolve("root"), engineOptions));
    } catch (Throwable failure) {
      try {
        new RegistryRig(dir, registry, proxy, null).close();
      } catch (Exception alsoFailed) {
        failure.addSuppressed(alsoFailed);
      }
      throw failure;
    }
  }

  /** The engine's root (its content store and images). */
  public Path root() {
    return dir.resolve("root");
  }

  /**
   * Pushes with skopeo, straight to the registry, an image for the host's platform whose layers
   * hold the given files (path to content, base first) as {@code reference} (repository:tag);
   * returns its manifest as the registry serves it.
   */
  public byte[] push(String reference, List<Map<String, String>> layers) throws Exception {
    TestLayout layout = new TestLayout(dir.resolve("layout"));
    layout.tag(LAYOUT_TAG, layout.image(Platform.host().architecture(), layers));
    RegistryPush.copy(pushedLayout(), registry, reference);
    return RegistryPush.rawManifest(registry, reference);
  }

  /** skopeo's name for the image {@link #push} pushed (to push it to another registry too). */
  public String pushedLayout() {
    return "oci:" + dir.resolve("layout") + ":" + LAYOUT_TAG;
  }

  /**
   * Closes the engine, then the proxy, then the registry: each before what it talks to, so that no
   * pull or push still running sees its far end vanish and fails, retries or writes to the root
   * while the rest goes away. A close that fails does not keep the later ones from running; the
   * first failure is thrown, the others suppressed in it.
   */
  @Override
  public void close() throws IOException, InterruptedException {
    // try-with-resources closes in the reverse order of the declarations, skipping nulls
    try (RegistryServer _ = registry; RegistryProxy _ = proxy; ResidentEngine _ = engine) {
      // nothing to do but close
    }
  }
}
