package org.jocker.images.gc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jocker.images.ImageException;
import org.jocker.images.content.ContentStore;
import org.jocker.images.digest.Digest;
import org.jocker.images.manifest.Descriptor;
import org.jocker.images.manifest.Document;
import org.jocker.images.manifest.ImageIndex;
import org.jocker.images.manifest.ImageManifest;
import org.jocker.images.manifest.Manifest;
import org.jocker.images.manifest.ManifestParser;
import org.jocker.images.manifest.MediaTypes;
import org.jocker.images.store.Image;
import org.jocker.images.store.ImageStore;

/**
 * Mark and sweep over the content store. Roots are every image's index, manifest and config,
 * plus digests the caller pins (e.g. blobs a running container needs). From an index we reach
 * its manifests; from a manifest its config and layers. Every other blob is deleted, unless it
 * is younger than the grace period: a pull commits blobs before it records the image that
 * references them, and must not lose them to a collection running meanwhile.
 */
public final class GarbageCollector {
  /** Manifests and indexes are at most this big (registries refuse larger ones). */
  private static final long MAX_MANIFEST_SIZE = 4 * 1024 * 1024;
  public static final Duration DEFAULT_GRACE = Duration.ofMinutes(10);

  private final ContentStore content;
  private final ImageStore images;
  private final Duration grace;

  public GarbageCollector(ContentStore content, ImageStore images) {
    this(content, images, DEFAULT_GRACE);
  }

  public GarbageCollector(ContentStore content, ImageStore images, Duration grace) {
    this.content = Objects.requireNonNull(content, "content");
    this.images = Objects.requireNonNull(images, "images");
    this.grace = Objects.requireNonNull(grace, "grace");
  }

  /** Deletes every blob not reachable from the images or {@code extraRoots}. */
  public GcResult collect(Set<Digest> extraRoots) {
    return collect(extraRoots, Map.of());
  }

  /**
   * Like {@link #collect(Set)}, but a blob of {@code released} (the blobs of removed images, each
   * with the time its image was recorded) goes now despite the grace period, unless it was
   * written again after that time: then another writer may be about to record an image using it.
   */
  public GcResult collect(Set<Digest> extraRoots, Map<Digest, Instant> released) {
    // Holding the image store lock: no image can be added or removed between mark and sweep.
    return images.locked(() -> sweep(mark(extraRoots), released));
  }

  /** The blobs reachable from the images and {@code extraRoots}. */
  public Set<Digest> reachable(Set<Digest> extraRoots) {
    return images.locked(() -> mark(extraRoots));
  }

  private Set<Digest> mark(Set<Digest> extraRoots) {
    Set<Digest> marked = new HashSet<>();
    Deque<Node> work = new ArrayDeque<>();
    for (Image image : images.list()) {
      if (image.indexDigest() != null) {
        work.add(new Node(image.indexDigest(), MediaTypes.OCI_INDEX));
      }
      work.add(new Node(image.manifestDigest(), MediaTypes.OCI_MANIFEST));
      work.add(new Node(image.id(), MediaTypes.OCI_CONFIG));
    }
    for (Digest root : extraRoots) {
      work.add(new Node(root, null));
    }
    while (!work.isEmpty()) {
      Node node = work.poll();
      if (!marked.add(node.digest()) || !content.exists(node.digest())) {
        continue;
      }
      for (Descriptor child : children(node)) {
        work.add(new Node(child.digest(), child.mediaType()));
      }
    }
    return marked;
  }

  /** What a blob points at; nothing for configs, layers, and blobs that are not manifests. */
  private List<Descriptor> children(Node node) {
    String type = node.mediaType();
    boolean known = type != null && (MediaTypes.isIndex(type) || MediaTypes.isManifest(type));
    if (!known && (type != null || !mayBeManifest(node.digest()))) {
      return List.of();
    }
    Document<Manifest> doc;
    try {
      doc = ManifestParser.parseManifest(content.readAll(node.digest()), null);
    } catch (ImageException e) {
      if (known) {
        throw new ImageException("garbage collection stopped: " + e.getMessage(), e);
      }
      return List.of(); // A pinned blob that is not a manifest is a leaf.
    }
    List<Descriptor> children = new ArrayList<>();
    switch (doc.value()) {
      case ImageIndex index -> children.addAll(index.manifests());
      case ImageManifest manifest -> {
        children.add(manifest.config());
        children.addAll(manifest.layers());
      }
    }
    return children;
  }

  // Cheap sniff for pinned blobs of unknown type: small, and starts as a JSON object.
  private boolean mayBeManifest(Digest digest) {
    if (content.size(digest) > MAX_MANIFEST_SIZE) {
      return false;
    }
    try (InputStream in = content.open(digest)) {
      int b;
      do {
        b = in.read();
      } while (b == ' ' || b == '\n' || b == '\r' || b == '\t');
      return b == '{';
    } catch (IOException e) {
      return false;
    }
  }

  private GcResult sweep(Set<Digest> marked, Map<Digest, Instant> released) {
    List<Digest> removed = new ArrayList<>();
    long freed = 0;
    int kept = 0;
    Instant youngest = Instant.now().minus(grace);
    for (Digest digest : content.list()) {
      if (marked.contains(digest)) {
        kept++;
        continue;
      }
      try {
        var path = content.path(digest);
        Instant written = Files.getLastModifiedTime(path).toInstant();
        Instant recorded = released.get(digest);
        boolean releasedNow = recorded != null && !written.isAfter(recorded);
        if (written.isAfter(youngest) && !releasedNow) {
          kept++;
          continue;
        }
        long size = Files.size(path);
        if (content.delete(digest)) {
          removed.add(digest);
          freed += size;
        }
      } catch (NoSuchFileException e) {
        // Deleted by another collector meanwhile: nothing to do.
      } catch (IOException e) {
        throw new ImageException("blob " + digest + ": cannot collect: " + e.getMessage(), e);
      }
    }
    return new GcResult(removed, freed, kept);
  }

  private record Node(Digest digest, String mediaType) {}
}
