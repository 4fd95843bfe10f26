package org.jocker.build.executor;

import org.jocker.build.dockerfile.SourceLines;
import org.jocker.engine.EngineException;
import org.jocker.images.ImageException;
import org.jocker.images.ImageService;
import org.jocker.images.reference.Reference;
import org.jocker.images.store.Image;

/**
 * The images a build starts from (FROM) or copies from (COPY --from): those the store has (or the
 * built-in busybox), else pulled by the {@link BaseImagePuller}; with --pull, pulled first anyway.
 */
final class BaseImages {
  private BaseImages() {}

  /** Makes sure {@code ref} is here (pulling it when asked or missing), then resolves it. */
  static Image resolve(ImageService images, BaseImagePuller puller, String ref, String step, SourceLines lines) {
    boolean present = images.hasLocally(ref);
    if ((!present || puller.always()) && Reference.isValid(ref) && puller != BaseImagePuller.NONE) {
      try {
        puller.pull(ref);
      } catch (EngineException | ImageException e) {
        throw new StepFailedException(ref + ": failed to resolve source metadata for " + displayName(ref) + ": "
            + e.getMessage(), step, lines, e);
      }
    } else if (!present) {
      throw new StepFailedException(ref + ": failed to resolve source metadata for " + displayName(ref)
          + ": not found", step, lines);
    }
    return images.resolveOrProvide(ref);
  }

  /** docker.io/library/busybox:latest for busybox, as BuildKit names it. */
  static String displayName(String ref) {
    return Reference.isValid(ref) ? Reference.parse(ref).toString() : ref;
  }
}
