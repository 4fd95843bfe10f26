package org.jocker.cli.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.jocker.images.ImageService;
import org.jocker.images.manifest.Descriptor;
import org.jocker.images.store.Image;

/**
 * What a pull that failed or was killed may leave in a jocker root, checked from outside: every
 * blob in the content store has the digest it is named by, every listed image has its config and
 * all its layers stored and inspects, and no temp file of the image store is left.
 */
final class PulledStore {
  private final Path root;

  PulledStore(Path root) {
    this.root = root;
  }

  /** The IDs of the images listed. */
  List<String> imageIds() {
    return ImageService.open(root).catalog().list().stream().map(i -> i.id().toString()).toList();
  }

  /** Asserts the store is consistent; {@code when} names the moment in a failure. */
  void assertConsistent(String when) throws IOException {
    assertEveryBlobAndImageWhole(when);
    assertNoTempFile(when);
  }

  /** The part of {@link #assertConsistent} that holds while a pull runs. */
  void assertEveryBlobAndImageWhole(String when) throws IOException {
    Path blobs = root.resolve("content/blobs/sha256");
    if (Files.isDirectory(blobs)) {
      try (Stream<Path> files = Files.list(blobs)) {
        for (Path blob : files.toList()) {
          assertThat(sha256(blob)).as("%s: content of blob %s", when, blob.getFileName())
              .isEqualTo(blob.getFileName().toString());
        }
      }
    }
    ImageService images = ImageService.open(root);
    for (Image image : images.catalog().list()) {
      assertThat(blobs.resolve(image.id().encoded())).as("%s: config of %s", when, image.id()).exists();
      for (Descriptor layer : images.manifest(image).value().layers()) {
        assertThat(blobs.resolve(layer.digest().encoded())).as("%s: layer of %s", when, image.id()).exists();
      }
    }
  }

  /** No temp file of the image store (only while nothing writes it). */
  void assertNoTempFile(String when) throws IOException {
    Path store = root.resolve("images");
    if (Files.isDirectory(store)) {
      try (Stream<Path> files = Files.walk(store)) {
        assertThat(files.map(p -> p.getFileName().toString())
            .filter(n -> n.endsWith(".tmp") || n.equals("intent.json"))).as(when).isEmpty();
      }
    }
  }

  private static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) >= 0; ) {
        digest.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
