package org.jocker.images.pull;

import org.jocker.images.digest.Digest;
import org.jocker.images.manifest.Document;
import org.jocker.images.manifest.ImageManifest;

/**
 * What a reference names in a registry, down to one platform's manifest: the digest it named
 * ({@code top}), the index the manifest was picked from (null when it named a manifest) and that
 * manifest, all three already in the content store.
 */
record ResolvedImage(Digest top, Digest indexDigest, Document<ImageManifest> manifest) {}
