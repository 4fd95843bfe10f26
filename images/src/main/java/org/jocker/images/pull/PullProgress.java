package org.jocker.images.pull;

/**
 * What a pull reports as it goes, for the CLI to draw: layer states, and lines of their own
 * ({@code latest: Pulling from library/busybox}, {@code Digest: sha256:...}). Called from
 * several download threads at once.
 */
public interface PullProgress {
  void layer(LayerProgress progress);

  void message(String line);

  PullProgress NONE = new PullProgress() {
    @Override
    public void layer(LayerProgress progress) {}

    @Override
    public void message(String line) {}
  };
}
