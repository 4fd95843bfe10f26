package org.jocker.images.push;

import org.jocker.images.digest.Digest;
import org.jocker.images.reference.Reference;

/** One tag pushed: the reference, and the digest and size of the manifest the registry now has. */
public record PushedImage(Reference reference, Digest digest, int size) {}
