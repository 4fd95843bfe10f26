package org.jocker.images.archive;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.jocker.images.ImageException;
import org.jocker.images.content.ContentStore;
import org.jocker.images.digest.Digest;
import org.jocker.images.manifest.Descriptor;
import org.jocker.images.manifest.Document;
import org.jocker.images.manifest.ImageConfig;
import org.jocker.images.manifest.ImageManifest;
import org.jocker.images.manifest.ManifestParser;
import org.jocker.images.manifest.MediaTypes;
import org.jocker.images.reference.Reference;

/**
 * Turns the manifest.json of a docker-archive into images. A docker-archive has no image
 * manifest, so one is made per image (OCI media types, layer types as the bytes really are);
 * each layer is checked against the config's diff_ids before anything is planned.
 */
final class DockerArchiveReader {
  private final ArchiveContents contents;
  private final ContentStore content;

  DockerArchiveReader(ArchiveContents contents, ContentStore content) {
    this.contents = contents;
    this.content = content;
  }

  List<PlannedImage> read() {
    List<DockerArchiveManifest> entries = parseManifestJson(contents.bytes("manifest.json"));
    if (entries.isEmpty()) {
      throw new ImageException("invalid archive: manifest.json lists no images");
    }
    List<PlannedImage> images = new ArrayList<>();
    for (DockerArchiveManifest entry : entries) {
      images.add(plan(entry));
    }
    return images;
  }

  private PlannedImage plan(DockerArchiveManifest entry) {
    if (entry.config() == null || entry.config().isEmpty()) {
      throw new ImageException("invalid archive: a manifest.json entry has no Config");
    }
    List<Reference> names = parseRepoTags(entry.repoTagsOrEmpty());
    StoredBlob configBlob = contents.blob(entry.config());
    Document<ImageConfig> config = parseConfig(entry.config());
    List<Digest> diffIds = config.value().diffIds();
    if (diffIds.size() != entry.layers().size()) {
      throw new ImageException("invalid archive: image " + config.digest() + " lists "
          + entry.layers().size() + " layers but its config has " + diffIds.size() + " diff_ids");
    }
    List<Descriptor> layers = new ArrayList<>();
    for (int i = 0; i < diffIds.size(); i++) {
      StoredBlob layer = contents.blob(entry.layers().get(i));
      layer.verifyDiffId(diffIds.get(i));
      layers.add(Descriptor.of(layer.compression().ociLayerMediaType(),
          layer.digest(), layer.size()));
    }
    ImageManifest manifest = new ImageManifest(2, MediaTypes.OCI_MANIFEST, null,
        Descriptor.of(MediaTypes.OCI_CONFIG, configBlob.digest(), configBlob.size()),
        layers, null, null);
    Digest manifestDigest = content.put(toJson(manifest));
    return new PlannedImage(null, manifestDigest, configBlob.digest(), names);
  }

  private Document<ImageConfig> parseConfig(String path) {
    try {
      return ManifestParser.parseConfig(contents.bytes(path));
    } catch (ImageException e) {
      throw new ImageException("invalid archive: config " + path + ": " + e.getMessage(), e);
    }
  }

  /** RepoTags are familiar references with a tag; a digest or a bad name fails the load. */
  static List<Reference> parseRepoTags(List<String> repoTags) {
    List<Reference> names = new ArrayList<>();
    for (String tag : repoTags) {
      Reference ref;
      try {
        ref = Reference.parse(tag);
      } catch (ImageException e) {
        throw new ImageException("invalid archive: RepoTag \"" + tag + "\": " + e.getMessage(), e);
      }
      if (ref.isDigested()) {
        throw new ImageException("invalid archive: RepoTag \"" + tag + "\" has a digest, not a tag");
      }
      names.add(ref);
    }
    return names;
  }

  private static List<DockerArchiveManifest> parseManifestJson(byte[] raw) {
    try {
      List<DockerArchiveManifest> entries =
          ManifestParser.json().readValue(raw, new TypeReference<List<DockerArchiveManifest>>() {});
      return entries == null ? List.of() : entries;
    } catch (IOException e) {
      throw new ImageException("invalid archive: manifest.json: " + firstLine(e.getMessage()), e);
    }
  }

  static byte[] toJson(Object value) {
    try {
      ObjectMapper json = ManifestParser.json();
      return json.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
    }
  }

  static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
