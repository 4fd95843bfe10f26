package org.jocker.images.gc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.jocker.images.ImageException;
import org.jocker.images.content.ContentStore;
import org.jocker.images.digest.Digest;
import org.jocker.images.manifest.Descriptor;
import org.jocker.images.manifest.ImageIndex;
import org.jocker.images.manifest.ImageManifest;
import org.jocker.images.manifest.ManifestParser;
import org.jocker.images.manifest.MediaTypes;
import org.jocker.images.manifest.Platform;
import org.jocker.images.reference.Reference;
import org.jocker.images.store.ImageStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GarbageCollectorTest {
  @TempDir Path root;
  ContentStore content;
  ImageStore images;

  @BeforeEach
  void open() {
    content = ContentStore.open(root);
    images = ImageStore.open(root);
  }

  Descriptor blob(String mediaType, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    return Descriptor.of(mediaType, content.put(bytes), bytes.length);
  }

  Descriptor json(String mediaType, Object value) throws Exception {
    byte[] bytes = ManifestParser.json().writeValueAsBytes(value);
    return Descriptor.of(mediaType, content.put(bytes), bytes.length);
  }

  /** A manifest with its own config and {@code layers} layers, all in the content store. */
  Descriptor manifest(String name, int layers, Descriptor... shared) throws Exception {
    Descriptor config = blob(MediaTypes.OCI_CONFIG, "{\"architecture\":\"amd64\",\"os\":\"linux\",\"x\":\"" + name + "\"}");
    List<Descriptor> all = new java.util.ArrayList<>(List.of(shared));
    for (int i = 0; i < layers; i++) {
      all.add(blob(MediaTypes.OCI_LAYER_GZIP, name + " layer " + i));
    }
    return json(MediaTypes.OCI_MANIFEST,
        new ImageManifest(2, MediaTypes.OCI_MANIFEST, null, config, all, null, null));
  }

  Digest configOf(Descriptor manifest) {
    return ManifestParser.parseImageManifest(content.readAll(manifest.digest()), null).value().config().digest();
  }

  @Test
  void keepsEverythingReachableAndRemovesTheRest() throws Exception {
    Descriptor shared = blob(MediaTypes.OCI_LAYER_GZIP, "base layer shared by two images");
    Descriptor amd64 = manifest("amd64", 2, shared);
    Descriptor arm64 = manifest("arm64", 1);
    Descriptor index = json(MediaTypes.OCI_INDEX, new ImageIndex(2, MediaTypes.OCI_INDEX, null, List.of(
        withPlatform(amd64, "amd64"), withPlatform(arm64, "arm64")), null, null));
    images.add(index.digest(), amd64.digest(), configOf(amd64), List.of(Reference.parse("app")));

    Descriptor other = manifest("other", 1, shared);
    images.add(other.digest(), configOf(other));

    Descriptor pinned = manifest("pinned by a container", 1);
    Descriptor pinnedLeaf = blob("application/octet-stream", "{not json, but pinned}");

    Descriptor orphanLayer = blob(MediaTypes.OCI_LAYER_GZIP, "left behind by an aborted pull");
    Descriptor orphanManifest = manifest("removed image", 2);
    long orphanBytes = orphanLayer.size() + orphanManifest.size()
        + content.size(configOf(orphanManifest)) + 2 * content.size(
            ManifestParser.parseImageManifest(content.readAll(orphanManifest.digest()), null).value().layers().get(0).digest());
    List<Digest> orphanManifestBlobs = blobsOf(orphanManifest);

    GarbageCollector gc = new GarbageCollector(content, images, Duration.ZERO);
    Set<Digest> roots = Set.of(pinned.digest(), pinnedLeaf.digest());
    Set<Digest> reachable = gc.reachable(roots);
    GcResult result = gc.collect(roots);

    assertThat(result.removed()).containsExactlyInAnyOrderElementsOf(
        concat(List.of(orphanLayer.digest()), orphanManifestBlobs));
    assertThat(result.bytesFreed()).isEqualTo(orphanBytes);
    assertThat(content.list()).containsExactlyInAnyOrderElementsOf(
        reachable.stream().filter(content::exists).toList());
    assertThat(result.kept()).isEqualTo(content.list().size());
    for (Descriptor d : List.of(shared, amd64, arm64, index, other, pinned, pinnedLeaf)) {
      assertThat(content.exists(d.digest())).as(d.toString()).isTrue();
    }
    for (Descriptor m : List.of(amd64, arm64, other, pinned)) {
      assertThat(blobsOf(m)).allMatch(content::exists);
    }

    // A second run finds nothing more to do.
    assertThat(gc.collect(roots).removed()).isEmpty();
    // Without the pin, the container's blobs go.
    List<Digest> pinnedBlobs = blobsOf(pinned);
    assertThat(gc.collect(Set.of()).removed()).containsAll(pinnedBlobs).contains(pinnedLeaf.digest());
  }

  @Test
  void removingAnImageFreesWhatOnlyItUsed() throws Exception {
    Descriptor shared = blob(MediaTypes.OCI_LAYER_GZIP, "shared base");
    Descriptor a = manifest("a", 1, shared);
    Descriptor b = manifest("b", 1, shared);
    images.add(a.digest(), configOf(a), Reference.parse("a"));
    images.add(b.digest(), configOf(b), Reference.parse("b"));
    images.remove(configOf(a));
    List<Digest> onlyA = blobsOf(a).stream().filter(d -> !d.equals(shared.digest())).toList();

    GcResult result = new GarbageCollector(content, images, Duration.ZERO).collect(Set.of());
    assertThat(result.removed()).containsExactlyInAnyOrderElementsOf(onlyA);
    assertThat(content.exists(shared.digest())).isTrue();
  }

  @Test
  void blobsOfAWriterHoldingALeaseSurviveAndAreCollectedOnceItIsReleased() {
    Descriptor fresh;
    try (ContentStore.Lease lease = content.lease()) {
      fresh = blob(MediaTypes.OCI_LAYER_GZIP, "committed by a load in progress");
      GcResult result = new GarbageCollector(content, images).collect(Set.of());
      assertThat(result.removed()).isEmpty();
      assertThat(result.bytesFreed()).isZero();
      assertThat(content.exists(fresh.digest())).isTrue();
    }
    GcResult after = new GarbageCollector(content, images).collect(Set.of());
    assertThat(after.removed()).containsExactly(fresh.digest());
    assertThat(content.exists(fresh.digest())).isFalse();
  }

  @Test
  void aBlobWrittenAgainDuringALeaseIsKeptEvenIfItWasOld() throws Exception {
    Descriptor old = blob(MediaTypes.OCI_LAYER_GZIP, "stored long ago");
    java.nio.file.Files.setLastModifiedTime(content.path(old.digest()),
        java.nio.file.attribute.FileTime.from(java.time.Instant.now().minusSeconds(3600)));
    try (ContentStore.Lease lease = content.lease()) {
      Thread.sleep(1100); // the lease is a second older than the rewrite below
      content.put("stored long ago".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      assertThat(new GarbageCollector(content, images).collect(Set.of()).removed()).isEmpty();
    }
  }

  @Test
  void corruptManifestOfAnImageStopsCollectionRatherThanDeletingItsLayers() {
    Descriptor layer = blob(MediaTypes.OCI_LAYER_GZIP, "a layer");
    Digest badManifest = content.put("{\"schemaVersion\":2,\"mediaType\":\"bogus\"}".getBytes(StandardCharsets.UTF_8));
    images.add(badManifest, layer.digest());
    assertThatThrownBy(() -> new GarbageCollector(content, images, Duration.ZERO).collect(Set.of()))
        .isInstanceOf(ImageException.class)
        .hasMessageStartingWith("garbage collection stopped: manifest " + badManifest);
    assertThat(content.list()).hasSize(2);
  }

  private List<Digest> blobsOf(Descriptor manifest) {
    ImageManifest m = ManifestParser.parseImageManifest(content.readAll(manifest.digest()), null).value();
    return concat(List.of(manifest.digest(), m.config().digest()),
        m.layers().stream().map(Descriptor::digest).toList());
  }

  private static List<Digest> concat(List<Digest> a, List<Digest> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
  }

  private static Descriptor withPlatform(Descriptor d, String arch) {
    return new Descriptor(d.mediaType(), d.digest(), d.size(), null, null,
        Platform.of("linux", arch, null), null);
  }
}
