package org.jocker.images;

import org.jocker.images.content.ContentStore;
import org.jocker.images.manifest.Document;
import org.jocker.images.manifest.ImageConfig;
import org.jocker.images.manifest.ImageManifest;
import org.jocker.images.manifest.ManifestParser;
import org.jocker.images.store.Image;

/** An image's manifest and config, parsed from the blobs its record names. */
final class ImageDocuments {
  private final ContentStore content;

  ImageDocuments(ContentStore content) {
    this.content = content;
  }

  Document<ImageManifest> manifest(Image image) {
    return ManifestParser.parseImageManifest(content.readAll(image.manifestDigest()), null);
  }

  Document<ImageConfig> config(Image image) {
    return ManifestParser.parseConfig(content.readAll(image.id()));
  }
}
