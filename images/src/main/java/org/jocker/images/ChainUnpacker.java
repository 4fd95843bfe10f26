package org.jocker.images;

import java.util.List;
import java.util.Optional;
import java.util.function.IntConsumer;
import org.jocker.images.content.ContentStore;
import org.jocker.images.digest.Digest;
import org.jocker.images.layer.FileSystemCalls;
import org.jocker.images.layer.LayerUnpacker;
import org.jocker.images.manifest.Descriptor;
import org.jocker.images.snapshot.OverlaySnapshotter;
import org.jocker.images.store.Image;

/**
 * An image's layers as committed snapshots keyed by their chain IDs, so a layer shared by several
 * images is unpacked once. Missing layers are unpacked side by side, each into its own snapshot,
 * then chained in order (see {@link ChainUnpack}).
 */
final class ChainUnpacker {
  private final ContentStore content;
  private final OverlaySnapshotter snapshots;
  private final FileSystemCalls calls = FileSystemCalls.linux();
  private final LayerUnpacker unpacker = new LayerUnpacker(calls);
  private final int parallelism;

  /** Unpacks up to one layer per core at a time. */
  ChainUnpacker(ContentStore content, OverlaySnapshotter snapshots) {
    this(content, snapshots, Runtime.getRuntime().availableProcessors());
  }

  /** Unpacks up to {@code parallelism} layers at a time (1: one after the other). */
  ChainUnpacker(ContentStore content, OverlaySnapshotter snapshots, int parallelism) {
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism " + parallelism);
    }
    this.content = content;
    this.snapshots = snapshots;
    this.parallelism = parallelism;
  }

  /** Unpacks what is missing of {@code image}'s layers; returns the top chain ID (none without layers). */
  Optional<String> unpack(Image image, List<Descriptor> layers, List<Digest> diffIds) {
    try (ChainUnpack unpack = begin(image.shortId(), layers, diffIds, index -> {})) {
      return unpack.finish();
    }
  }

  /** An unpack whose layers are started one by one (as a pull stores them); close it. */
  ChainUnpack begin(String image, List<Descriptor> layers, List<Digest> diffIds, IntConsumer unpacked) {
    return new ChainUnpack(content, snapshots, unpacker, calls, parallelism, image, layers, diffIds, unpacked);
  }
}
