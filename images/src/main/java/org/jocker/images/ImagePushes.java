package org.jocker.images;

import java.util.List;
import org.jocker.images.content.ContentStore;
import org.jocker.images.push.ImagePusher;
import org.jocker.images.push.PushProgress;
import org.jocker.images.push.PushedImage;
import org.jocker.images.reference.Reference;
import org.jocker.images.registry.RegistryClient;
import org.jocker.images.store.ImageStore;

/** {@code push}: images of the stores into a registry, their manifests unchanged. */
public final class ImagePushes {
  private final ContentStore content;
  private final ImageStore images;

  ImagePushes(ContentStore content, ImageStore images) {
    this.content = content;
    this.images = images;
  }

  /**
   * Pushes {@code reference} (every local tag of its repository with {@code allTags}) for
   * {@code caller}: the registry reached as the engine is configured, with the caller's
   * credentials.
   */
  public List<PushedImage> push(Reference reference, boolean allTags, RegistryCaller caller, PushProgress progress) {
    return push(reference, allTags, caller.access().client(caller.user()), progress);
  }

  /** Pushes {@code reference} through {@code registry} (tests give one of their own). */
  public List<PushedImage> push(Reference reference, boolean allTags, RegistryClient registry,
      PushProgress progress) {
    return new ImagePusher(registry, content, images).push(reference, allTags, progress);
  }
}
