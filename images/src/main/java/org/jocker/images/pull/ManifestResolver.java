package org.jocker.images.pull;

import java.io.ByteArrayInputStream;
import org.jocker.images.ImageException;
import org.jocker.images.content.ContentStore;
import org.jocker.images.digest.Digest;
import org.jocker.images.manifest.Descriptor;
import org.jocker.images.manifest.Document;
import org.jocker.images.manifest.ImageIndex;
import org.jocker.images.manifest.ImageManifest;
import org.jocker.images.manifest.Manifest;
import org.jocker.images.manifest.ManifestParser;
import org.jocker.images.manifest.PlatformSelector;
import org.jocker.images.reference.Reference;
import org.jocker.images.registry.FetchedManifest;
import org.jocker.images.registry.RegistryClient;

/**
 * Follows a reference to one platform's image manifest: fetches what it names and, for an index
 * (or a manifest list), the entry for the wanted platform. The documents go into the content
 * store as the registry served them, so their digests hold.
 */
final class ManifestResolver {
  /** Indexes may nest (an index entry naming an index); deeper than this is refused. */
  private static final int MAX_DEPTH = 4;

  private final RegistryClient client;
  private final ContentStore content;

  ManifestResolver(RegistryClient client, ContentStore content) {
    this.client = client;
    this.content = content;
  }

  ResolvedImage resolve(Reference reference, PlatformSelector platform) {
    String wanted = reference.isDigested() ? reference.digest().toString() : reference.tag();
    FetchedManifest top = client.manifest(reference.domain(), reference.path(), wanted);
    Document<Manifest> document = store(top.bytes(), top.mediaType(), top.digest());
    Digest indexDigest = null;
    for (int depth = 0; document.value() instanceof ImageIndex index; depth++) {
      if (depth == MAX_DEPTH) {
        throw new ImageException("manifest " + top.digest() + ": indexes nested too deep");
      }
      Descriptor chosen = platform.select(index);
      indexDigest = document.digest();
      FetchedManifest next = client.manifest(reference.domain(), reference.path(), chosen.digest().toString());
      if (next.bytes().length != chosen.size()) {
        throw new ImageException("manifest " + chosen.digest() + ": size is " + next.bytes().length
            + " bytes, the index says " + chosen.size());
      }
      document = store(next.bytes(), chosen.mediaType(), next.digest());
    }
    ImageManifest manifest = (ImageManifest) document.value();
    return new ResolvedImage(top.digest(), indexDigest,
        new Document<>(manifest, document.raw(), document.digest()));
  }

  private Document<Manifest> store(byte[] bytes, String mediaType, Digest digest) {
    Document<Manifest> document = ManifestParser.parseManifest(bytes, mediaType);
    content.put(new ByteArrayInputStream(bytes), digest, bytes.length);
    return new Document<>(document.value(), bytes, digest);
  }
}
