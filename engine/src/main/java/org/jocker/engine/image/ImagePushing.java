package org.jocker.engine.image;

import java.util.List;
import org.jocker.engine.EngineException;
import org.jocker.images.ImageService;
import org.jocker.images.RegistryCaller;
import org.jocker.images.push.PushProgress;
import org.jocker.images.push.PushedImage;
import org.jocker.images.reference.Reference;

/** {@code push}. The caller draws the progress; errors keep the registry's (Docker's) words. */
public final class ImagePushing {
  private final ImageService images;

  public ImagePushing(ImageService images) {
    this.images = images;
  }

  /**
   * Pushes {@code ref} (with {@code allTags}, every local tag of its repository: then it must not
   * name a tag).
   */
  public List<PushedImage> push(String ref, boolean allTags, RegistryCaller caller, PushProgress progress) {
    Reference reference = Reference.parse(ref);
    if (allTags && (reference.isDigested() || ImagePulling.hasExplicitTag(ref))) {
      throw EngineException.invalidArgument("tag can't be used with --all-tags/-a");
    }
    return images.pushes().push(reference, allTags, caller, progress);
  }
}
