package org.jocker.images;

import java.util.List;
import java.util.Optional;
import org.jocker.images.digest.Digest;
import org.jocker.images.reference.Reference;
import org.jocker.images.store.Image;
import org.jocker.images.store.ImageStore;

/**
 * Which images exist and the names that point at them: finding an image by ID or by what a user
 * types, listing, tagging, untagging and removing image records (their blobs and layers go at the
 * next {@link ImageService#collectGarbage collection}). Every call sees other processes' changes.
 */
public final class ImageCatalog {
  private final ImageStore images;

  ImageCatalog(ImageStore images) {
    this.images = images;
  }

  /** The image with exactly this ID, if there is one. */
  public Optional<Image> find(Digest id) {
    return images.find(id);
  }

  /**
   * The image a user names as Docker finds it: by ID, reference, manifest or index digest, or
   * unambiguous ID prefix.
   *
   * @throws NotFoundException when nothing is named so
   */
  public Image resolve(String refOrId) {
    return images.resolve(refOrId);
  }

  /** Every image, newest first. */
  public List<Image> list() {
    return images.list();
  }

  /** Points the name {@code target} at the image {@code source} resolves to, as {@code docker tag}. */
  public Image tag(String source, String target) {
    return images.tag(source, target);
  }

  /** Removes the name; the image it pointed at stays, even with no name left. */
  public Image untag(Reference name) {
    return images.untag(name);
  }

  /** Removes the image record with every name pointing at it, in one change. */
  public Image remove(Digest id) {
    return images.remove(id);
  }
}
