package org.jocker.images.push;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jocker.images.ImageException;
import org.jocker.images.NotFoundException;
import org.jocker.images.content.ContentStore;
import org.jocker.images.digest.Digest;
import org.jocker.images.manifest.Descriptor;
import org.jocker.images.manifest.Document;
import org.jocker.images.manifest.ImageManifest;
import org.jocker.images.manifest.ManifestParser;
import org.jocker.images.manifest.MediaTypes;
import org.jocker.images.reference.Reference;
import org.jocker.images.registry.RegistryClient;
import org.jocker.images.registry.RegistryWriter;
import org.jocker.images.store.Image;
import org.jocker.images.store.ImageStore;

/**
 * {@code docker push}: the layers the repository lacks (uploaded or mounted), then the config,
 * then the image's manifest under the tag. The manifest is pushed as stored, byte for byte, so
 * its digest is the one the image was pulled, loaded or made with. An image pulled through an
 * index has only its platform's manifest and blobs here: that manifest is what is pushed, as
 * Docker's own image store does.
 */
public final class ImagePusher {
  private final ContentStore content;
  private final ImageStore images;
  private final RegistryWriter writer;
  private final BlobUpload blobs;
  private final LayerUploader layers;

  public ImagePusher(RegistryClient client, ContentStore content, ImageStore images) {
    this.content = Objects.requireNonNull(content, "content");
    this.images = Objects.requireNonNull(images, "images");
    this.writer = new RegistryWriter(client);
    this.blobs = new BlobUpload(writer, content);
    this.layers = new LayerUploader(writer, blobs);
  }

  /** Pushes {@code reference} (a tag), or with {@code allTags} every local tag of its repository. */
  public List<PushedImage> push(Reference reference, boolean allTags, PushProgress progress) {
    if (reference.isDigested()) {
      throw new ImageException("cannot push a digest reference");
    }
    List<Reference> tags = allTags ? localTags(reference) : List.of(reference);
    if (tags.isEmpty()) {
      throw missing(reference);
    }
    progress.message("The push refers to repository [" + reference.name() + "]");
    List<PushedImage> pushed = new ArrayList<>();
    for (Reference tag : tags) {
      pushed.add(pushOne(tag, image(tag), progress));
    }
    return pushed;
  }

  private PushedImage pushOne(Reference tag, Image image, PushProgress progress) {
    byte[] bytes = content.readAll(image.manifestDigest());
    Document<ImageManifest> manifest = ManifestParser.parseImageManifest(bytes, null);
    List<Descriptor> distributable = manifest.value().layers().stream()
        .filter(layer -> !MediaTypes.isNonDistributable(layer.mediaType()))
        .toList();
    for (Descriptor blob : distributable) {
      requireLocal(tag, blob);
    }
    requireLocal(tag, manifest.value().config());
    layers.uploadAll(tag.domain(), tag.path(), distributable, mountSource(tag, image), progress);
    Descriptor config = manifest.value().config();
    if (!writer.blobExists(tag.domain(), tag.path(), config.digest())) {
      blobs.upload(tag.domain(), tag.path(), config, null, sent -> {});
    }
    String mediaType = manifest.value().mediaType() != null ? manifest.value().mediaType() : MediaTypes.OCI_MANIFEST;
    writer.putManifest(tag.domain(), tag.path(), tag.tag(), bytes, mediaType);
    Digest digest = image.manifestDigest();
    progress.message(tag.tag() + ": digest: " + digest + " size: " + bytes.length);
    return new PushedImage(tag, digest, bytes.length);
  }

  /**
   * Another repository of the same registry that names this image (it was pulled from or pushed
   * there), so the registry may have its layers: they are mounted from it rather than uploaded.
   */
  private static Optional<String> mountSource(Reference tag, Image image) {
    return image.references().stream()
        .filter(r -> r.domain().equals(tag.domain()) && !r.path().equals(tag.path()))
        .map(Reference::path)
        .sorted()
        .findFirst();
  }

  private Image image(Reference tag) {
    try {
      return images.resolve(tag.toString());
    } catch (NotFoundException e) {
      boolean repositoryKnown = images.list().stream().flatMap(i -> i.references().stream())
          .anyMatch(r -> r.name().equals(tag.name()));
      if (repositoryKnown) {
        throw new NotFoundException("tag does not exist: " + tag.familiar());
      }
      throw missing(tag);
    }
  }

  /** Every tag of the reference's repository that names a local image, sorted. */
  private List<Reference> localTags(Reference reference) {
    return images.list().stream().flatMap(i -> i.references().stream())
        .filter(r -> r.name().equals(reference.name()) && r.isTagged() && !r.isDigested())
        .distinct()
        .sorted(Comparator.comparing(Reference::tag))
        .toList();
  }

  private void requireLocal(Reference tag, Descriptor blob) {
    if (!content.exists(blob.digest())) {
      throw new ImageException("image " + tag.familiar() + ": blob " + blob.digest()
          + " is not in the content store");
    }
  }

  private static NotFoundException missing(Reference reference) {
    return new NotFoundException("An image does not exist locally with the tag: " + reference.familiarName());
  }
}
