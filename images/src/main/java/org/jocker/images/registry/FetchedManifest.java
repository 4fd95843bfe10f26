package org.jocker.images.registry;

import org.jocker.images.digest.Digest;

/**
 * A manifest or index as the registry served it: its exact bytes, the media type it came with
 * (Content-Type without parameters) and their digest, verified against what was asked for.
 */
public record FetchedManifest(byte[] bytes, String mediaType, Digest digest) {
  public FetchedManifest {
    bytes = bytes.clone();
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }
}
