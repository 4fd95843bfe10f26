package org.jocker.images.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jocker.images.archive.ArchiveFixtures.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jocker.images.NotFoundException;
import org.jocker.images.content.ContentStore;
import org.jocker.images.digest.Digest;
import org.jocker.images.manifest.ManifestParser;
import org.jocker.images.store.Image;
import org.jocker.images.store.ImageStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageSaverTest {
  @TempDir Path tmp;
  ContentStore content;
  ImageStore images;
  ImageSaver saver;

  @BeforeEach
  void setUp() {
    content = ContentStore.open(tmp.resolve("store"));
    images = ImageStore.open(tmp.resolve("store"));
    saver = new ImageSaver(content, images);
  }

  private Path save(List<String> names, ArchiveFormat format, String file) throws IOException {
    Path archive = tmp.resolve(file);
    try (var out = Files.newOutputStream(archive)) {
      saver.save(names, out, format);
    }
    return archive;
  }

  @Test
  void dockerArchiveIsReadBySkopeoWithUncompressedLayersNamedByDiffId() throws Exception {
    Image image = ArchiveFixtures.storeBusybox(content, images, "busybox:latest", true);
    Digest diffId = Digest.sha256(ArchiveFixtures.busyboxRootfsTar());
    Path archive = save(List.of("busybox"), ArchiveFormat.DOCKER_ARCHIVE, "busybox.tar");

    JsonNode inspect = ManifestParser.json().readTree(
        run(tmp, "skopeo", "inspect", "docker-archive:" + archive));
    assertThat(inspect.path("Layers").get(0).asText()).isEqualTo(diffId.toString());
    assertThat(inspect.path("Layers")).hasSize(1);
    JsonNode raw = ManifestParser.json().readTree(
        run(tmp, "skopeo", "inspect", "--raw", "docker-archive:" + archive));
    assertThat(raw.path("config").path("digest").asText()).isEqualTo(image.id().toString());

    Map<String, byte[]> files = ArchiveFixtures.untar(Files.readAllBytes(archive));
    assertThat(files.keySet()).containsExactly(ArchiveFixtures.blobPath(image.id()),
        ArchiveFixtures.blobPath(diffId), "manifest.json", "repositories");
    assertThat(new String(files.get("manifest.json"))).isEqualTo("[{\"Config\":\"blobs/sha256/"
        + image.id().encoded() + "\",\"RepoTags\":[\"busybox:latest\"],\"Layers\":[\"blobs/sha256/"
        + diffId.encoded() + "\"]}]");
    assertThat(new String(files.get("repositories")))
        .isEqualTo("{\"busybox\":{\"latest\":\"" + diffId.encoded() + "\"}}");

    // skopeo turns it into an OCI layout that umoci unpacks to the original tree.
    run(tmp, "skopeo", "--insecure-policy", "copy", "docker-archive:" + archive, "oci:" + tmp.resolve("layout") + ":t");
    run(tmp, "umoci", "unpack", "--image", tmp.resolve("layout") + ":t", tmp.resolve("bundle").toString());
    assertUnpackedBusybox(tmp.resolve("bundle/rootfs"));
  }

  @Test
  void ociLayoutIsReadBySkopeoAndUnpackedByUmoci() throws Exception {
    Image image = ArchiveFixtures.storeBusybox(content, images, "busybox:latest", true);
    Path archive = save(List.of("busybox:latest"), ArchiveFormat.OCI_LAYOUT, "oci.tar");

    JsonNode raw = ManifestParser.json().readTree(
        run(tmp, "skopeo", "inspect", "--raw", "oci-archive:" + archive + ":latest"));
    assertThat(raw.path("config").path("digest").asText()).isEqualTo(image.id().toString());
    assertThat(Digest.sha256(run(tmp, "skopeo", "inspect", "--raw", "oci-archive:" + archive + ":latest")))
        .isEqualTo(image.manifestDigest());

    Path layout = Files.createDirectory(tmp.resolve("layout"));
    run(layout, "tar", "-xf", archive.toString());
    JsonNode index = ManifestParser.json().readTree(layout.resolve("index.json").toFile());
    JsonNode annotations = index.path("manifests").get(0).path("annotations");
    assertThat(annotations.path("org.opencontainers.image.ref.name").asText()).isEqualTo("latest");
    assertThat(annotations.path("io.containerd.image.name").asText()).isEqualTo("docker.io/library/busybox:latest");
    run(tmp, "umoci", "unpack", "--image", layout + ":latest", tmp.resolve("bundle").toString());
    assertUnpackedBusybox(tmp.resolve("bundle/rootfs"));
  }

  private static void assertUnpackedBusybox(Path rootfs) throws IOException {
    assertThat(ArchiveFixtures.tree(rootfs)).containsExactly("bin", "bin/busybox", "bin/sh", "etc", "etc/hostname");
    assertThat(Files.readString(rootfs.resolve("etc/hostname"))).isEqualTo(ArchiveFixtures.HOSTNAME_CONTENT);
    assertThat(Files.readSymbolicLink(rootfs.resolve("bin/sh"))).hasToString("busybox");
    assertThat(Files.mismatch(rootfs.resolve("bin/busybox"), Path.of("/bin/busybox"))).isEqualTo(-1);
  }

  @Test
  void savingIsDeterministic() throws Exception {
    ArchiveFixtures.storeBusybox(content, images, "busybox:latest", true);
    for (ArchiveFormat format : ArchiveFormat.values()) {
      ByteArrayOutputStream first = new ByteArrayOutputStream();
      ByteArrayOutputStream second = new ByteArrayOutputStream();
      saver.save(List.of("busybox"), first, format);
      saver.save(List.of("busybox"), second, format);
      assertThat(first.toByteArray()).as(format.name()).isEqualTo(second.toByteArray());
    }
  }

  @Test
  void imagesSharingALayerWriteItOnceAndAnImageSavedByIdHasNoRepoTags() throws Exception {
    byte[] base = ArchiveFixtures.busyboxRootfsTar();
    Digest baseId = Digest.sha256(base);
    byte[] top = ArchiveFixtures.tar(Map.of("top.txt", "top".getBytes()));
    Image one = ArchiveFixtures.storeImage(content, images, "one:1", List.of(base), List.of(baseId),
        List.of(org.jocker.images.manifest.MediaTypes.OCI_LAYER), ArchiveFixtures.hostArchitecture());
    Image two = ArchiveFixtures.storeImage(content, images, "two:2", List.of(base, top),
        List.of(baseId, Digest.sha256(top)),
        List.of(org.jocker.images.manifest.MediaTypes.OCI_LAYER, org.jocker.images.manifest.MediaTypes.OCI_LAYER),
        ArchiveFixtures.hostArchitecture());

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    saver.save(List.of("one:1", two.id().toString()), out, ArchiveFormat.DOCKER_ARCHIVE);
    Map<String, byte[]> files = ArchiveFixtures.untar(out.toByteArray());
    assertThat(files.keySet().stream().filter(n -> n.startsWith("blobs/"))).hasSize(4);
    JsonNode manifest = ManifestParser.json().readTree(files.get("manifest.json"));
    assertThat(manifest).hasSize(2);
    assertThat(manifest.get(0).path("RepoTags").get(0).asText()).isEqualTo("one:1");
    assertThat(manifest.get(1).path("RepoTags").isNull()).isTrue();
    assertThat(manifest.get(1).path("Config").asText()).isEqualTo(ArchiveFixtures.blobPath(two.id()));
    assertThat(one.id()).isNotEqualTo(two.id());
  }

  @Test
  void unknownImageIsNotFound() {
    assertThatThrownBy(() -> saver.save(List.of("nosuch:latest"), new ByteArrayOutputStream(),
        ArchiveFormat.DOCKER_ARCHIVE))
        .isInstanceOf(NotFoundException.class)
        .hasMessage("No such image: nosuch:latest");
  }
}
