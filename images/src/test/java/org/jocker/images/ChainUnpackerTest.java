package org.jocker.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.jocker.images.content.ContentStore;
import org.jocker.images.digest.Digest;
import org.jocker.images.layer.TestLayers;
import org.jocker.images.layer.TreeListing;
import org.jocker.images.manifest.Descriptor;
import org.jocker.images.manifest.MediaTypes;
import org.jocker.images.snapshot.OverlaySnapshotter;
import org.jocker.images.snapshot.SnapshotInfo;
import org.jocker.images.store.ChainId;
import org.jocker.images.store.Image;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ChainUnpackerTest {
  private static final Image IMAGE = new Image(Digest.sha256("config"), Digest.sha256("manifest"), null,
      Instant.parse("2026-01-01T00:00:00Z"), List.of());

  private Path sandbox;
  private ContentStore content;
  private final List<Descriptor> layers = new ArrayList<>();
  private final List<Digest> diffIds = new ArrayList<>();

  @BeforeEach
  void setUp() throws IOException {
    sandbox = TestLayers.sandbox("chain");
    content = ContentStore.open(sandbox.resolve("content"));
  }

  @AfterEach
  void tearDown() throws IOException {
    try (Stream<Path> walk = Files.walk(sandbox)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private void layer(byte[] tar, String mediaType, byte[] blob) {
    Digest digest = content.put(blob);
    layers.add(Descriptor.of(mediaType, digest, blob.length));
    diffIds.add(Digest.sha256(tar));
  }

  /** Four layers, each compressed its own way, that change, whiteout and hide each other's paths. */
  private void fourLayers() throws IOException {
    byte[] base = new TestLayers()
        .dir("etc", 0755).file("etc/passwd", "root:x:0:0::/root:/bin/sh\n", 0644)
        .file("etc/hello", "hello\n", 0644, 1000, 1000).hardlink("etc/hello2", "etc/hello")
        .file("usr/bin/su", "#!/bin/true\n", 04755).symlink("usr/bin/sh", "su")
        .dir("opt", 0700).file("opt/old", "old", 0600).charDevice("dev/null2", 1, 3).fifo("run/fifo")
        .fileWithXattr("usr/bin/ping", "ping", "user.note", "cap")
        .file("big", "b".repeat(1 << 20), 0644)
        .tar();
    layer(base, MediaTypes.OCI_LAYER_GZIP, TestLayers.gzip(base));
    byte[] changes = new TestLayers()
        .dir("etc", 0751).file("etc/hello", "changed\n", 0640).marker("etc/.wh.passwd")
        .dir("opt", 0755).marker("opt/.wh..wh..opq").file("opt/new", "n", 0644)
        .tar();
    layer(changes, MediaTypes.OCI_LAYER_ZSTD, TestLayers.zstd(changes));
    byte[] plain = new TestLayers().dir("usr", 0755).dir("usr/bin", 0755).file("usr/bin/sh", "not a link", 0755)
        .tar();
    layer(plain, MediaTypes.OCI_LAYER, plain);
    byte[] last = new TestLayers().file("etc/motd", "m".repeat(300_000), 0644).marker(".wh.run").tar();
    layer(last, MediaTypes.DOCKER_LAYER_GZIP, TestLayers.gzip(last));
  }

  /** Unpacks the image into a fresh store and lists each layer's snapshot, bottom first. */
  private List<List<String>> unpackWith(int parallelism, String name) throws IOException {
    OverlaySnapshotter snapshots = new OverlaySnapshotter(sandbox.resolve(name));
    String top = new ChainUnpacker(content, snapshots, parallelism).unpack(IMAGE, layers, diffIds).orElseThrow();
    List<Digest> chain = ChainId.chain(diffIds);
    assertThat(top).isEqualTo(chain.getLast().toString());
    for (int i = 0; i < chain.size(); i++) {
      SnapshotInfo info = snapshots.stat(chain.get(i).toString()).orElseThrow();
      assertThat(info.parent()).isEqualTo(i == 0 ? null : chain.get(i - 1).toString());
    }
    assertThat(snapshots.list()).hasSize(chain.size()); // no extraction left behind
    List<Path> lowers = snapshots.view(name + "-view", top).lowerDirs(); // top first
    List<List<String>> listings = new ArrayList<>();
    for (Path lower : lowers.reversed()) {
      // a whiteout's time is when it was made
      listings.add(TreeListing.of(lower, true).stream()
          .map(line -> line.replaceFirst("^(\\S+ 20000 0:0 rdev=0) mtime=\\S+$", "$1")).toList());
    }
    snapshots.remove(name + "-view");
    return listings;
  }

  @Test
  void layersUnpackedSideBySideAreTheSameAsOneAfterTheOther() throws IOException {
    fourLayers();
    List<List<String>> sequential = unpackWith(1, "sequential");
    List<List<String>> parallel = unpackWith(4, "parallel");

    assertThat(parallel).isEqualTo(sequential);
    assertThat(sequential).hasSize(4);
    assertThat(sequential.get(1)).contains("etc/passwd 20000 0:0 rdev=0")
        .anyMatch(line -> line.startsWith("opt 40755 ") && line.contains("trusted.overlay.opaque=79"));
    assertThat(sequential.get(0)).anyMatch(line -> line.startsWith("etc/hello 100644 1000:1000") && line.contains("nlink=2"))
        .anyMatch(line -> line.startsWith("usr/bin/su 104755 0:0"));
  }

  @Test
  void aLayerNotMatchingItsDiffIdFailsTheUnpackAndLeavesNoSnapshot() throws IOException {
    fourLayers();
    diffIds.set(2, Digest.sha256("something else"));
    OverlaySnapshotter snapshots = new OverlaySnapshotter(sandbox.resolve("bad"));

    assertThatThrownBy(() -> new ChainUnpacker(content, snapshots, 4).unpack(IMAGE, layers, diffIds))
        .isInstanceOf(ImageException.class)
        .hasMessageContaining("not diff_id " + Digest.sha256("something else"));
    assertThat(snapshots.list()).isEmpty();
  }
}
