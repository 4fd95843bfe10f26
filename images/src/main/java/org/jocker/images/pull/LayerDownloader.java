package org.jocker.images.pull;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.function.IntConsumer;
import org.jocker.images.concurrency.BoundedParallel;
import org.jocker.images.content.ContentStore;
import org.jocker.images.digest.Digest;
import org.jocker.images.manifest.Descriptor;

/**
 * Downloads an image's missing layers, a few at a time as Docker does (3), reporting each
 * layer's state. Layers the store already has are not fetched. The first failure cancels the
 * rest; what was committed stays for the garbage collector (or the next pull).
 */
final class LayerDownloader {
  static final int PARALLEL = 3;

  private final BlobDownload download;
  private final ContentStore content;

  LayerDownloader(BlobDownload download, ContentStore content) {
    this.download = download;
    this.content = content;
  }

  /** @param stored told each layer index whose blob is in the store, as soon as it is */
  void downloadAll(String registry, String repository, List<Descriptor> layers, PullProgress progress,
      IntConsumer stored) {
    List<Descriptor> missing = new ArrayList<>();
    Set<Digest> seen = new HashSet<>();
    for (Descriptor layer : layers) {
      if (!seen.add(layer.digest())) {
        continue; // an image may repeat a layer: fetched once
      }
      if (content.reuse(layer.digest())) {
        progress.layer(LayerProgress.of(shortId(layer), LayerState.ALREADY_EXISTS));
        storedAt(layers, layer, stored);
      } else {
        missing.add(layer);
        progress.layer(LayerProgress.of(shortId(layer), LayerState.PULLING_FS_LAYER));
      }
    }
    for (int i = PARALLEL; i < missing.size(); i++) {
      progress.layer(LayerProgress.of(shortId(missing.get(i)), LayerState.WAITING));
    }
    List<Runnable> fetches = new ArrayList<>();
    for (Descriptor layer : missing) {
      fetches.add(() -> {
        fetch(registry, repository, layer, progress);
        storedAt(layers, layer, stored);
      });
    }
    BoundedParallel.runAll("pull", PARALLEL, fetches);
  }

  private void fetch(String registry, String repository, Descriptor layer, PullProgress progress) {
    String id = shortId(layer);
    download.fetch(registry, repository, layer,
        bytes -> progress.layer(new LayerProgress(id, LayerState.DOWNLOADING, bytes, layer.size())),
        () -> progress.layer(LayerProgress.of(id, LayerState.VERIFYING)));
    progress.layer(LayerProgress.of(id, LayerState.DOWNLOAD_COMPLETE));
  }

  /** Every index where the image has {@code layer} (an image may repeat one). */
  private static void storedAt(List<Descriptor> layers, Descriptor layer, IntConsumer stored) {
    for (int i = 0; i < layers.size(); i++) {
      if (layers.get(i).digest().equals(layer.digest())) {
        stored.accept(i);
      }
    }
  }

  static String shortId(Descriptor layer) {
    return layer.digest().encoded().substring(0, 12);
  }
}
