package org.jocker.images.archive;

import java.util.List;
import org.jocker.images.manifest.Document;
import org.jocker.images.manifest.ImageConfig;
import org.jocker.images.manifest.ImageManifest;
import org.jocker.images.reference.Reference;
import org.jocker.images.store.Image;

/** An image to save, read from the stores, with the tags it is saved under (maybe none). */
record SavedImage(Image image, Document<ImageManifest> manifest, Document<ImageConfig> config,
    List<Reference> tags) {

  SavedImage {
    tags = List.copyOf(tags);
  }
}
