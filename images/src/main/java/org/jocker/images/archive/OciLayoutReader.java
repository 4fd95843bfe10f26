package org.jocker.images.archive;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jocker.images.ImageException;
import org.jocker.images.digest.Digest;
import org.jocker.images.manifest.Descriptor;
import org.jocker.images.manifest.Document;
import org.jocker.images.manifest.ImageConfig;
import org.jocker.images.manifest.ImageIndex;
import org.jocker.images.manifest.ImageManifest;
import org.jocker.images.manifest.Manifest;
import org.jocker.images.manifest.ManifestParser;
import org.jocker.images.manifest.MediaTypes;
import org.jocker.images.layer.Compression;
import org.jocker.images.manifest.PlatformSelector;
import org.jocker.images.reference.Reference;

/**
 * Turns an OCI image layout into images: each entry of index.json is followed (through nested
 * indexes, picking the platform's manifest) to one image manifest, whose config and layers must
 * be in the archive, of known media types, and match the config's diff_ids.
 */
final class OciLayoutReader {
  /** The full name containerd and Docker 25+ put next to the OCI ref name. */
  static final String CONTAINERD_NAME = "io.containerd.image.name";
  static final String REF_NAME = "org.opencontainers.image.ref.name";
  private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
  private static final int MAX_INDEX_DEPTH = 8;

  private final ArchiveContents contents;
  private final PlatformSelector platform;
  private final String defaultRepository;

  /** {@code defaultRepository} names images whose ref name is only a tag; null leaves them untagged. */
  OciLayoutReader(ArchiveContents contents, PlatformSelector platform, String defaultRepository) {
    this.contents = contents;
    this.platform = platform;
    this.defaultRepository = defaultRepository;
  }

  List<PlannedImage> read() {
    checkLayoutVersion();
    ImageIndex index = parseIndexJson();
    if (index.manifests().isEmpty()) {
      throw new ImageException("invalid archive: index.json lists no images");
    }
    List<PlannedImage> images = new ArrayList<>();
    for (Descriptor entry : index.manifests()) {
      List<Reference> names = namesOf(entry);
      images.add(follow(entry, null, names, 0));
    }
    return images;
  }

  private void checkLayoutVersion() {
    if (!contents.has("oci-layout")) {
      throw new ImageException("invalid archive: index.json without oci-layout");
    }
    try {
      JsonNode layout = ManifestParser.json().readTree(contents.bytes("oci-layout"));
      String version = layout == null ? "" : layout.path("imageLayoutVersion").asText("");
      if (!version.startsWith("1.")) {
        throw new ImageException("invalid archive: unsupported OCI layout version \"" + version + "\"");
      }
    } catch (IOException e) {
      throw new ImageException("invalid archive: oci-layout: " + DockerArchiveReader.firstLine(e.getMessage()), e);
    }
  }

  private ImageIndex parseIndexJson() {
    try {
      Manifest parsed = ManifestParser.parseManifest(contents.bytes("index.json"), MediaTypes.OCI_INDEX).value();
      if (parsed instanceof ImageIndex index) {
        return index;
      }
      throw new ImageException("index.json is an image manifest, not an index");
    } catch (ImageException e) {
      throw new ImageException("invalid archive: index.json: " + e.getMessage(), e);
    }
  }

  private PlannedImage follow(Descriptor descriptor, Digest parentIndex, List<Reference> names, int depth) {
    if (depth > MAX_INDEX_DEPTH) {
      throw new ImageException("invalid archive: indexes nested more than " + MAX_INDEX_DEPTH + " deep");
    }
    String mediaType = descriptor.mediaType();
    if (mediaType != null && !MediaTypes.isIndex(mediaType) && !MediaTypes.isManifest(mediaType)) {
      throw new ImageException("invalid archive: " + descriptor.digest()
          + " has unsupported media type \"" + mediaType + "\"");
    }
    Manifest manifest = parse(descriptor);
    if (manifest instanceof ImageIndex index) {
      Descriptor chosen = select(index, descriptor.digest());
      return follow(chosen, descriptor.digest(), names, depth + 1);
    }
    return plan((ImageManifest) manifest, descriptor.digest(), parentIndex, names);
  }

  private Descriptor select(ImageIndex index, Digest indexDigest) {
    try {
      return platform.select(index);
    } catch (ImageException e) {
      throw new ImageException("invalid archive: index " + indexDigest + ": " + e.getMessage(), e);
    }
  }

