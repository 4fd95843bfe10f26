package org.jocker.images.pull;

import org.jocker.images.digest.Digest;
import org.jocker.images.reference.Reference;
import org.jocker.images.store.Image;

/**
 * An image a pull left in the store: the reference it was pulled as, the digest that reference
 * named in the registry (an index's, when it named one), the image, and whether the reference
 * pointed elsewhere (or nowhere) before.
 */
public record PulledImage(Reference reference, Digest digest, Image image, boolean changed) {}
