package org.jocker.images;

import java.util.List;
import org.jocker.images.content.ContentStore;
import org.jocker.images.digest.Digest;
import org.jocker.images.manifest.Descriptor;
import org.jocker.images.pull.ImagePuller;
import org.jocker.images.pull.LayerProgress;
import org.jocker.images.pull.LayerState;
import org.jocker.images.pull.LayerUnpacking;
import org.jocker.images.pull.PullOptions;
import org.jocker.images.pull.PullProgress;
import org.jocker.images.pull.PulledImage;
import org.jocker.images.reference.Reference;
import org.jocker.images.registry.RegistryClient;
import org.jocker.images.store.ImageStore;

/**
 * {@code pull}: images from a registry into the stores, unpacked and ready to run; each layer is
 * unpacked as soon as its download is complete. What a pull stores is leased until its image is
 * registered, so a collection meanwhile keeps it.
 */
public final class ImagePulls {
  private final ContentStore content;
  private final ImageStore images;
  private final ChainUnpacker unpacker;

  ImagePulls(ContentStore content, ImageStore images, ChainUnpacker unpacker) {
    this.content = content;
    this.images = images;
    this.unpacker = unpacker;
  }

  /**
   * Pulls {@code reference} (every tag of its repository with {@code options.allTags()}) for
   * {@code caller}: the registry reached as the engine is configured, with the caller's
   * credentials.
   */
  public List<PulledImage> pull(Reference reference, PullOptions options, RegistryCaller caller,
      PullProgress progress) {
    return pull(reference, options, caller.access().client(caller.user()), progress);
  }

  /** Pulls {@code reference} through {@code registry} (tests give one of their own). */
  public List<PulledImage> pull(Reference reference, PullOptions options, RegistryClient registry,
      PullProgress progress) {
    try (ContentStore.Lease lease = content.lease()) {
      return new ImagePuller(registry, content, images).pull(reference, options, progress, this::begin);
    }
  }

  private LayerUnpacking.Unpack begin(String image, List<Descriptor> layers, List<Digest> diffIds,
      PullProgress progress) {
    ChainUnpack unpack = unpacker.begin(image, layers, diffIds,
        index -> progress.layer(LayerProgress.of(shortId(layers.get(index)), LayerState.PULL_COMPLETE)));
    return new LayerUnpacking.Unpack() {
      @Override
      public void stored(int index) {
        if (unpack.needs(index)) {
          progress.layer(LayerProgress.of(shortId(layers.get(index)), LayerState.EXTRACTING));
          unpack.start(index);
        }
      }

      @Override
      public void finish() {
        unpack.finish();
      }

      @Override
      public void close() {
        unpack.close();
      }
    };
  }

  private static String shortId(Descriptor layer) {
    return layer.digest().encoded().substring(0, 12);
  }
}
