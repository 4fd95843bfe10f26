package org.jocker.build.executor;

/**
 * How a build gets a FROM or COPY --from image the store lacks (or, with --pull, every one):
 * the CLI's pull from its registry, with its credentials. {@link #NONE} pulls nothing.
 */
public interface BaseImagePuller {
  BaseImagePuller NONE = new BaseImagePuller() {
    @Override
    public boolean always() {
      return false;
    }

    @Override
    public void pull(String ref) {}
  };

  /** --pull: pull even an image the store has (a newer one may be there). */
  boolean always();

  /** Pulls {@code ref} into the store; fails with the registry's words. */
  void pull(String ref);
}
