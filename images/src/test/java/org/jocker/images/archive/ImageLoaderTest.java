package org.jocker.images.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jocker.images.archive.ArchiveFixtures.run;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jocker.images.ImageException;
import org.jocker.images.content.ContentStore;
import org.jocker.images.digest.Digest;
import org.jocker.images.manifest.Descriptor;
import org.jocker.images.manifest.ImageConfig;
import org.jocker.images.manifest.ImageIndex;
import org.jocker.images.manifest.ImageManifest;
import org.jocker.images.manifest.ManifestParser;
import org.jocker.images.manifest.MediaTypes;
import org.jocker.images.manifest.Platform;
import org.jocker.images.reference.Reference;
import org.jocker.images.store.Image;
import org.jocker.images.store.ImageStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageLoaderTest {
  /** Archives skopeo wrote from a two-layer umoci image; made once for the class. */
  @TempDir static Path made;
  static Path dockerArchive;
  static Path ociArchive;
  static Path ociArchiveTagged;
  static Path zstdArchive;

  @TempDir Path tmp;
  ContentStore content;
  ImageStore images;
  ImageLoader loader;

  @BeforeAll
  static void makeArchivesWithUmociAndSkopeo() throws Exception {
    String image = made.resolve("layout") + ":t";
    run(made, "umoci", "init", "--layout", made.resolve("layout").toString());
    run(made, "umoci", "new", "--image", image);
    run(made, "umoci", "config", "--image", image, "--architecture", ArchiveFixtures.hostArchitecture());
    // Layer 1: busybox and a file; layer 2 deletes that file (a whiteout) and adds another.
    Path bundle = made.resolve("bundle");
    run(made, "umoci", "unpack", "--image", image, bundle.toString());
    Files.createDirectories(bundle.resolve("rootfs/bin"));
    Files.copy(Path.of("/bin/busybox"), bundle.resolve("rootfs/bin/busybox"));
    Files.writeString(bundle.resolve("rootfs/deleted-later"), "gone\n");
    run(made, "umoci", "repack", "--image", image, bundle.toString());
    run(made, "rm", "-rf", bundle.toString());
    run(made, "umoci", "unpack", "--image", image, bundle.toString());
    Files.delete(bundle.resolve("rootfs/deleted-later"));
    Files.writeString(bundle.resolve("rootfs/added"), "new\n");
    run(made, "umoci", "repack", "--image", image, bundle.toString());

    dockerArchive = made.resolve("a.tar");
    ociArchive = made.resolve("o.tar");
    ociArchiveTagged = made.resolve("n.tar");
    zstdArchive = made.resolve("z.tar");
    String source = "oci:" + image;
    run(made, "skopeo", "--insecure-policy", "copy", source, "docker-archive:" + dockerArchive + ":foo/bar:t");
    run(made, "skopeo", "--insecure-policy", "copy", source, "oci-archive:" + ociArchive);
    run(made, "skopeo", "--insecure-policy", "copy", source, "oci-archive:" + ociArchiveTagged + ":t");
    run(made, "skopeo", "--insecure-policy", "copy", "--dest-compress-format", "zstd", source,
        "oci-archive:" + zstdArchive);
  }

  @BeforeEach
  void setUp() {
    content = ContentStore.open(tmp.resolve("store"));
    images = ImageStore.open(tmp.resolve("store"));
    loader = new ImageLoader(content, images);
  }

  @Test
  void loadsSkopeoDockerArchiveUnderItsRepoTag() {
    List<LoadedImage> loaded = loader.load(dockerArchive);

    assertThat(loaded).hasSize(1);
    assertThat(loaded.get(0).messages()).containsExactly("Loaded image: foo/bar:t");
    Image image = images.resolve("foo/bar:t");
    assertThat(image.references()).containsExactly(Reference.parse("docker.io/foo/bar:t"));
    ImageManifest manifest = assertStoredWithMatchingDiffIds(image);
    assertThat(manifest.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
    assertThat(manifest.layers()).extracting(Descriptor::mediaType).containsOnly(MediaTypes.OCI_LAYER);
    assertThat(manifest.layers()).hasSize(2);
    assertThat(tarNames(manifest.layers().get(1).digest())).contains("added", ".wh.deleted-later");
  }

  private List<String> tarNames(Digest layer) {
    try (var in = org.jocker.images.layer.Compression.detectAndDecompress(content.open(layer))) {
      return ArchiveFixtures.untar(in.readAllBytes()).keySet().stream()
          .map(ArchiveContents::normalise).toList();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void loadsLegacyLayoutWithManifestLastAndAGzipLayerBehindASymlink() throws Exception {
    byte[] layer = ArchiveFixtures.busyboxRootfsTar();
    Digest diffId = Digest.sha256(layer);
    byte[] gzipped = ArchiveFixtures.gzip(layer);
    byte[] config = ArchiveFixtures.configJson(ArchiveFixtures.hostArchitecture(), List.of(diffId));
    ByteArrayOutputStream archive = new ByteArrayOutputStream();
    try (var tar = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(archive)) {
      addFile(tar, "./1111/layer.tar", gzipped);
      var link = new org.apache.commons.compress.archivers.tar.TarArchiveEntry("./2222/layer.tar",
          org.apache.commons.compress.archivers.tar.TarArchiveEntry.LF_SYMLINK);
      link.setLinkName("../1111/layer.tar");
      tar.putArchiveEntry(link);
      tar.closeArchiveEntry();
      addFile(tar, "./" + Digest.sha256(config).encoded() + ".json", config);
      addFile(tar, "./manifest.json", ("[{\"Config\":\"" + Digest.sha256(config).encoded()
          + ".json\",\"RepoTags\":[\"legacy:1\"],\"Layers\":[\"2222/layer.tar\"]}]").getBytes(StandardCharsets.UTF_8));
    }

    List<LoadedImage> loaded = loader.load(new ByteArrayInputStream(archive.toByteArray()));

    assertThat(loaded.get(0).messages()).containsExactly("Loaded image: legacy:1");
    ImageManifest manifest = assertStoredWithMatchingDiffIds(images.resolve("legacy:1"));
    assertThat(manifest.layers().get(0).mediaType()).isEqualTo(MediaTypes.OCI_LAYER_GZIP);
    assertThat(manifest.layers().get(0).digest()).isEqualTo(Digest.sha256(gzipped));
  }

  private static void addFile(org.apache.commons.compress.archivers.tar.TarArchiveOutputStream tar,
      String name, byte[] data) throws IOException {
    var entry = new org.apache.commons.compress.archivers.tar.TarArchiveEntry(name);
    entry.setSize(data.length);
    tar.putArchiveEntry(entry);
    tar.write(data);
    tar.closeArchiveEntry();
  }

  @Test
  void loadsSkopeoOciArchiveUntaggedOrUnderADefaultRepository() {
    List<LoadedImage> untagged = loader.load(ociArchive);
    assertThat(untagged.get(0).messages()).containsExactly("Loaded image ID: " + untagged.get(0).id());
    assertThat(images.get(untagged.get(0).id()).references()).isEmpty();
    ImageManifest manifest = assertStoredWithMatchingDiffIds(images.get(untagged.get(0).id()));
    assertThat(manifest.layers()).extracting(Descriptor::mediaType).containsOnly(MediaTypes.OCI_LAYER_GZIP);

    List<LoadedImage> tagged = loader.load(ociArchiveTagged, "foo/bar");
    assertThat(tagged.get(0).messages()).containsExactly("Loaded image: foo/bar:t");
    assertThat(tagged.get(0).id()).isEqualTo(untagged.get(0).id());
  }

  @Test
  void loadsZstdLayers() {
    List<LoadedImage> loaded = loader.load(zstdArchive);
    ImageManifest manifest = assertStoredWithMatchingDiffIds(images.get(loaded.get(0).id()));
    assertThat(manifest.layers()).extracting(Descriptor::mediaType).containsOnly(MediaTypes.OCI_LAYER_ZSTD);
  }

  /** The manifest, config and layers are stored, and each layer uncompresses to its diff_id. */
  private ImageManifest assertStoredWithMatchingDiffIds(Image image) {
    ImageManifest manifest = ManifestParser.parseImageManifest(content.readAll(image.manifestDigest()), null).value();
    ImageConfig config = ManifestParser.parseConfig(content.readAll(image.id())).value();
    assertThat(manifest.config().digest()).isEqualTo(image.id());
    assertThat(config.diffIds()).hasSize(manifest.layers().size());
    for (int i = 0; i < manifest.layers().size(); i++) {
      Digest blob = manifest.layers().get(i).digest();
      assertThat(content.size(blob)).isEqualTo(manifest.layers().get(i).size());
      try (var in = org.jocker.images.layer.Compression.detectAndDecompress(content.open(blob))) {
        assertThat(Digest.sha256(in.readAllBytes())).isEqualTo(config.diffIds().get(i));
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    }
    return manifest;
  }

  @Test
  void roundTripKeepsTheImageIdInBothFormats() throws Exception {
    ContentStore sourceContent = ContentStore.open(tmp.resolve("source"));
    ImageStore sourceImages = ImageStore.open(tmp.resolve("source"));
    Image original = ArchiveFixtures.storeBusybox(sourceContent, sourceImages, "busybox:latest", true);
    for (ArchiveFormat format : ArchiveFormat.values()) {
      ByteArrayOutputStream archive = new ByteArrayOutputStream();
      new ImageSaver(sourceContent, sourceImages).save(List.of("busybox"), archive, format);
      List<LoadedImage> loaded = loader.load(new ByteArrayInputStream(archive.toByteArray()));
      assertThat(loaded).as(format.name()).extracting(LoadedImage::id).containsExactly(original.id());
      assertThat(loaded.get(0).messages()).containsExactly("Loaded image: busybox:latest");
      assertStoredWithMatchingDiffIds(images.resolve("busybox:latest"));
    }
  }

  @Test
  void truncatedArchiveIsRejected() throws Exception {
    byte[] archive = Files.readAllBytes(dockerArchive);
    assertRejected(Arrays.copyOf(archive, archive.length / 2), "invalid archive: unexpected end of tar stream");
  }

  @Test
  void layerNotMatchingItsDiffIdIsRejected() throws Exception {
    byte[] layer = ArchiveFixtures.busyboxRootfsTar();
    byte[] tampered = layer.clone();
    tampered[tampered.length / 2] ^= 1;
    byte[] config = ArchiveFixtures.configJson(ArchiveFixtures.hostArchitecture(), List.of(Digest.sha256(layer)));
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("manifest.json", ("[{\"Config\":\"c.json\",\"RepoTags\":[\"x:y\"],\"Layers\":[\"l1/layer.tar\"]}]")
        .getBytes(StandardCharsets.UTF_8));
    entries.put("c.json", config);
    entries.put("l1/layer.tar", tampered);
    assertRejected(ArchiveFixtures.tar(entries), "invalid archive: layer " + Digest.sha256(tampered)
        + " does not match diff_id " + Digest.sha256(layer));
  }

  @Test
  void blobNotMatchingItsNameIsRejected() throws Exception {
    Map<String, byte[]> entries = ArchiveFixtures.untar(Files.readAllBytes(ociArchive));
    String layerPath = entries.keySet().stream().filter(n -> entries.get(n).length > 100_000).findFirst().orElseThrow();
    entries.get(layerPath)[5000] ^= 1;
    assertRejected(ArchiveFixtures.tar(entries), "invalid archive: " + layerPath + ": blob sha256:"
        + layerPath.substring("blobs/sha256/".length()) + ": content does not match its digest");
  }

  @Test
  void badRepoTagIsRejected() throws Exception {
    byte[] layer = ArchiveFixtures.busyboxRootfsTar();
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("manifest.json", "[{\"Config\":\"c.json\",\"RepoTags\":[\"Foo:Bar\"],\"Layers\":[\"l.tar\"]}]"
        .getBytes(StandardCharsets.UTF_8));
    entries.put("c.json", ArchiveFixtures.configJson(ArchiveFixtures.hostArchitecture(), List.of(Digest.sha256(layer))));
    entries.put("l.tar", layer);
    assertRejected(ArchiveFixtures.tar(entries), "invalid archive: RepoTag \"Foo:Bar\": invalid reference format");
  }

  @Test
  void unknownLayerMediaTypeIsRejected() throws Exception {
    byte[] layer = ArchiveFixtures.tar(Map.of("f", "x".getBytes()));
    byte[] config = ArchiveFixtures.configJson(ArchiveFixtures.hostArchitecture(), List.of(Digest.sha256(layer)));
    byte[] manifest = manifest(config, layer, "application/vnd.example.unknown");
    byte[] index = json(new ImageIndex(2, MediaTypes.OCI_INDEX, null,
        List.of(Descriptor.of(MediaTypes.OCI_MANIFEST, Digest.sha256(manifest), manifest.length)), null, null));
    assertRejected(ociLayout(index, config, layer, manifest),
        "invalid archive: manifest " + Digest.sha256(manifest)
            + ": unsupported layer media type \"application/vnd.example.unknown\"");
  }

  @Test
  void indexWithOnlyAnotherArchitectureIsRejected() throws Exception {
    String other = ArchiveFixtures.hostArchitecture().equals("arm64") ? "amd64" : "arm64";
    byte[] layer = ArchiveFixtures.tar(Map.of("f", "x".getBytes()));
    byte[] config = ArchiveFixtures.configJson(other, List.of(Digest.sha256(layer)));
    byte[] manifest = manifest(config, layer, MediaTypes.OCI_LAYER);
    byte[] nested = json(new ImageIndex(2, MediaTypes.OCI_INDEX, null, List.of(new Descriptor(
        MediaTypes.OCI_MANIFEST, Digest.sha256(manifest), manifest.length, null, null,
        Platform.of("linux", other, null), null)), null, null));
    byte[] index = json(new ImageIndex(2, MediaTypes.OCI_INDEX, null, List.of(new Descriptor(
        MediaTypes.OCI_INDEX, Digest.sha256(nested), nested.length, null,
        Map.of(OciLayoutReader.REF_NAME, "docker.io/library/multi:latest"), null, null)), null, null));
    assertRejected(ociLayout(index, config, layer, manifest, nested),
        "invalid archive: index " + Digest.sha256(nested) + ": no matching manifest for linux/"
            + ArchiveFixtures.hostArchitecture());
    // A manifest of another architecture straight in index.json is refused by its config.
    byte[] direct = json(new ImageIndex(2, MediaTypes.OCI_INDEX, null,
        List.of(Descriptor.of(MediaTypes.OCI_MANIFEST, Digest.sha256(manifest), manifest.length)), null, null));
    assertRejected(ociLayout(direct, config, layer, manifest),
        "invalid archive: image linux/" + other + " does not match the host platform linux/"
            + ArchiveFixtures.hostArchitecture());
  }

  @Test
  void notATarIsRejected() {
    assertRejected("this is not an archive".repeat(100).getBytes(StandardCharsets.UTF_8), "invalid archive:");
  }

  private static byte[] manifest(byte[] config, byte[] layer, String layerMediaType) {
    return json(new ImageManifest(2, MediaTypes.OCI_MANIFEST, null,
        Descriptor.of(MediaTypes.OCI_CONFIG, Digest.sha256(config), config.length),
        List.of(Descriptor.of(layerMediaType, Digest.sha256(layer), layer.length)), null, null));
  }

  private static byte[] ociLayout(byte[] index, byte[]... blobs) throws IOException {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
    entries.put("index.json", index);
    for (byte[] blob : blobs) {
      entries.put(ArchiveFixtures.blobPath(Digest.sha256(blob)), blob);
    }
    return ArchiveFixtures.tar(entries);
  }

  private static byte[] json(Object value) {
    return DockerArchiveReader.toJson(value);
  }

  /** Loading fails with a one-line message starting so, and no image is registered. */
  private void assertRejected(byte[] archive, String messageStart) {
    List<Image> before = images.list();
    assertThatThrownBy(() -> loader.load(new ByteArrayInputStream(archive)))
        .isInstanceOf(ImageException.class)
        .hasMessageStartingWith(messageStart)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    assertThat(images.list()).isEqualTo(before);
  }
}
