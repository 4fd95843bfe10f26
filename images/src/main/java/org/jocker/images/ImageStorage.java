package org.jocker.images;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jocker.images.content.ContentStore;
import org.jocker.images.digest.Digest;
import org.jocker.images.gc.GarbageCollector;
import org.jocker.images.gc.GcResult;
import org.jocker.images.snapshot.OverlaySnapshotter;
import org.jocker.images.snapshot.SnapshotInfo;
import org.jocker.images.snapshot.SnapshotKind;
import org.jocker.images.store.ChainId;
import org.jocker.images.store.Image;
import org.jocker.images.store.ImageStore;

/** What images take on disk (blobs and layer snapshots), and freeing what no image needs. */
final class ImageStorage {
  /** A partial download untouched this long is an abandoned pull's: a collection drops it. */
  static final Duration ABANDONED_PULL = Duration.ofHours(24);

  private final ContentStore content;
  private final ImageStore images;
  private final OverlaySnapshotter snapshots;
  private final ImageDocuments documents;
  private final BuildCache buildCache;

  ImageStorage(ContentStore content, ImageStore images, OverlaySnapshotter snapshots, ImageDocuments documents,
      BuildCache buildCache) {
    this.content = content;
    this.images = images;
    this.snapshots = snapshots;
    this.documents = documents;
    this.buildCache = buildCache;
  }

  /**
   * Removes blobs nothing references (keeping {@code pinned}), and committed snapshots that no
   * image needs and that have no children (containers' active snapshots are children). The bytes
   * freed count both. The build cache's records are roots too.
   */
  GcResult collectGarbage(Set<Digest> pinned) {
    Set<Digest> roots = new HashSet<>(pinned);
    roots.addAll(buildCache.blobs());
    GcResult blobs = new GarbageCollector(content, images).collect(roots);
    Set<String> keep = chainsInUse();
    keep.addAll(buildCache.chains());
    long layerBytes = 0;
    boolean removed = true;
    while (removed) { // a removed child may free its parent
      removed = false;
      List<SnapshotInfo> all = snapshots.list();
      Set<String> parents = new HashSet<>();
      all.forEach(s -> {
        if (s.parent() != null) {
          parents.add(s.parent());
        }
      });
      for (SnapshotInfo s : all) {
        if (s.kind() == SnapshotKind.COMMITTED && !keep.contains(s.key()) && !parents.contains(s.key())) {
          layerBytes += snapshots.usage(s.key()).bytes();
          snapshots.remove(s.key());
          removed = true;
        }
      }
    }
    long partialBytes = content.removePartialsOlderThan(Instant.now().minus(ABANDONED_PULL));
    return new GcResult(blobs.removed(), blobs.bytesFreed() + layerBytes + partialBytes, blobs.kept());
  }

  /** The chain IDs every image needs, i.e. the committed snapshots that must be kept. */
  Set<String> chainsInUse() {
    Set<String> keep = new HashSet<>();
    for (Image image : images.list()) {
      try {
        ChainId.chain(documents.config(image).value().diffIds()).forEach(d -> keep.add(d.toString()));
      } catch (ImageException e) {
        // an image whose config is gone keeps nothing
      }
    }
    return keep;
  }

  /** @param inUse the IDs of images that containers use: their blobs and layers stay */
  ImageService.DiskUsage diskUsage(Set<Digest> inUse) {
    long blobs = 0;
    for (Digest d : content.list()) {
      blobs += content.size(d);
    }
    long layers = 0;
    long neededLayers = 0;
    Set<String> neededChains = new HashSet<>();
    Set<Digest> neededBlobs = new HashSet<>();
    List<Image> all = images.list();
    for (Image image : all) {
      if (inUse.contains(image.id())) {
        neededBlobs.addAll(image.rootDigests());
        documents.manifest(image).value().layers().forEach(l -> neededBlobs.add(l.digest()));
        ChainId.chain(documents.config(image).value().diffIds()).forEach(c -> neededChains.add(c.toString()));
      }
    }
    for (SnapshotInfo s : snapshots.list()) {
      if (s.kind() == SnapshotKind.COMMITTED) {
        long bytes = snapshots.usage(s.key()).bytes();
        layers += bytes;
        neededLayers += neededChains.contains(s.key()) ? bytes : 0;
      }
    }
    long neededBlobBytes = 0;
    for (Digest d : neededBlobs) {
      neededBlobBytes += content.exists(d) ? content.size(d) : 0;
    }
    int active = (int) all.stream().filter(i -> inUse.contains(i.id())).count();
    return new ImageService.DiskUsage(all.size(), active, blobs + layers,
        blobs + layers - neededBlobBytes - neededLayers);
  }
}
