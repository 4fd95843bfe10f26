package org.jocker.build.executor;

import org.jocker.build.dockerfile.SourceLines;
import org.jocker.images.reference.Reference;
import org.jocker.images.store.Image;

/**
 * The images a build starts from (FROM) or copies from (COPY --from): those the store has, or the
 * built-in busybox. Pulling from a registry is not done by builds yet.
 */
final class BaseImages {
  private BaseImages() {}

  static Image resolve(BuildSession session, String ref, String step, SourceLines lines) {
    if (!session.images().hasLocally(ref)) {
      throw new StepFailedException(ref + ": failed to resolve source metadata for " + displayName(ref)
          + ": not found in the local image store (jocker build does not pull yet: jocker pull it first)",
          step, lines);
    }
    return session.images().resolveOrProvide(ref);
  }

  /** docker.io/library/busybox:latest for busybox, as BuildKit names it. */
  static String displayName(String ref) {
    return Reference.isValid(ref) ? Reference.parse(ref).toString() : ref;
  }
}
