package org.jocker.images;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.jocker.images.content.ContentStore;
import org.jocker.images.digest.Digest;
import org.jocker.images.layer.Compression;
import org.jocker.images.layer.FileSystemCalls;
import org.jocker.images.layer.LayerDigest;
import org.jocker.images.layer.LayerUnpacker;
import org.jocker.images.manifest.Descriptor;
import org.jocker.images.snapshot.OverlaySnapshotter;
import org.jocker.images.store.ChainId;

/**
 * One unpack of an image's layers into chain snapshots. Each layer whose chain snapshot is
 * missing gets an active snapshot of its own and is unpacked into it as soon as it is started (a
 * pull starts each as its blob arrives), up to one per core at a time; {@link #finish} waits for
 * all and commits them in order. Closing without finishing removes what was unpacked.
 */
final class ChainUnpack implements AutoCloseable {
  private final ContentStore content;
  private final OverlaySnapshotter snapshots;
  private final LayerUnpacker unpacker;
  private final FileSystemCalls calls;
  private final List<Descriptor> layers;
  private final List<Digest> diffIds;
  private final List<Digest> chain;
  private final IntConsumer unpacked;
  /** Layer index to the active snapshot it is unpacked into, for the layers that need it. */
  private final Map<Integer, String> extracting = new TreeMap<>();
  private final Map<Integer, Future<?>> running = new HashMap<>();
  private final ExecutorService pool;

  /**
   * @param parallelism how many layers are unpacked at a time
   * @param unpacked told the index of each layer once it is unpacked (from an unpack thread)
   */
  ChainUnpack(ContentStore content, OverlaySnapshotter snapshots, LayerUnpacker unpacker, FileSystemCalls calls,
      int parallelism, String image, List<Descriptor> layers, List<Digest> diffIds, IntConsumer unpacked) {
    if (layers.size() != diffIds.size()) {
      throw new ImageException("image " + image + ": " + layers.size() + " layers but "
          + diffIds.size() + " diff_ids");
    }
    this.content = content;
    this.snapshots = snapshots;
    this.unpacker = unpacker;
    this.calls = calls;
    this.layers = List.copyOf(layers);
    this.diffIds = List.copyOf(diffIds);
    this.chain = ChainId.chain(diffIds);
    this.unpacked = unpacked;
    for (int i = 0; i < layers.size(); i++) {
      if (!snapshots.exists(chain.get(i).toString())) {
        String active = "extract-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + "-" + i;
        snapshots.prepare(active, null);
        extracting.put(i, active);
      }
    }
    int threads = Math.max(1, Math.min(extracting.size(), parallelism));
    this.pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "unpack");
      t.setDaemon(true);
      return t;
    });
  }

  /** Whether layer {@code index} is to be unpacked (its chain snapshot is not there yet). */
  boolean needs(int index) {
    return extracting.containsKey(index);
  }

  /** Starts unpacking layer {@code index}, whose blob must be in the store; once only. */
  synchronized void start(int index) {
    String active = extracting.get(index);
    if (active == null || running.containsKey(index)) {
      return;
    }
    Path dir = snapshots.contentDir(active);
    running.put(index, pool.submit(() -> {
      unpackLayer(layers.get(index), diffIds.get(index), dir);
      unpacked.accept(index);
    }));
  }

  /**
   * Unpacks what was not started (the largest first: a big layer started last would leave the
   * other threads idle), waits for all, makes what they wrote durable and commits them in order;
   * returns the top chain ID.
   */
  Optional<String> finish() {
    extracting.keySet().stream()
        .sorted(Comparator.comparingLong((Integer i) -> layers.get(i).size()).reversed())
        .forEach(this::start);
    List<Future<?>> all;
    synchronized (this) {
      all = new ArrayList<>(running.values());
    }
    for (Future<?> f : all) {
      await(f);
    }
    if (!extracting.isEmpty()) {
      // what a committed snapshot holds must survive a power cut: one syncfs for all the layers
      calls.syncFileSystem(snapshots.contentDir(extracting.values().iterator().next()));
    }
    for (var e : extracting.entrySet()) {
      int i = e.getKey();
      String key = chain.get(i).toString();
      if (snapshots.exists(key)) {
        snapshots.remove(e.getValue()); // another unpack made it meanwhile
        continue;
      }
      try {
        snapshots.commit(key, e.getValue(), i == 0 ? null : chain.get(i - 1).toString());
      } catch (ImageException lost) {
        if (!snapshots.exists(key)) {
          throw lost;
        }
        snapshots.remove(e.getValue()); // another unpack committed it between our look and ours
      }
    }
    return layers.isEmpty() ? Optional.empty() : Optional.of(chain.get(chain.size() - 1).toString());
  }

  /** Stops unpacks still running and removes the active snapshots that were not committed. */
  @Override
  public void close() {
    pool.shutdownNow();
    // No unpack may write into a snapshot being removed: wait for them even when this thread was
    // interrupted (a pull cancelled because its client went away), and keep the interruption.
    boolean interrupted = Thread.interrupted();
    while (true) {
      try {
        pool.awaitTermination(1, TimeUnit.MINUTES);
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    try {
      for (String active : extracting.values()) {
        if (snapshots.exists(active)) {
          snapshots.remove(active); // (its lock file is a FileChannel: not while interrupted)
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void await(Future<?> f) {
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
