package org.jocker.images.push;

/**
 * What a push reports as it goes, for the CLI to draw: layer states, and lines of their own
 * ({@code The push refers to repository [...]}, {@code latest: digest: sha256:... size: 528}).
 * Called from several upload threads at once.
 */
public interface PushProgress {
  void layer(LayerPushProgress progress);

  void message(String line);

  PushProgress NONE = new PushProgress() {
    @Override
    public void layer(LayerPushProgress progress) {}

    @Override
    public void message(String line) {}
  };
}
