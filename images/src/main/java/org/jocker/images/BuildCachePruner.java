package org.jocker.images;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jocker.images.digest.Digest;
import org.jocker.images.gc.GcResult;
import org.jocker.images.snapshot.OverlaySnapshotter;

/**
 * `builder prune` (and the build cache's size limit): drops build cache records, least recently
 * used first, then collects what no image, container or remaining record needs. What an image in
 * the store uses is never freed: the GC keeps its layers whatever the records say.
 */
public final class BuildCachePruner {
  /**
   * @param all every record, not only those whose layers no image uses (Docker's "dangling" ones)
   * @param until only records last used before this (null: any)
   * @param keepBytes stop once the records left take at most this many bytes (negative: no limit)
   */
  public record Request(boolean all, Instant until, long keepBytes) {}

  /** The records removed (their keys) and the bytes the collection freed. */
  public record Report(List<String> removed, long bytesFreed) {
    public Report {
      removed = List.copyOf(removed);
    }
  }

  private final BuildCache cache;
  private final OverlaySnapshotter snapshots;
  private final ImageStorage storage;

  BuildCachePruner(BuildCache cache, OverlaySnapshotter snapshots, ImageStorage storage) {
    this.cache = cache;
    this.snapshots = snapshots;
    this.storage = storage;
  }

  Report prune(Request request, Set<Digest> pinned) {
    cache.removeLeftovers();
    List<BuildCache.Entry> entries = cache.list();
    Set<String> usedByImages = storage.chainsInUse();
    long total = 0;
    List<Long> sizes = new ArrayList<>();
    for (BuildCache.Entry e : entries) {
      long size = e.stack().topChainId().filter(snapshots::exists).map(c -> snapshots.usage(c).bytes()).orElse(0L);
      sizes.add(size);
      total += size;
    }
    List<String> removed = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) { // least recently used first
      BuildCache.Entry e = entries.get(i);
      if (request.keepBytes() >= 0 && total <= request.keepBytes()) {
        break;
      }
      boolean usedByImage = e.stack().topChainId().map(usedByImages::contains).orElse(false);
      if ((!request.all() && usedByImage) || (request.until() != null && !e.lastUsed().isBefore(request.until()))) {
        continue;
      }
      cache.remove(e.key());
      removed.add(e.key());
      total -= sizes.get(i);
    }
    GcResult gc = removed.isEmpty() ? new GcResult(List.of(), 0, 0) : storage.collectGarbage(pinned);
    // cache mounts hold no image's files: any prune not bounded by a size removes them
    long mountBytes = request.keepBytes() < 0 ? cache.mounts().remove(request.until()) : 0;
    return new Report(removed, gc.bytesFreed() + mountBytes);
  }
}
