package org.jocker.images.archive;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jocker.images.content.ContentStore;
import org.jocker.images.digest.Digest;
import org.jocker.images.manifest.Descriptor;
import org.jocker.images.manifest.ImageConfig;
import org.jocker.images.manifest.ImageIndex;
import org.jocker.images.manifest.MediaTypes;
import org.jocker.images.manifest.Platform;
import org.jocker.images.reference.Reference;

/**
 * Writes an OCI image layout: every blob as stored (layers keep their compression, manifests
 * their bytes and so their digests), and an index.json with one entry per name. Each entry has
 * the tag as {@code org.opencontainers.image.ref.name} (what skopeo and umoci look up) and the
 * full name as {@code io.containerd.image.name} (what containerd and Docker 25+ read).
 */
final class OciLayoutWriter {
  private static final byte[] OCI_LAYOUT = "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(
      java.nio.charset.StandardCharsets.UTF_8);

  private final ContentStore content;

  OciLayoutWriter(ContentStore content) {
    this.content = content;
  }

  void write(List<SavedImage> images, OutputStream out) throws IOException {
    DeterministicTar tar = new DeterministicTar();
    List<Descriptor> entries = new ArrayList<>();
    for (SavedImage image : images) {
      addBlob(tar, image.manifest().digest());
      addBlob(tar, image.config().digest());
      for (Descriptor layer : image.manifest().value().layers()) {
        addBlob(tar, layer.digest());
      }
      String mediaType = image.manifest().value().mediaType() != null
          ? image.manifest().value().mediaType() : MediaTypes.OCI_MANIFEST;
      Platform platform = platformOf(image.config().value());
      if (image.tags().isEmpty()) {
        entries.add(new Descriptor(mediaType, image.manifest().digest(), image.manifest().size(),
            null, null, platform, null));
      }
      for (Reference tag : image.tags()) {
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put(OciLayoutReader.CONTAINERD_NAME, tag.toString());
        annotations.put(OciLayoutReader.REF_NAME, tag.tag());
        entries.add(new Descriptor(mediaType, image.manifest().digest(), image.manifest().size(),
            null, annotations, platform, null));
      }
    }
    ImageIndex index = new ImageIndex(2, MediaTypes.OCI_INDEX, null, entries, null, null);
    tar.add("index.json", DockerArchiveReader.toJson(index));
    tar.add("oci-layout", OCI_LAYOUT);
    tar.writeTo(out);
  }

  private void addBlob(DeterministicTar tar, Digest digest) {
    String path = DockerArchiveWriter.pathOf(digest);
    if (!tar.contains(path)) {
      tar.add(path, content.size(digest), () -> content.open(digest));
    }
  }

  private static Platform platformOf(ImageConfig config) {
    if (config.architecture() == null || config.architecture().isEmpty()) {
      return null;
    }
    return Platform.of(config.os() == null ? "linux" : config.os(), config.architecture(), config.variant());
  }
}
