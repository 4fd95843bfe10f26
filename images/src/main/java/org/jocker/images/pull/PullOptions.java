package org.jocker.images.pull;

import org.jocker.images.manifest.Platform;

/**
 * How to pull: the platform to pick from an index (null: this host's), and whether every tag of
 * the repository is pulled ({@code -a}).
 */
public record PullOptions(Platform platform, boolean allTags) {
  public static final PullOptions DEFAULT = new PullOptions(null, false);
}
