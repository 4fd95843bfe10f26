package org.jocker.images;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jocker.images.builtin.BuiltinBusybox;
import org.jocker.images.content.ContentStore;
import org.jocker.images.create.ImageAssembler;
import org.jocker.images.create.LayerWriter;
import org.jocker.images.digest.Digest;
import org.jocker.images.gc.GarbageCollector;
import org.jocker.images.gc.GcResult;
import org.jocker.images.layer.Compression;
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
        return new BuiltinBusybox(new LayerWriter(content), new ImageAssembler(content, images)).build();
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
   * ID (a layer shared by several images is unpacked once), and returns the top chain ID.
   */
  public Optional<String> unpack(Image image) {
    List<Descriptor> layers = manifest(image).value().layers();
    List<Digest> diffIds = config(image).value().diffIds();
    if (layers.size() != diffIds.size()) {
      throw new ImageException("image " + image.shortId() + ": " + layers.size() + " layers but "
          + diffIds.size() + " diff_ids");
    }
    List<Digest> chain = ChainId.chain(diffIds);
    String parent = null;
    for (int i = 0; i < layers.size(); i++) {
      String key = chain.get(i).toString();
      if (!snapshots.exists(key)) {
        unpackLayer(layers.get(i), diffIds.get(i), key, parent);
      }
      parent = key;
    }
    return Optional.ofNullable(parent);
  }

  private void unpackLayer(Descriptor layer, Digest diffId, String chainKey, String parent) {
    String active = "extract-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    snapshots.prepare(active, parent);
    try (InputStream blob = content.open(layer.digest())) {
      Compression compression = Compression.ofMediaType(layer.mediaType())
          .orElseThrow(() -> new ImageException("layer " + layer.digest() + ": unknown media type "
              + layer.mediaType()));
      LayerDigest unpacked = unpacker.unpack(blob, compression, snapshots.contentDir(active));
      if (!unpacked.diffId().equals(diffId.toString())) {
        throw new ImageException("layer " + layer.digest() + ": content is " + unpacked.diffId()
            + ", not diff_id " + diffId);
      }
      if (snapshots.exists(chainKey)) {
        snapshots.remove(active); // another process unpacked it meanwhile
      } else {
        snapshots.commit(chainKey, active);
      }
    } catch (IOException e) {
      snapshots.remove(active);
      throw new UncheckedIOException("layer " + layer.digest(), e);
    } catch (RuntimeException e) {
      snapshots.remove(active);
      throw e;
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
   * image needs and that have no children (containers' active snapshots are children).
   */
  public GcResult collectGarbage(Set<Digest> pinned) {
    return collectGarbage(pinned, Map.of());
  }

  /**
   * Like {@link #collectGarbage(Set)}; the blobs of {@code released} (those of images just
   * removed, with the time each image was recorded) go now, not after the grace period.
   */
  public GcResult collectGarbage(Set<Digest> pinned, Map<Digest, Instant> released) {
    GcResult blobs = new GarbageCollector(content, images).collect(pinned, released);
    Set<String> keep = chainsInUse();
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
          snapshots.remove(s.key());
          removed = true;
        }
      }
    }
    return blobs;
  }

  /** Every blob an image is made of: its index, manifest, config and layers. */
  public Set<Digest> blobsOf(Image image) {
    Set<Digest> out = new HashSet<>(image.rootDigests());
    try {
      manifest(image).value().layers().forEach(l -> out.add(l.digest()));
    } catch (RuntimeException e) {
      // a missing or broken manifest names no layers
    }
    return out;
  }

  public List<Image> list() {
    return new ArrayList<>(images.list());
  }
}
