package org.jocker.images;

import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jocker.images.builtin.BuiltinBusybox;
import org.jocker.images.content.ContentStore;
import org.jocker.images.create.ImageAssembler;
import org.jocker.images.create.ImageCommitter;
import org.jocker.images.create.LayerWriter;
import org.jocker.images.digest.Digest;
import org.jocker.images.gc.GcResult;
import org.jocker.images.layer.Change;
import org.jocker.images.layer.LayerDiff;
import org.jocker.images.manifest.Document;
import org.jocker.images.manifest.ImageConfig;
import org.jocker.images.manifest.ImageManifest;
import org.jocker.images.reference.Reference;
import org.jocker.images.snapshot.Mount;
import org.jocker.images.snapshot.OverlaySnapshotter;
import org.jocker.images.snapshot.SnapshotInfo;
import org.jocker.images.snapshot.SnapshotKind;
import org.jocker.images.store.Image;
import org.jocker.images.store.ImageStore;

/**
 * Images as the engine and the CLI use them, over the stores: blobs (content/), image records
 * (images/), and layer snapshots (snapshots/), all under one root. Here is what containers need
 * of images: their root filesystems (an active snapshot on top of the image's committed layer
 * chain), diff, commit, export, disk usage and garbage collection. {@link #catalog()} finds and
 * names images; {@link #archives()} loads, saves and imports them.
 */
public final class ImageService {
  private final ContentStore content;
  private final ImageStore images;
  private final OverlaySnapshotter snapshots;
  private final ImageCatalog catalog;
  private final ImageArchives archives;
  private final ImageDocuments documents;
  private final ChainUnpacker unpacker;
  private final ImageStorage storage;
  private final ImagePulls pulls;
  private final ImagePushes pushes;
  private final BuildCache buildCache;

  private ImageService(ContentStore content, ImageStore images, OverlaySnapshotter snapshots, BuildCache buildCache) {
    this.content = content;
    this.images = images;
    this.snapshots = snapshots;
    this.catalog = new ImageCatalog(images);
    this.archives = new ImageArchives(content, images);
    this.documents = new ImageDocuments(content);
    this.unpacker = new ChainUnpacker(content, snapshots);
    this.buildCache = buildCache;
    this.storage = new ImageStorage(content, images, snapshots, documents, buildCache);
    this.pulls = new ImagePulls(content, images, unpacker);
    this.pushes = new ImagePushes(content, images);
  }

  public static ImageService open(Path root) {
    return new ImageService(ContentStore.open(root.resolve("content")), ImageStore.open(root.resolve("images")),
        new OverlaySnapshotter(root.resolve("snapshots")), new BuildCache(root.resolve("buildcache")));
  }

  /** Finding, listing and naming images. */
  public ImageCatalog catalog() {
    return catalog;
  }

  /** load, save and import. */
  public ImageArchives archives() {
    return archives;
  }

  /** pull from registries. */
  public ImagePulls pulls() {
    return pulls;
  }

  /** push to registries. */
  public ImagePushes pushes() {
    return pushes;
  }

  /** The build cache's records (kept by the GC while they exist). */
  public BuildCache buildCache() {
    return buildCache;
  }

  /**
   * `builder prune`: removes build cache records (all, or only those whose layers no image uses),
   * those last used before {@code until} when given, least recently used first, until what is left
   * takes at most {@code keepBytes} (when not negative); then frees what no image or record needs.
   */
  public BuildCachePruner.Report pruneBuildCache(BuildCachePruner.Request request, Set<Digest> pinned) {
    return new BuildCachePruner(buildCache, snapshots, storage).prune(request, pinned);
  }

  /** One `jocker build`'s access to layers and snapshots; close it when the build ends. */
  public ImageBuild build() {
    return new ImageBuild(content, images, snapshots, this);
  }

  /**
   * Removes the writable snapshots and views whose key starts with {@code prefix} (what a killed
   * build left); committed ones are GC's.
   */
  public void removeSnapshots(String prefix) {
    for (SnapshotInfo info : snapshots.list().reversed()) {
      if (info.key().startsWith(prefix) && info.kind() != SnapshotKind.COMMITTED) {
        snapshots.remove(info.key());
      }
    }
  }

