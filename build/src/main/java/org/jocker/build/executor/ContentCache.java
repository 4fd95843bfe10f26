package org.jocker.build.executor;

import java.time.Instant;
import java.util.Optional;
import org.jocker.images.BuildCache;
import org.jocker.images.ImageBuild;
import org.jocker.images.LayerStack;

/**
 * The content-addressed build cache behind {@link StepCache}: a step's key digest names a record
 * of the images' {@link BuildCache} holding the stack the step left. A record whose snapshot or
 * blobs are gone is dropped. With --no-cache nothing is looked up, but results are still recorded
 * for the next build (as BuildKit does).
 */
final class ContentCache implements StepCache {
  private final BuildCache records;
  private final ImageBuild layers;
  private final boolean lookups;

  ContentCache(BuildCache records, ImageBuild layers, boolean lookups) {
    this.records = records;
    this.layers = layers;
    this.lookups = lookups;
  }

  @Override
  public Optional<Hit> lookup(StepKey key) {
    if (!lookups) {
      return Optional.empty();
    }
    String digest = key.digest();
    Optional<BuildCache.Entry> entry = records.find(digest);
    if (entry.isPresent() && !layers.available(entry.get().stack())) {
      records.remove(digest); // its layers were collected
      return Optional.empty();
    }
    return entry.map(e -> new Hit(e.stack(), e.created()));
  }

  @Override
  public void record(StepKey key, LayerStack result, Instant created) {
    layers.retain(result);
    records.record(key.digest(), result, created);
  }
}
