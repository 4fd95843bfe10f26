package org.jocker.images.manifest;

import java.util.List;
import java.util.Objects;
import org.jocker.images.ImageException;

/**
 * Picks the manifest an index offers for a platform. An exact variant match wins; an arm host
 * also runs older arm variants (v7 runs v6 and v5), preferring the newest.
 */
public final class PlatformSelector {
  private final Platform wanted;

  public PlatformSelector(Platform wanted) {
    this.wanted = Platform.normalise(Objects.requireNonNull(wanted, "platform"));
  }

  public static PlatformSelector host() {
    return new PlatformSelector(Platform.host());
  }

  public Platform platform() {
    return wanted;
  }

  /** The best manifest for the platform; the error is worded as Docker words it. */
  public Descriptor select(ImageIndex index) {
    Descriptor best = null;
    int bestRank = Integer.MAX_VALUE;
    for (Descriptor d : index.manifests()) {
      if (d.platform() == null || !MediaTypes.isManifest(d.mediaType()) && !MediaTypes.isIndex(d.mediaType())) {
        continue;
      }
      int rank = rank(Platform.normalise(d.platform()));
      if (rank < bestRank) {
        best = d;
        bestRank = rank;
      }
    }
    if (best == null) {
      throw new ImageException("no matching manifest for " + wanted.format()
          + " in the manifest list entries");
    }
    return best;
  }

  /** Whether an image for {@code candidate} runs on the wanted platform. */
  public boolean accepts(Platform candidate) {
    return rank(Platform.normalise(candidate)) != Integer.MAX_VALUE;
  }

  /** 0 for an exact match, higher for a compatible one, MAX_VALUE for none. */
  int rank(Platform candidate) {
    if (!Objects.equals(candidate.os(), wanted.os())
        || !Objects.equals(candidate.architecture(), wanted.architecture())) {
      return Integer.MAX_VALUE;
    }
    if (wanted.osVersion() != null && candidate.osVersion() != null
        && !wanted.osVersion().equals(candidate.osVersion())) {
      return Integer.MAX_VALUE;
    }
    String want = wanted.variant() == null ? "" : wanted.variant();
    String have = candidate.variant() == null ? "" : candidate.variant();
    if (want.equals(have)) {
      return 0;
    }
    if (wanted.architecture().equals("arm")) {
      List<String> order = List.of("v8", "v7", "v6", "v5");
      int w = order.indexOf(want);
      int h = order.indexOf(have);
      if (w >= 0 && h > w) {
        return h - w;
      }
      if (have.isEmpty()) {
        return order.size();
      }
    }
    return Integer.MAX_VALUE;
  }
}