  /** The layer snapshots underneath, for tests that look at them. */
  public OverlaySnapshotter snapshots() {
    return snapshots;
  }

  /** The image a reference or ID names, made on the spot if it is the built-in busybox. */
  public Image resolveOrProvide(String refOrId) {
    try {
      return images.resolve(refOrId);
    } catch (NotFoundException e) {
      if (Reference.isValid(refOrId) && BuiltinBusybox.provides(Reference.parse(refOrId))) {
        try (ContentStore.Lease lease = content.lease()) {
          return new BuiltinBusybox(new LayerWriter(content), new ImageAssembler(content, images)).build();
        }
      }
      throw e;
    }
  }

  /** Whether {@code refOrId} names an image here (or the built-in busybox, made when used). */
  public boolean hasLocally(String refOrId) {
    try {
      images.resolve(refOrId);
      return true;
    } catch (NotFoundException e) {
      return Reference.isValid(refOrId) && BuiltinBusybox.provides(Reference.parse(refOrId));
    }
  }

  public Document<ImageManifest> manifest(Image image) {
    return documents.manifest(image);
  }

  public Document<ImageConfig> config(Image image) {
    return documents.config(image);
  }

  /**
   * Makes sure every layer of the image is unpacked into a committed snapshot keyed by its chain
   * ID (a layer shared by several images is unpacked once), and returns the top chain ID.
   */
  public Optional<String> unpack(Image image) {
    return unpacker.unpack(image, manifest(image).value().layers(), config(image).value().diffIds());
  }

  /** A writable root filesystem for a container: an active snapshot on the image's layers. */
  public Mount prepareRootfs(String containerKey, Image image) {
    String top = unpack(image).orElse(null);
    return snapshots.prepare(containerKey, top);
  }

  /** The mount of a container's existing root filesystem snapshot. */
  public Mount rootfsMount(String containerKey) {
    return snapshots.mounts(containerKey);
  }

  public void removeRootfs(String containerKey) {
    if (snapshots.exists(containerKey)) {
      snapshots.remove(containerKey);
    }
  }

  /**
   * Removes blobs nothing references (keeping {@code pinned}), and committed snapshots that no
   * image needs and that have no children (containers' active snapshots are children). The bytes
   * freed count both.
   */
  public GcResult collectGarbage(Set<Digest> pinned) {
    return storage.collectGarbage(pinned);
  }

  /** `diff`: what a container changed in its root filesystem, against its image's layers. */
  public List<Change> changes(String containerKey) {
    return new LayerDiff().changes(snapshots.contentDir(containerKey), lowerDirs(containerKey));
  }

  /** The image layers under a container's writable layer, top first, from its overlay mount. */
  private List<Path> lowerDirs(String containerKey) {
    return snapshots.mounts(containerKey).lowerDirs();
  }

  /**
   * `commit`: the container's changes as a new layer on top of its image, with the image's config
   * changed by {@code changes} (Dockerfile instructions).
   */
  public Image commit(String containerKey, Image parent, List<String> changes, String message,
      String author, List<Reference> names) {
    try (ContentStore.Lease lease = content.lease()) {
      return new ImageCommitter(content, new ImageAssembler(content, images)).commit(
          snapshots.contentDir(containerKey), manifest(parent).value(), config(parent).value(), changes, message,
          author, names);
    }
  }

  /** `export`: a directory tree (a container's mounted root filesystem) as a tar stream, left open. */
  public void export(Path rootfs, OutputStream out) {
    new LayerDiff().writeTar(rootfs, out);
  }

  /** What images take on disk (every blob and layer snapshot), and what pruning could free. */
  public record DiskUsage(int images, int active, long bytes, long reclaimable) {}

  /** @param inUse the IDs of images that containers use: their blobs and layers stay */
  public DiskUsage diskUsage(Set<Digest> inUse) {
    return storage.diskUsage(inUse);
  }

  /** Bytes of a container's own writable layer. */
  public long rootfsBytes(String containerKey) {
    return snapshots.exists(containerKey) ? snapshots.usage(containerKey).bytes() : 0;
  }
}
