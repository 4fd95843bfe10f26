package org.jocker.images;

import java.util.List;
import org.jocker.images.content.ContentStore;
import org.jocker.images.manifest.Descriptor;
import org.jocker.images.pull.ImagePuller;
import org.jocker.images.pull.LayerProgress;
import org.jocker.images.pull.LayerState;
import org.jocker.images.pull.PullOptions;
import org.jocker.images.pull.PullProgress;
import org.jocker.images.pull.PulledImage;
import org.jocker.images.reference.Reference;
import org.jocker.images.registry.RegistryClient;
import org.jocker.images.store.Image;

/**
 * {@code pull}: images from a registry into the stores, unpacked and ready to run. What a pull
 * stores is leased until its image is registered, so a collection meanwhile keeps it.
 */
public final class ImagePulls {
  private final ContentStore content;
  private final ImagePuller puller;
  private final ImageDocuments documents;
  private final ChainUnpacker unpacker;

  ImagePulls(ContentStore content, ImagePuller puller, ImageDocuments documents, ChainUnpacker unpacker) {
    this.content = content;
    this.puller = puller;
    this.documents = documents;
    this.unpacker = unpacker;
  }

  /** Pulls {@code reference} (every tag of its repository with {@code options.allTags()}). */
  public List<PulledImage> pull(Reference reference, PullOptions options, PullProgress progress) {
    try (ContentStore.Lease lease = content.lease()) {
      return puller.pull(reference, options, progress, this::unpack);
    }
  }

  private void unpack(Image image, PullProgress progress) {
    List<Descriptor> layers = documents.manifest(image).value().layers();
    layers.forEach(l -> progress.layer(LayerProgress.of(shortId(l), LayerState.EXTRACTING)));
    unpacker.unpack(image, layers, documents.config(image).value().diffIds());
    layers.forEach(l -> progress.layer(LayerProgress.of(shortId(l), LayerState.PULL_COMPLETE)));
  }

  private static String shortId(Descriptor layer) {
    return layer.digest().encoded().substring(0, 12);
  }
}
