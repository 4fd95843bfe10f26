package org.jocker.images.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jocker.images.digest.Digest;
import org.jocker.images.reference.Reference;

/**
 * An image the store knows: its ID (the config digest, as in Docker), the manifest it came with,
 * the index that manifest was picked from (null when pulled or loaded without one), when it was
 * added, and the references that point at it, sorted.
 */
public record Image(Digest id, Digest manifestDigest, Digest indexDigest, Instant added,
    List<Reference> references) {

  public Image {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(manifestDigest, "manifestDigest");
    Objects.requireNonNull(added, "added");
    references = List.copyOf(references);
  }

  /** The first 12 hex characters of the ID, as {@code docker images} shows it. */
  public String shortId() {
    return id.shortHex();
  }

  /** The blobs this image record names directly: index (if any), manifest and config. */
  public List<Digest> rootDigests() {
    return indexDigest == null ? List.of(manifestDigest, id) : List.of(indexDigest, manifestDigest, id);
  }

  Image withReferences(List<Reference> refs) {
    return new Image(id, manifestDigest, indexDigest, added, refs);
  }
}
