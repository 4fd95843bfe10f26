package org.jocker.images.push;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.jocker.images.concurrency.BoundedParallel;
import org.jocker.images.digest.Digest;
import org.jocker.images.manifest.Descriptor;
import org.jocker.images.registry.RegistryWriter;
import org.jocker.images.registry.UploadSession;

/**
 * Gets an image's layers into the repository, a few at a time (3, as pulls): a layer the
 * repository has is skipped ({@code Layer already exists}); one that a repository of the same
 * registry is known to have is mounted from there ({@code Mounted from}); the others are
 * uploaded. Layers are reported top first, as Docker lists them. The first failure cancels the
 * rest.
 */
final class LayerUploader {
  static final int PARALLEL = 3;
  /** Progress is reported every this many bytes, not per buffer. */
  private static final long REPORT_EVERY = 256 << 10;

  private final RegistryWriter writer;
  private final BlobUpload upload;

  LayerUploader(RegistryWriter writer, BlobUpload upload) {
    this.writer = writer;
    this.upload = upload;
  }

  /** @param mountSource a repository of {@code registry} that may have the layers, or empty */
  void uploadAll(String registry, String repository, List<Descriptor> layers, Optional<String> mountSource,
      PushProgress progress) {
    Map<Digest, Descriptor> unique = new LinkedHashMap<>();
    for (Descriptor layer : layers.reversed()) {
      unique.putIfAbsent(layer.digest(), layer); // an image may repeat a layer: pushed once
    }
    List<Descriptor> todo = List.copyOf(unique.values());
    todo.forEach(layer -> progress.layer(LayerPushProgress.of(shortId(layer), PushState.PREPARING)));
    for (int i = PARALLEL; i < todo.size(); i++) {
      progress.layer(LayerPushProgress.of(shortId(todo.get(i)), PushState.WAITING));
    }
    List<Runnable> pushes = new ArrayList<>();
    for (Descriptor layer : todo) {
      pushes.add(() -> push(registry, repository, layer, mountSource, progress));
    }
    BoundedParallel.runAll("push", PARALLEL, pushes);
  }

  private void push(String registry, String repository, Descriptor layer, Optional<String> mountSource,
      PushProgress progress) {
    String id = shortId(layer);
    if (writer.blobExists(registry, repository, layer.digest())) {
      progress.layer(LayerPushProgress.of(id, PushState.ALREADY_EXISTS));
      return;
    }
    UploadSession session = null;
    if (mountSource.isPresent()) {
      Optional<UploadSession> fallback = writer.mount(registry, repository, layer.digest(), mountSource.get());
      if (fallback.isEmpty()) {
        progress.layer(new LayerPushProgress(id, PushState.MOUNTED, 0, 0, mountSource.get()));
        return;
      }
      session = fallback.get();
    }
    AtomicLong reported = new AtomicLong(-REPORT_EVERY);
    upload.upload(registry, repository, layer, session, sent -> {
      long last = reported.get();
      if (sent - last >= REPORT_EVERY || sent == layer.size() || sent < last) {
        reported.set(sent);
        progress.layer(new LayerPushProgress(id, PushState.PUSHING, sent, layer.size(), null));
      }
    });
    progress.layer(LayerPushProgress.of(id, PushState.PUSHED));
  }

  static String shortId(Descriptor layer) {
    return layer.digest().shortHex();
  }
}
