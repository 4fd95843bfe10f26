package org.jocker.images;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jocker.images.content.ContentStore;
import org.jocker.images.create.ImageAssembler;
import org.jocker.images.create.LayerBlob;
import org.jocker.images.create.LayerWriter;
import org.jocker.images.layer.FileSystemCalls;
import org.jocker.images.layer.LayerDiff;
import org.jocker.images.manifest.Descriptor;
import org.jocker.images.manifest.ImageConfig;
import org.jocker.images.manifest.ImageManifest;
import org.jocker.images.reference.Reference;
import org.jocker.images.snapshot.Mount;
import org.jocker.images.snapshot.OverlaySnapshotter;
import org.jocker.images.store.Image;
import org.jocker.images.store.ImageStore;

/**
 * What `jocker build` needs of images, for one build: the layers of a base image, writable
 * snapshots on a stack of layers (where a RUN runs or a COPY writes), each one's changes turned
 * into a layer (`commit`'s diff, whiteouts included) whose snapshot is committed under its chain
 * ID, and the final image. Everything it stores is under a lease until {@link #close}, so a
 * concurrent GC keeps it; close also removes the committed snapshots it made that no kept stack
 * (the image it built) needs, so a failed or interrupted build leaves no snapshot behind.
 */
public final class ImageBuild implements AutoCloseable {
  /** The attributes overlayfs keeps on what it copies up (origin, impure) or makes opaque. */
  private static final String OVERLAY_XATTRS = "trusted.overlay.";
  private static final String OPAQUE_XATTR = OVERLAY_XATTRS + "opaque";
  private final ContentStore content;
  private final ImageStore images;
  private final OverlaySnapshotter snapshots;
  private final ImageService service;
  private final ContentStore.Lease lease;
  private final FileSystemCalls calls = FileSystemCalls.linux();
  // a build's stages may run at the same time
  private final List<String> made = Collections.synchronizedList(new ArrayList<>());
  private final Set<String> kept = ConcurrentHashMap.newKeySet();

  ImageBuild(ContentStore content, ImageStore images, OverlaySnapshotter snapshots, ImageService service) {
    this.content = content;
    this.images = images;
    this.snapshots = snapshots;
    this.service = service;
    this.lease = content.lease();
  }

  /** The layers of {@code image}, unpacked into committed snapshots. */
  public LayerStack layersOf(Image image) {
    ImageManifest manifest = service.manifest(image).value();
    ImageConfig config = service.config(image).value();
    service.unpack(image);
    List<LayerStack.Layer> layers = new ArrayList<>();
    for (int i = 0; i < manifest.layers().size(); i++) {
      Descriptor d = manifest.layers().get(i);
      layers.add(new LayerStack.Layer(d.digest(), d.size(), d.mediaType(), config.diffIds().get(i)));
    }
    return new LayerStack(layers);
  }

  /** A new writable snapshot {@code key} on {@code parent}, and the mount that shows it. */
  public Mount prepare(String key, LayerStack parent) {
    return snapshots.prepare(key, parent.topChainId().orElse(null));
  }

  /** A new read-only snapshot {@code key} of {@code stack}: what a COPY --from reads. */
  public Mount view(String key, LayerStack stack) {
    return snapshots.view(key, stack.topChainId().orElse(null));
  }

  /**
   * The changes in writable snapshot {@code key} (unmounted) as a new layer on {@code parent}, its
   * snapshot committed under the new chain ID (or dropped when one exists already); empty, and the
   * snapshot dropped, when nothing changed (BuildKit keeps no empty layer either).
   *
   * @param recording called with the stack after the step ({@code parent} when nothing changed)
   *     once its layer is stored and before its snapshot is committed (the build cache's record):
   *     a build killed in between leaves a record whose snapshot is missing, which {@link
   *     #available} turns down, instead of a committed snapshot that nothing names
   */
  public Optional<LayerStack> commit(String key, LayerStack parent, Consumer<LayerStack> recording) {
    Path upper = snapshots.contentDir(key);
    if (isEmpty(upper)) {
      recording.accept(parent);
      snapshots.remove(key);
      return Optional.empty();
    }
    LayerDiff diff = new LayerDiff();
    LayerBlob blob = new LayerWriter(content).writeStream(out -> diff.writeTar(upper, out));
    LayerStack stack = parent.plus(new LayerStack.Layer(blob.digest(), blob.size(), blob.mediaType(), blob.diffId()));
    String chain = stack.topChainId().orElseThrow();
    recording.accept(stack);
    if (snapshots.exists(chain)) {
      snapshots.remove(key); // an earlier build made the same layer on the same parent
    } else {
      calls.syncFileSystem(upper); // a committed snapshot must survive a power cut
      snapshots.commit(chain, key);
      made.add(chain);
    }
    return Optional.of(stack);
  }

