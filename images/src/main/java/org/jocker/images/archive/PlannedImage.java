package org.jocker.images.archive;

import java.util.List;
import org.jocker.images.digest.Digest;
import org.jocker.images.reference.Reference;

/**
 * An image read from an archive whose blobs are all stored and verified, ready to register.
 * {@code indexDigest} is the index its manifest was picked from, or null.
 */
record PlannedImage(Digest indexDigest, Digest manifestDigest, Digest configDigest,
    List<Reference> references) {

  PlannedImage {
    references = List.copyOf(references);
  }
}
