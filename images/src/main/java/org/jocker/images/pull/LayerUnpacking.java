package org.jocker.images.pull;

import org.jocker.images.store.Image;

/**
 * Unpacks a registered image's layers into snapshots, reporting each layer's Extracting and
 * Pull complete (the facade does it: unpacking is not an operation of its own).
 */
@FunctionalInterface
public interface LayerUnpacking {
  void unpack(Image image, PullProgress progress);
}