  /**
   * Removes from writable snapshot {@code key} (unmounted) the mount points a RUN's mounts made:
   * each of {@code paths} (in-root, absolute, clean) and then its parents, while they are an empty
   * directory or an empty file that this snapshot holds (what lower layers have stays visible), as
   * BuildKit drops its mount stubs. Never through a link: a path with one is left alone.
   */
  public void removeMountStubs(String key, List<String> paths) {
    Path upper = snapshots.contentDir(key);
    for (String path : paths) {
      Path entry = upper;
      for (String name : path.substring(1).split("/")) {
        if (!Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
          entry = null; // a link or a file on the way: not ours to walk
          break;
        }
        entry = entry.resolve(name);
      }
      while (entry != null && !entry.equals(upper) && isEmptyStub(entry)) {
        try {
          Files.delete(entry);
        } catch (IOException e) {
          break; // not empty after all, or gone: leave it
        }
        entry = entry.getParent();
      }
    }
  }

  /**
   * An empty file, or an empty directory with no attribute but overlay's bookkeeping of a copy-up
   * (a parent of a stub, /etc above /etc/hosts, has some); an opaque one hides the layers below.
   */
  private boolean isEmptyStub(Path entry) {
    try {
      BasicFileAttributes a = Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      return a.isDirectory() ? isEmpty(entry) && calls.xattrs(entry).keySet().stream()
          .allMatch(n -> n.startsWith(OVERLAY_XATTRS) && !n.equals(OPAQUE_XATTR))
          : a.isRegularFile() && a.size() == 0;
    } catch (IOException | UncheckedIOException e) {
      return false;
    }
  }

  /** Removes snapshot {@code key} if it exists (an unmounted writable one, or a view). */
  public void discard(String key) {
    if (snapshots.exists(key)) {
      snapshots.remove(key);
    }
  }

  /**
   * Registers the built image (config, manifest, record, names); its snapshots are kept.
   *
   * @param created the image's creation time (the build makes it that of its last step, so an
   *     unchanged rebuild gives the same image ID)
   */
  public Image assemble(LayerStack stack, ImageConfig.ContainerConfig config, List<ImageConfig.History> history,
      String created, List<Reference> names) {
    List<LayerBlob> blobs = stack.layers().stream()
        .map(l -> new LayerBlob(l.digest(), l.size(), l.mediaType(), l.diffId()))
        .toList();
    Image image = new ImageAssembler(content, images).assemble(blobs, config, history, created, names);
    keep(stack);
    return image;
  }

  /** Keeps the snapshots of {@code stack} when the build closes (the build cache recorded it). */
  public void retain(LayerStack stack) {
    keep(stack);
  }

  /** Whether a stack recorded earlier can still be built on: its snapshot and its blobs are here. */
  public boolean available(LayerStack stack) {
    return stack.topChainId().map(snapshots::exists).orElse(true)
        && stack.layers().stream().allMatch(l -> content.exists(l.digest()));
  }

  /** Tags an existing image (a build whose result is its base image unchanged). */
  public void tag(Image image, List<Reference> names) {
    for (Reference name : names) {
      service.catalog().tag(image.id().toString(), name.toString());
    }
  }

  private void keep(LayerStack stack) {
    kept.addAll(stack.chainIds());
  }

  private static boolean isEmpty(Path dir) {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + dir, e);
    }
  }

  /** Removes the snapshots this build made and no built image needs (top first), ends the lease. */
  @Override
  public void close() {
    try {
      List<String> madeNow;
      synchronized (made) {
        madeNow = List.copyOf(made);
      }
      for (String chain : madeNow.reversed()) {
        if (!kept.contains(chain)) {
          try {
            snapshots.remove(chain);
          } catch (ImageException e) {
            // another build stacked on it meanwhile: it is theirs now, and GC's later
          }
        }
      }
    } finally {
      lease.close();
    }
  }
}