  private PlannedImage plan(ImageManifest manifest, Digest manifestDigest, Digest parentIndex,
      List<Reference> names) {
    Descriptor configDescriptor = manifest.config();
    if (configDescriptor.mediaType() != null && !MediaTypes.isConfig(configDescriptor.mediaType())) {
      throw new ImageException("invalid archive: manifest " + manifestDigest
          + " has a config of unsupported media type \"" + configDescriptor.mediaType() + "\"");
    }
    StoredBlob configBlob = blobFor(configDescriptor);
    Document<ImageConfig> config;
    try {
      config = ManifestParser.parseConfig(contents.bytes(pathOf(configDescriptor.digest())));
    } catch (ImageException e) {
      throw new ImageException("invalid archive: config " + e.getMessage(), e);
    }
    checkPlatform(config.value(), manifestDigest);
    List<Digest> diffIds = config.value().diffIds();
    if (diffIds.size() != manifest.layers().size()) {
      throw new ImageException("invalid archive: manifest " + manifestDigest + " has "
          + manifest.layers().size() + " layers but its config has " + diffIds.size() + " diff_ids");
    }
    for (int i = 0; i < diffIds.size(); i++) {
      Descriptor layer = manifest.layers().get(i);
      Compression declared = declaredCompression(layer, manifestDigest);
      StoredBlob blob = blobFor(layer);
      if (blob.compression() != declared) {
        throw new ImageException("invalid archive: layer " + layer.digest() + " is "
            + describe(blob.compression()) + " but its media type " + layer.mediaType() + " says "
            + describe(declared));
      }
      blob.verifyDiffId(diffIds.get(i));
    }
    return new PlannedImage(parentIndex, manifestDigest, configBlob.digest(), names);
  }

  private static Compression declaredCompression(Descriptor layer, Digest manifestDigest) {
    try {
      return Compression.ofLayerMediaType(layer.mediaType());
    } catch (ImageException e) {
      throw new ImageException("invalid archive: manifest " + manifestDigest + ": " + e.getMessage(), e);
    }
  }

  /** A manifest straight in index.json has no platform of its own; its config says it. */
  private void checkPlatform(ImageConfig config, Digest manifestDigest) {
    if (config.architecture() == null || config.architecture().isEmpty()) {
      return;
    }
    Descriptor self = new Descriptor(MediaTypes.OCI_MANIFEST, manifestDigest, 0, null, null,
        config.platform(), null);
    try {
      platform.select(new ImageIndex(2, MediaTypes.OCI_INDEX, null, List.of(self), null, null));
    } catch (ImageException e) {
      throw new ImageException("invalid archive: image " + config.platform().format()
          + " does not match the host platform " + platform.platform().format(), e);
    }
  }

  private Manifest parse(Descriptor descriptor) {
    blobFor(descriptor);
    try {
      return ManifestParser.parseManifest(contents.bytes(pathOf(descriptor.digest())), descriptor.mediaType()).value();
    } catch (ImageException e) {
      throw new ImageException("invalid archive: manifest " + e.getMessage(), e);
    }
  }

  /** The stored blob a descriptor points at, checking that its size is the one declared. */
  private StoredBlob blobFor(Descriptor descriptor) {
    StoredBlob blob = contents.blob(descriptor.digest());
    if (blob.size() != descriptor.size()) {
      throw new ImageException("invalid archive: blob " + descriptor.digest() + " is " + blob.size()
          + " bytes but its descriptor says " + descriptor.size());
    }
    return blob;
  }

  private static String pathOf(Digest digest) {
    return "blobs/" + digest.algorithm().id() + "/" + digest.encoded();
  }

  private static String describe(Compression compression) {
    return switch (compression) {
      case NONE -> "uncompressed";
      case GZIP -> "gzip-compressed";
      case ZSTD -> "zstd-compressed";
    };
  }

  /**
   * The names an index.json entry gives: containerd's full name if present, else the OCI ref
   * name, which is a full reference or just a tag (then named in {@code defaultRepository}).
   */
  private List<Reference> namesOf(Descriptor entry) {
    String full = entry.annotations().get(CONTAINERD_NAME);
    String refName = entry.annotations().get(REF_NAME);
    String name = full != null ? full : refName;
    if (name == null || name.isEmpty()) {
      return List.of();
    }
    try {
      if (full == null && TAG.matcher(refName).matches()) {
        return defaultRepository == null ? List.of()
            : List.of(Reference.parse(defaultRepository).withTag(refName));
      }
      Reference ref = Reference.parse(name);
      if (!ref.isTagged()) {
        // A name by digest alone is no name to list the image under.
        return List.of();
      }
      return List.of(ref.isDigested() ? ref.withTag(ref.tag()) : ref);
    } catch (ImageException e) {
      throw new ImageException("invalid archive: image name \"" + name + "\": " + e.getMessage(), e);
    }
  }
}
