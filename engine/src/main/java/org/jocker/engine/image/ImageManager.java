package org.jocker.engine.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jocker.engine.container.ContainerRecord;
import org.jocker.engine.container.ContainerStore;
import org.jocker.engine.EngineException;
import org.jocker.images.BuildCachePruner;
import org.jocker.images.ImageService;
import org.jocker.images.archive.ArchiveFormat;
import org.jocker.images.NotFoundException;
import org.jocker.images.digest.Digest;
import org.jocker.images.gc.GcResult;
import org.jocker.images.manifest.Descriptor;
import org.jocker.images.manifest.ImageConfig;
import org.jocker.images.manifest.ImageManifest;
import org.jocker.images.reference.Reference;
import org.jocker.images.store.Image;

/**
 * The image commands (images, inspect, history, tag, rmi, prune) as Docker behaves: an image a
 * container uses is not removed without force, and removing an image frees every blob and layer
 * snapshot that nothing else needs.
 */
public final class ImageManager {
  private final ImageService images;
  private final ContainerStore containers;
  private static final ObjectMapper JSON = new ObjectMapper();

  public ImageManager(ImageService images, ContainerStore containers) {
    this.images = images;
    this.containers = containers;
  }

  public Image find(String ref) {
    try {
      return images.catalog().resolve(ref);
    } catch (NotFoundException e) {
      throw EngineException.of(EngineException.Kind.NOT_FOUND, e, e.getMessage());
    }
  }

  public List<ImageSummary> list() {
    List<ImageSummary> out = new ArrayList<>();
    for (Image image : images.catalog().list()) {
      out.add(summary(image));
    }
    return out;
  }

  private ImageSummary summary(Image image) {
    ImageManifest manifest = images.manifest(image).value();
    long size = manifest.layers().stream().mapToLong(Descriptor::size).sum();
    List<String> refs = image.references().stream().filter(Reference::isTagged).map(Reference::familiar).toList();
    List<String> digests = image.references().stream().filter(Reference::isDigested)
        .map(r -> r.familiarName() + "@" + r.digest()).toList();
    return new ImageSummary(image.id().toString(), refs, digests, images.config(image).value().created(), size);
  }

  /** Docker's image inspect shape (the fields a user reads). */
  public ObjectNode inspect(String ref) {
    Image image = find(ref);
    ImageConfig config = images.config(image).value();
    ImageSummary s = summary(image);
    ObjectNode o = JSON.createObjectNode();
    o.put("Id", image.id().toString());
    o.set("RepoTags", JSON.valueToTree(s.references()));
    o.set("RepoDigests", JSON.valueToTree(s.digests()));
    o.put("Created", config.created());
    o.set("Config", JSON.valueToTree(config.config()));
    o.put("Architecture", config.architecture());
    o.put("Os", config.os());
    if (config.variant() != null) {
      o.put("Variant", config.variant());
    }
    o.put("Size", s.size());
    ObjectNode rootfs = o.putObject("RootFS");
    rootfs.put("Type", "layers");
    ArrayNode layers = rootfs.putArray("Layers");
    config.diffIds().forEach(d -> layers.add(d.toString()));
    ObjectNode metadata = o.putObject("Metadata");
    metadata.put("LastTagTime", image.added().toString());
    return o;
  }

  /** Newest step first, as Docker prints it. */
  public List<HistoryEntry> history(String ref) {
    Image image = find(ref);
    ImageConfig config = images.config(image).value();
    List<Descriptor> layers = images.manifest(image).value().layers();
    List<HistoryEntry> out = new ArrayList<>();
    int layer = 0;
    for (ImageConfig.History h : config.history()) {
      long size = -1;
      String id = "<missing>";
      if (!h.isEmptyLayer() && layer < layers.size()) {
        size = layers.get(layer).size();
        layer++;
      }
      out.add(new HistoryEntry(id, h.created(), h.createdBy(), size, h.comment()));
    }
    if (!out.isEmpty()) {
      HistoryEntry top = out.get(out.size() - 1);
      out.set(out.size() - 1, new HistoryEntry(image.id().toString(), top.created(), top.createdBy(),
          top.layerSize(), top.comment()));
    }
    return out.reversed();
  }

