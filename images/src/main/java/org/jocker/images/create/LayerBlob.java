package org.jocker.images.create;

import org.jocker.images.digest.Digest;
import org.jocker.images.manifest.Descriptor;

/** A layer stored in the content store: the blob as stored, and its uncompressed digest. */
public record LayerBlob(Digest digest, long size, String mediaType, Digest diffId) {
  public Descriptor descriptor() {
    return Descriptor.of(mediaType, digest, size);
  }
}
