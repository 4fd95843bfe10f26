package org.jocker.images.archive;

import java.util.Objects;
import org.jocker.images.ImageException;
import org.jocker.images.digest.Digest;
import org.jocker.images.layer.Compression;

/**
 * A blob an archive entry was committed as, with what its bytes turned out to be: how they are
 * compressed and the digest of the uncompressed bytes (a layer's diff_id). When the bytes looked
 * compressed but did not decompress, {@code uncompressedDigest} is null and
 * {@code decompressProblem} says why; that matters only if the blob is used as a layer.
 */
record StoredBlob(Digest digest, long size, Compression compression, Digest uncompressedDigest,
    String decompressProblem) {

  StoredBlob {
    Objects.requireNonNull(digest, "digest");
    Objects.requireNonNull(compression, "compression");
  }

  /** The diff_id of this blob as a layer; the error names the blob when it cannot be had. */
  Digest diffId() {
    if (uncompressedDigest == null) {
      throw new ImageException("invalid archive: layer " + digest + " does not decompress: "
          + decompressProblem);
    }
    return uncompressedDigest;
  }

  /** Checks that this blob, as a layer, is the layer the config lists as {@code expected}. */
  void verifyDiffId(Digest expected) {
    Digest actual = diffId();
    if (!actual.equals(expected)) {
      throw new ImageException("invalid archive: layer " + digest + " does not match diff_id "
          + expected + (actual.equals(digest) ? "" : " (uncompressed it is " + actual + ")"));
    }
  }
}
