package org.jocker.images.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jocker.images.ImageException;
import org.jocker.images.content.ContentStore;
import org.jocker.images.digest.Digest;
import org.jocker.images.digest.Digester;
import org.jocker.images.manifest.Descriptor;
import org.jocker.images.layer.Compression;
import org.jocker.images.reference.Reference;

/**
 * Writes a docker-archive as Docker 25+ lays it out: config and layers under blobs/sha256/,
 * layers as uncompressed tar named by their diff_id, manifest.json and repositories. A stored
 * compressed layer is read twice, once to learn its uncompressed size (the tar header comes
 * first) and check its diff_id, once to write it, so no layer is held in memory or on disk.
 */
final class DockerArchiveWriter {
  private final ContentStore content;

  DockerArchiveWriter(ContentStore content) {
    this.content = content;
  }

  void write(List<SavedImage> images, OutputStream out) throws IOException {
    DeterministicTar tar = new DeterministicTar();
    List<DockerArchiveManifest> manifestJson = new ArrayList<>();
    Map<String, Map<String, String>> repositories = new TreeMap<>();
    for (SavedImage image : images) {
      Digest configDigest = image.config().digest();
      String configPath = pathOf(configDigest);
      tar.add(configPath, image.config().bytes());
      List<Digest> diffIds = image.config().value().diffIds();
      List<Descriptor> layers = image.manifest().value().layers();
      if (diffIds.size() != layers.size()) {
        throw new ImageException("image " + configDigest + ": manifest has " + layers.size()
            + " layers but config has " + diffIds.size() + " diff_ids");
      }
      List<String> layerPaths = new ArrayList<>();
      for (int i = 0; i < layers.size(); i++) {
        String path = pathOf(diffIds.get(i));
        if (!tar.contains(path)) {
          addLayer(tar, path, layers.get(i).digest(), diffIds.get(i));
        }
        layerPaths.add(path);
      }
      List<String> repoTags = image.tags().stream().map(Reference::familiar).toList();
      manifestJson.add(new DockerArchiveManifest(configPath, repoTags.isEmpty() ? null : repoTags, layerPaths));
      if (!diffIds.isEmpty()) {
        String top = diffIds.get(diffIds.size() - 1).encoded();
        for (Reference tag : image.tags()) {
          repositories.computeIfAbsent(tag.familiarName(), k -> new TreeMap<>()).put(tag.tag(), top);
        }
      }
    }
    tar.add("manifest.json", DockerArchiveReader.toJson(manifestJson));
    if (!repositories.isEmpty()) {
      tar.add("repositories", DockerArchiveReader.toJson(repositories));
    }
    tar.writeTo(out);
  }

  private void addLayer(DeterministicTar tar, String path, Digest blob, Digest diffId) throws IOException {
    Compression compression;
    try (InputStream in = new java.io.BufferedInputStream(content.open(blob))) {
      compression = Compression.sniff(in);
    }
    if (compression == Compression.NONE && blob.equals(diffId)) {
      tar.add(path, content.size(blob), () -> content.open(blob));
      return;
    }
    long size = uncompressedSizeChecked(blob, diffId);
    tar.add(path, size, () -> Compression.detectAndDecompress(content.open(blob)));
  }

  private long uncompressedSizeChecked(Digest blob, Digest diffId) throws IOException {
    Digester digester = Digester.sha256();
    try (InputStream in = Compression.detectAndDecompress(content.open(blob))) {
      byte[] buffer = new byte[65536];
      for (int n; (n = in.read(buffer)) >= 0; ) {
        digester.update(buffer, 0, n);
      }
    }
    if (!digester.digest().equals(diffId)) {
      throw new ImageException("layer " + blob + " does not match diff_id " + diffId
          + " (uncompressed it is " + digester.digest() + ")");
    }
    return digester.count();
  }

  static String pathOf(Digest digest) {
    return "blobs/" + digest.algorithm().id() + "/" + digest.encoded();
  }
}
