package org.jocker.images;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.Optional;
import java.util.Set;
import org.jocker.images.builtin.BuiltinBusybox;
import org.jocker.images.content.ContentStore;
import org.jocker.images.create.ConfigChanges;
import org.jocker.images.create.ImageAssembler;
import org.jocker.images.create.LayerBlob;
import org.jocker.images.create.LayerWriter;
import org.jocker.images.digest.Digest;
import org.jocker.images.gc.GarbageCollector;
import org.jocker.images.gc.GcResult;
import org.jocker.images.layer.Change;
import org.jocker.images.layer.Compression;
import org.jocker.images.layer.LayerDiff;
import org.jocker.images.layer.LayerDigest;
import org.jocker.images.layer.LayerUnpacker;
import org.jocker.images.manifest.Descriptor;
import org.jocker.images.manifest.Document;
import org.jocker.images.manifest.ImageConfig;
import org.jocker.images.manifest.ImageManifest;
import org.jocker.images.manifest.ManifestParser;
import org.jocker.images.reference.Reference;
import org.jocker.images.snapshot.Mount;
import org.jocker.images.snapshot.OverlaySnapshotter;
import org.jocker.images.snapshot.SnapshotInfo;
import org.jocker.images.snapshot.SnapshotKind;
import org.jocker.images.store.ChainId;
import org.jocker.images.store.Image;
import org.jocker.images.store.ImageStore;

/**
 * Images as the engine and the CLI use them, over the stores: blobs (content/), image records
 * (images/), and layer snapshots (snapshots/), all under one root. A container's root filesystem
 * is an active snapshot on top of its image's committed layer chain.
 */
public final class ImageService {
  private final ContentStore content;
  private final ImageStore images;
  private final OverlaySnapshotter snapshots;
  private final LayerUnpacker unpacker = new LayerUnpacker();

  private ImageService(ContentStore content, ImageStore images, OverlaySnapshotter snapshots) {
    this.content = content;
    this.images = images;
    this.snapshots = snapshots;
  }

  public static ImageService open(Path root) {
    return new ImageService(ContentStore.open(root.resolve("content")), ImageStore.open(root.resolve("images")),
        new OverlaySnapshotter(root.resolve("snapshots")));
  }

  public ContentStore content() {
    return content;
  }

  public ImageStore images() {
    return images;
  }

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

  public Document<ImageManifest> manifest(Image image) {
    return ManifestParser.parseImageManifest(content.readAll(image.manifestDigest()), null);
  }

  public Document<ImageConfig> config(Image image) {
    return ManifestParser.parseConfig(content.readAll(image.id()));
  }

  /**
   * Makes sure every layer of the image is unpacked into a committed snapshot keyed by its chain
   * ID (a layer shared by several images is unpacked once), and returns the top chain ID. Missing
   * layers are unpacked side by side, each into its own snapshot, then chained in order.
   */
  public Optional<String> unpack(Image image) {
    List<Descriptor> layers = manifest(image).value().layers();
    List<Digest> diffIds = config(image).value().diffIds();
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

  /** Unpacks the layers at the given indexes into their snapshots, up to one per core at a time. */
  private void unpackAll(List<Descriptor> layers, List<Digest> diffIds, Map<Integer, String> targets) {
    int threads = Math.max(1, Math.min(targets.size(), Runtime.getRuntime().availableProcessors()));
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "unpack");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<?>> running = new ArrayList<>();
      for (var e : targets.entrySet()) {
        Path dir = snapshots.contentDir(e.getValue());
        running.add(pool.submit(() -> unpackLayer(layers.get(e.getKey()), diffIds.get(e.getKey()), dir)));
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

  /** The chain IDs every image needs, i.e. the committed snapshots that must be kept. */
  private Set<String> chainsInUse() {
    Set<String> keep = new HashSet<>();
    for (Image image : images.list()) {
      try {
        ChainId.chain(config(image).value().diffIds()).forEach(d -> keep.add(d.toString()));
      } catch (ImageException e) {
        // an image whose config is gone keeps nothing
      }
    }
    return keep;
  }

  /**
   * Removes blobs nothing references (keeping {@code pinned}), and committed snapshots that no
   * image needs and that have no children (containers' active snapshots are children). The bytes
   * freed count both.
   */
  public GcResult collectGarbage(Set<Digest> pinned) {
    GcResult blobs = new GarbageCollector(content, images).collect(pinned);
    Set<String> keep = chainsInUse();
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
    return new GcResult(blobs.removed(), blobs.bytesFreed() + layerBytes, blobs.kept());
  }

  /** `diff`: what a container changed in its root filesystem, against its image's layers. */
  public List<Change> changes(String containerKey) {
    return new LayerDiff().changes(snapshots.contentDir(containerKey), lowerDirs(containerKey));
  }

  /** The image layers under a container's writable layer, top first, from its overlay mount. */
  private List<Path> lowerDirs(String containerKey) {
    List<Path> lowers = new ArrayList<>();
    for (String option : snapshots.mounts(containerKey).options()) {
      if (option.startsWith("lowerdir=")) {
        for (String dir : option.substring("lowerdir=".length()).split(":")) {
          lowers.add(Path.of(dir));
        }
      }
    }
    return lowers;
  }

  /**
   * `commit`: the container's changes as a new layer on top of its image, with the image's config
   * changed by {@code changes} (Dockerfile instructions).
   */
  public Image commit(String containerKey, Image parent, List<String> changes, String message,
      String author, List<Reference> names) {
    try (ContentStore.Lease lease = content.lease()) {
      return commitLayer(containerKey, parent, changes, message, author, names);
    }
  }

  private Image commitLayer(String containerKey, Image parent, List<String> changes, String message,
      String author, List<Reference> names) {
    LayerWriter writer = new LayerWriter(content);
    LayerDiff diff = new LayerDiff();
    Path upper = snapshots.contentDir(containerKey);
    LayerBlob layer = writer.writeStream(out -> diff.writeTar(upper, out));
    List<LayerBlob> layers = new ArrayList<>();
    ImageManifest manifest = manifest(parent).value();
    ImageConfig config = config(parent).value();
    for (int i = 0; i < manifest.layers().size(); i++) {
      Descriptor d = manifest.layers().get(i);
      layers.add(new LayerBlob(d.digest(), d.size(), d.mediaType(), config.diffIds().get(i)));
    }
    layers.add(layer);
    String now = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    List<ImageConfig.History> history = new ArrayList<>(config.history());
    history.add(new ImageConfig.History(now, "jocker commit", author, message, null));
    return new ImageAssembler(content, images).assemble(layers, ConfigChanges.apply(config.config(), changes),
        history, now, names);
  }

  /** What images take on disk (every blob and layer snapshot), and what pruning could free. */
  public record DiskUsage(int images, int active, long bytes, long reclaimable) {}

  /** @param inUse the IDs of images that containers use: their blobs and layers stay */
  public DiskUsage diskUsage(Set<Digest> inUse) {
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
        manifest(image).value().layers().forEach(l -> neededBlobs.add(l.digest()));
        ChainId.chain(config(image).value().diffIds()).forEach(c -> neededChains.add(c.toString()));
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
    return new DiskUsage(all.size(), active, blobs + layers, blobs + layers - neededBlobBytes - neededLayers);
  }

  /** Bytes of a container's own writable layer. */
  public long rootfsBytes(String containerKey) {
    return snapshots.exists(containerKey) ? snapshots.usage(containerKey).bytes() : 0;
  }

  public List<Image> list() {
    return new ArrayList<>(images.list());
  }
}
