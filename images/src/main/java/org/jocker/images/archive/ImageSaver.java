package org.jocker.images.archive;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jocker.images.ImageException;
import org.jocker.images.content.ContentStore;
import org.jocker.images.digest.Digest;
import org.jocker.images.manifest.Document;
import org.jocker.images.manifest.ImageConfig;
import org.jocker.images.manifest.ImageManifest;
import org.jocker.images.manifest.ManifestParser;
import org.jocker.images.reference.Reference;
import org.jocker.images.store.Image;
import org.jocker.images.store.ImageStore;

/**
 * {@code docker save}: writes images to one archive. An image named by a tagged reference is
 * saved under that tag; an image named by ID is saved without names, as Docker does. Naming an
 * image twice saves it once, with every tag given.
 */
public final class ImageSaver {
  private final ContentStore content;
  private final ImageStore images;

  public ImageSaver(ContentStore content, ImageStore images) {
    this.content = Objects.requireNonNull(content, "content");
    this.images = Objects.requireNonNull(images, "images");
  }

  /** Writes the images {@code refsOrIds} name to {@code out}; the stream is left open. */
  public void save(List<String> refsOrIds, OutputStream out, ArchiveFormat format) {
    if (refsOrIds.isEmpty()) {
      throw new ImageException("save needs at least one image");
    }
    List<SavedImage> saved = collect(refsOrIds);
    try {
      switch (format) {
        case DOCKER_ARCHIVE -> new DockerArchiveWriter(content).write(saved, out);
        case OCI_LAYOUT -> new OciLayoutWriter(content).write(saved, out);
      }
    } catch (IOException e) {
      throw new ImageException("cannot write archive: " + e.getMessage(), e);
    }
  }

  private List<SavedImage> collect(List<String> refsOrIds) {
    Map<Digest, Image> byId = new LinkedHashMap<>();
    Map<Digest, List<Reference>> tags = new LinkedHashMap<>();
    for (String refOrId : refsOrIds) {
      Image image = images.resolve(refOrId);
      byId.putIfAbsent(image.id(), image);
      List<Reference> imageTags = tags.computeIfAbsent(image.id(), k -> new ArrayList<>());
      Reference named = tagNamedBy(refOrId, image);
      if (named != null && !imageTags.contains(named)) {
        imageTags.add(named);
      }
    }
    List<SavedImage> saved = new ArrayList<>();
    for (Image image : byId.values()) {
      saved.add(read(image, tags.get(image.id())));
    }
    return saved;
  }

  /** The tag {@code refOrId} names the image by, or null when it is an ID or a digest. */
  private static Reference tagNamedBy(String refOrId, Image image) {
    if (!Reference.isValid(refOrId)) {
      return null;
    }
    Reference ref = Reference.parse(refOrId);
    return ref.isTagged() && !ref.isDigested() && image.references().contains(ref) ? ref : null;
  }

  private SavedImage read(Image image, List<Reference> tags) {
    Document<ImageManifest> manifest = ManifestParser.parseImageManifest(
        content.readAll(image.manifestDigest()), null);
    Document<ImageConfig> config = ManifestParser.parseConfig(content.readAll(image.id()));
    return new SavedImage(image, manifest, config, tags);
  }
}