  public void tag(String source, String target) {
    if (!Reference.isValid(target)) {
      Reference.parse(target); // throws Docker's "invalid reference format" message
    }
    find(source);
    images.catalog().tag(source, target);
  }

  /**
   * rmi: untags the name; when no name is left (or an ID was given) deletes the image and what
   * only it used. Returns Docker's lines ("Untagged: ...", "Deleted: ...").
   */
  public List<String> remove(String ref, boolean force) {
    Image image = find(ref);
    List<String> lines = new ArrayList<>();
    boolean byId = image.references().stream().noneMatch(r -> matches(r, ref));
    List<ContainerRecord> users = containers.list().stream().filter(c -> c.image().equals(image.id().toString())).toList();
    if (!byId && image.references().size() > 1) {
      Reference r = Reference.parse(ref);
      images.catalog().untag(r);
      lines.add("Untagged: " + r.familiar());
      return lines;
    }
    if (!users.isEmpty() && !force) {
      throw EngineException.conflict("conflict: unable to delete " + (byId ? image.shortId() : ref)
          + " (must be forced) - image is being used by container " + users.get(0).id().substring(0, 12));
    }
    if (byId && image.references().size() > 1 && !force) {
      throw EngineException.conflict("conflict: unable to delete " + image.shortId()
          + " (must be forced) - image is referenced in multiple repositories");
    }
    for (Reference r : image.references()) {
      lines.add("Untagged: " + (r.isTagged() ? r.familiar() : r.familiarName() + "@" + r.digest()));
    }
    if (users.isEmpty()) {
      // One change of the store drops the names with the image: a kill leaves both or neither.
      images.catalog().remove(image.id());
      lines.add("Deleted: " + image.id());
      collect();
    } else {
      image.references().forEach(images.catalog()::untag); // a container keeps it, nameless, as Docker
    }
    return lines;
  }

  private static boolean matches(Reference r, String ref) {
    return Reference.isValid(ref) && r.equals(Reference.parse(ref));
  }

  /** image prune: dangling images (all unused ones with {@code all}); returns the IDs removed and bytes freed. */
  public PruneReport prune(boolean all) {
    Set<String> used = new HashSet<>();
    containers.list().forEach(c -> used.add(c.image()));
    List<String> deleted = new ArrayList<>();
    for (Image image : images.catalog().list()) {
      boolean dangling = image.references().isEmpty();
      if ((dangling || all) && !used.contains(image.id().toString())) {
        images.catalog().remove(image.id()); // with its names, in one change
        deleted.add(image.id().toString());
      }
    }
    GcResult gc = collect();
    return new PruneReport(deleted, gc.bytesFreed());
  }

  /** Frees blobs and layer snapshots that no image or container needs. */
  public GcResult collect() {
    return images.collectGarbage(containerPins());
  }

  /**
   * `builder prune`: removes build cache records as {@code request} says, then frees what no
   * image, container or remaining record needs.
   */
  public BuildCachePruner.Report pruneBuildCache(BuildCachePruner.Request request) {
    return images.pruneBuildCache(request, containerPins());
  }

  /** The blobs of the images containers use. */
  private Set<Digest> containerPins() {
    Set<Digest> pinned = new HashSet<>();
    for (ContainerRecord c : containers.list()) {
      try {
        images.catalog().find(Digest.parse(c.image())).ifPresent(i -> pinned.addAll(i.rootDigests()));
      } catch (RuntimeException e) {
        // a record naming no valid image pins nothing
      }
    }
    return pinned;
  }

  /** load: Docker's lines for each image loaded ("Loaded image: busybox:latest"). */
  public List<String> load(InputStream archive) {
    List<String> lines = new ArrayList<>();
    images.archives().load(archive).forEach(l -> lines.addAll(l.messages()));
    return lines;
  }

  public void save(List<String> refs, OutputStream out, ArchiveFormat format) {
    refs.forEach(this::find);
    images.archives().save(refs, out, format);
  }

  /** import: a rootfs tarball as a new image; returns its ID. */
  public String importTar(InputStream tar, String ref, List<String> changes, String message) {
    List<Reference> names = ref == null ? List.of() : List.of(Reference.parse(ref));
    return images.archives().importRootfs(tar, names, changes, message).id().toString();
  }

  public record PruneReport(List<String> deleted, long bytesFreed) {}
}
