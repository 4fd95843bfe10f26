package org.jocker.images;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jocker.images.content.ContentStore;
import org.jocker.images.digest.Digest;
import org.jocker.images.layer.Compression;
import org.jocker.images.layer.FileSystemCalls;
import org.jocker.images.layer.LayerDigest;
import org.jocker.images.layer.LayerUnpacker;
import org.jocker.images.manifest.Descriptor;
import org.jocker.images.snapshot.OverlaySnapshotter;
import org.jocker.images.store.ChainId;
import org.jocker.images.store.Image;

/**
 * An image's layers as committed snapshots keyed by their chain IDs, so a layer shared by several
 * images is unpacked once. Missing layers are unpacked side by side, each into its own snapshot,
 * then chained in order.
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
    if (layers.size() != diffIds.size()) {
      throw new ImageException("image " + image.shortId() + ": " + layers.size() + " layers but "
          + diffIds.size() + " diff_ids");
    }
    List<Digest> chain = ChainId.chain(diffIds);
    Map<Integer, String> extracting = new TreeMap<>();
    for (int i = 0; i < layers.size(); i++) {
      if (!snapshots.exists(chain.get(i).toString())) {
        String active = "extract-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + "-" + i;
        snapshots.prepare(active, null);
        extracting.put(i, active);
      }
    }
    try {
      unpackAll(layers, diffIds, extracting);
      if (!extracting.isEmpty()) {
        // what a committed snapshot holds must survive a power cut: one syncfs for all the layers
        calls.syncFileSystem(snapshots.contentDir(extracting.values().iterator().next()));
      }
      for (var e : extracting.entrySet()) {
        int i = e.getKey();
        String key = chain.get(i).toString();
        if (snapshots.exists(key)) {
          snapshots.remove(e.getValue()); // another process unpacked it meanwhile
        } else {
          snapshots.commit(key, e.getValue(), i == 0 ? null : chain.get(i - 1).toString());
        }
      }
    } finally {
      for (String active : extracting.values()) {
        if (snapshots.exists(active)) {
          snapshots.remove(active);
        }
      }
    }
    return layers.isEmpty() ? Optional.empty() : Optional.of(chain.get(chain.size() - 1).toString());
  }

  /**
   * Unpacks the layers at the given indexes into their snapshots, up to {@code parallelism} at a
   * time, the largest first: a big layer started last would leave the other threads idle.
   */
  private void unpackAll(List<Descriptor> layers, List<Digest> diffIds, Map<Integer, String> targets) {
    int threads = Math.max(1, Math.min(targets.size(), parallelism));
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "unpack");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<?>> running = new ArrayList<>();
      List<Integer> largestFirst = targets.keySet().stream()
          .sorted(Comparator.comparingLong((Integer i) -> layers.get(i).size()).reversed()).toList();
      for (int i : largestFirst) {
        Path dir = snapshots.contentDir(targets.get(i));
        running.add(pool.submit(() -> unpackLayer(layers.get(i), diffIds.get(i), dir)));
      }
      for (Future<?> f : running) {
        try {
          f.get();
        } catch (ExecutionException ex) {
          if (ex.getCause() instanceof RuntimeException re) {
            throw re;
          }
          throw new ImageException("unpack failed: " + ex.getCause(), ex.getCause());
        } catch (InterruptedException ex) {
          Thread.currentThread().interrupt();
          throw new ImageException("unpack interrupted", ex);
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private void unpackLayer(Descriptor layer, Digest diffId, Path target) {
    try (InputStream blob = content.open(layer.digest())) {
      Compression compression = Compression.ofMediaType(layer.mediaType())
          .orElseThrow(() -> new ImageException("layer " + layer.digest() + ": unknown media type "
              + layer.mediaType()));
      LayerDigest unpacked = unpacker.unpack(blob, compression, target);
      if (!unpacked.diffId().equals(diffId.toString())) {
        throw new ImageException("layer " + layer.digest() + ": content is " + unpacked.diffId()
            + ", not diff_id " + diffId);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("layer " + layer.digest(), e);
    }
  }
}
