package org.jocker.images.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jocker.images.ImageException;
import org.jocker.images.NotFoundException;
import org.jocker.images.digest.Digest;
import org.jocker.images.digest.DigestAlgorithm;
import org.jocker.kernel.Durable;
import org.jocker.kernel.LockFile;
import org.jocker.images.reference.Reference;

/**
 * Which images exist and which names point at them. Each image is a small JSON file
 * {@code <root>/images/<alg>/<hex>.json}; names live in {@code <root>/refs.json}. Every file is
 * replaced atomically, and every operation holds {@code <root>/images.lock}, so concurrent
 * jocker processes see and make whole changes only. Nothing is cached: each call reads the
 * files, so changes by other processes are seen at once.
 *
 * <p>A change of both an image file and the names (add, remove) is first written down as an
 * {@link Intent} in {@code <root>/intent.json}; whoever takes the lock next and finds it
 * finishes it before anything else. A process killed part-way thus leaves either no change
 * (killed before the intent was whole) or one the next command completes, never a nameless
 * image that was being added or removed.
 */
public final class ImageStore {
  /** The shortest ID prefix accepted, so a short name is not mistaken for an ID. */
  public static final int MIN_ID_PREFIX = 4;
  private static final Pattern ID_PREFIX = Pattern.compile("^(?:sha256:)?([0-9a-f]{" + MIN_ID_PREFIX + ",64})$");
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT);

  private final Path imagesDir;
  private final Path refsFile;
  private final Path lockFile;
  private final IntentLog intentLog;
  private Consumer<Step> afterStep = step -> {};

  /** The file writes of a change (see {@link #apply}); tests stop a change after one to act as a kill. */
  enum Step { INTENT_WRITTEN, RECORD_WRITTEN, RECORD_DELETED, NAMES_WRITTEN }

  private ImageStore(Path root) {
    this.imagesDir = root.resolve("images");
    this.refsFile = root.resolve("refs.json");
    this.lockFile = root.resolve("images.lock").toAbsolutePath().normalize();
    this.intentLog = new IntentLog(root.resolve("intent.json"));
  }

  /**
   * Opens (creating if needed) the store under {@code root}, deleting the temp files of writers
   * that are gone. It does not wait for the lock (a collection may hold it for long): a change a
   * killed process left is finished by the first call that takes the lock.
   */
  public static ImageStore open(Path root) {
    ImageStore store = new ImageStore(root.toAbsolutePath().normalize());
    try {
      Files.createDirectories(store.imagesDir);
      Durable.removeDeadTemps(store.refsFile.getParent());
      for (DigestAlgorithm algorithm : DigestAlgorithm.values()) {
        Durable.removeDeadTemps(store.imagesDir.resolve(algorithm.id()));
      }
    } catch (IOException e) {
      throw new ImageException("cannot open image store at " + root + ": " + e.getMessage(), e);
    }
    return store;
  }

  /** Records an image and points {@code names} at it (moving them from other images). */
  public Image add(Digest manifestDigest, Digest configDigest, Reference... names) {
    return add(null, manifestDigest, configDigest, List.of(names));
  }

  /**
   * As {@link #add(Digest, Digest, Reference...)}, also recording the index the manifest was
   * picked from. Adding an image again updates its manifest and index to the given ones.
   */
  public Image add(Digest indexDigest, Digest manifestDigest, Digest configDigest, List<Reference> names) {
    Objects.requireNonNull(manifestDigest, "manifestDigest");
    Objects.requireNonNull(configDigest, "configDigest");
    return locked(() -> {
      Instant added = readImage(configDigest).map(ImageFile::addedInstant).orElse(Instant.now());
      change(Intent.add(new ImageFile(configDigest.toString(), manifestDigest.toString(),
          indexDigest == null ? null : indexDigest.toString(), added.toString()),
          names.stream().map(Reference::toString).toList()));
      return get(configDigest);
    });
  }

  /** Points {@code target} at the image {@code source} resolves to, as {@code docker tag}. */
  public Image tag(String source, Reference target) {
    return locked(() -> {
      Image image = resolve(source);
      Map<String, String> refs = readRefs();
      refs.put(target.toString(), image.id().toString());
      writeRefs(refs);
      return get(image.id());
    });
  }

  public Image tag(String source, String target) {
    return tag(source, Reference.parse(target));
  }

  /** Removes the name; returns the image it pointed at, which stays even with no names left. */
  public Image untag(Reference reference) {
    return locked(() -> {
      Map<String, String> refs = readRefs();
      String id = refs.remove(reference.toString());
      if (id == null) {
        throw new NotFoundException("No such image: " + reference.familiar());
      }
      writeRefs(refs);
      return get(Digest.parse(id));
    });
  }

  /** Removes the image and every name pointing at it; returns what was removed. */
  public Image remove(Digest id) {
    return locked(() -> {
      Image image = get(id);
      change(Intent.remove(id.toString()));
      return image;
    });
  }

  /** Writes the intent down, applies it, and clears it: see the class comment. */
  private void change(Intent intent) {
    intentLog.write(intent);
    afterStep.accept(Step.INTENT_WRITTEN);
    apply(intent);
    intentLog.clear();
  }

  /** Applies an intent, whether none, some or all of its writes are done already. */
  private void apply(Intent intent) {
    if (intent.add() != null) {
      // The image file first, the names second, so no step in between names a missing image.
      writeImage(intent.add());
      afterStep.accept(Step.RECORD_WRITTEN);
      Map<String, String> refs = readRefs();
      boolean changed = false;
      for (String name : intent.names()) {
        changed |= !intent.add().id().equals(refs.put(name, intent.add().id()));
      }
      if (changed) {
        writeRefs(refs);
      }
      afterStep.accept(Step.NAMES_WRITTEN);
    } else {
      Digest id = Digest.parse(intent.remove());
      Map<String, String> refs = readRefs();
      if (refs.values().removeIf(v -> v.equals(intent.remove()))) {
        writeRefs(refs);
      }
      afterStep.accept(Step.NAMES_WRITTEN);
      try {
        Files.deleteIfExists(imageFile(id));
        Durable.syncDirectory(imageFile(id).getParent());
      } catch (IOException e) {
        throw new ImageException("image " + id + ": cannot remove: " + e.getMessage(), e);
      }
      afterStep.accept(Step.RECORD_DELETED);
    }
  }

  /** Finishes the change a killed (or failed) holder of the lock left written down. */
  private void finishLeftChange() {
    intentLog.read().ifPresent(intent -> {
      apply(intent);
      intentLog.clear();
    });
  }

  /** For tests: runs {@code hook} after each file write of a change; a hook that throws acts as a kill. */
  void afterEachStep(Consumer<Step> hook) {
    afterStep = Objects.requireNonNull(hook, "hook");
  }

  /** The image with this exact ID. */
  public Image get(Digest id) {
    return find(id).orElseThrow(() -> new NotFoundException("No such image: " + id));
  }

  public Optional<Image> find(Digest id) {
    return locked(() -> readImage(id).map(f -> toImage(f, readRefs())));
  }

  /**
   * Finds an image as Docker does: by full ID ({@code sha256:<hex>} or bare 64 hex), by
   * reference ({@code busybox}, {@code name:tag}, {@code name@digest}), by manifest or index
   * digest, then by unambiguous ID prefix of at least {@value #MIN_ID_PREFIX} hex characters.
   */
  public Image resolve(String refOrId) {
    Objects.requireNonNull(refOrId, "reference or ID");
    return locked(() -> {
      Map<String, String> refs = readRefs();
      List<Image> all = readAll(refs);
      String fullId = refOrId.matches("[0-9a-f]{64}") ? "sha256:" + refOrId : refOrId;
      if (Digest.isDigest(fullId)) {
        Digest digest = Digest.parse(fullId);
        for (Image image : all) {
          if (image.id().equals(digest)) {
            return image;
          }
        }
        for (Image image : all) {
          if (digest.equals(image.manifestDigest()) || digest.equals(image.indexDigest())) {
            return image;
          }
        }
      } else if (Reference.isValid(refOrId)) {
        Reference ref = Reference.parse(refOrId);
        String id = refs.get(ref.toString());
        if (id != null) {
          Optional<Image> image = readImage(Digest.parse(id)).map(f -> toImage(f, refs));
          if (image.isPresent()) {
            return image.get();
          }
        }
        if (ref.isDigested()) {
          Optional<Image> byDigest = byRepositoryDigest(all, ref);
          if (byDigest.isPresent()) {
            return byDigest.get();
          }
        }
      }
      var prefix = ID_PREFIX.matcher(refOrId);
      if (prefix.matches()) {
        List<Image> matches = all.stream()
            .filter(i -> i.id().algorithm() == DigestAlgorithm.SHA256
                && i.id().encoded().startsWith(prefix.group(1)))
            .toList();
        if (matches.size() == 1) {
          return matches.get(0);
        }
        if (matches.size() > 1) {
          throw new ImageException("image ID prefix " + refOrId + " is ambiguous: it matches "
              + matches.size() + " images");
        }
      }
      throw new NotFoundException("No such image: " + familiarOrRaw(refOrId));
    });
  }

  /** Every image, newest first. */
  public List<Image> list() {
    return locked(() -> readAll(readRefs()));
  }

  /**
   * Runs {@code action} holding the store lock, so that a caller (the garbage collector) sees
   * no image added or removed meanwhile. Re-entrant within a thread.
   */
  public <T> T locked(Supplier<T> action) {
    LockFile.Held held;
    try {
      Files.createDirectories(lockFile.getParent());
      held = LockFile.lock(lockFile);
    } catch (IOException e) {
      throw new ImageException("cannot lock " + lockFile + ": " + e.getMessage(), e);
    }
    try (held) {
      if (held.outermost()) {
        finishLeftChange();
      }
      return action.get();
    }
  }

  // name@digest not recorded as such: an image of that repository whose manifest or index is it.
  private static Optional<Image> byRepositoryDigest(List<Image> all, Reference ref) {
    return all.stream()
        .filter(i -> ref.digest().equals(i.manifestDigest()) || ref.digest().equals(i.indexDigest()))
        .filter(i -> i.references().stream().anyMatch(r -> r.name().equals(ref.name())))
        .findFirst();
  }

  private static String familiarOrRaw(String text) {
    return Reference.isValid(text) ? Reference.parse(text).familiar() : text;
  }

  private List<Image> readAll(Map<String, String> refs) {
    List<Image> images = new ArrayList<>();
    for (DigestAlgorithm algorithm : DigestAlgorithm.values()) {
      Path dir = imagesDir.resolve(algorithm.id());
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "*.json")) {
        for (Path entry : entries) {
          String hex = entry.getFileName().toString().replaceFirst("\\.json$", "");
          String id = algorithm.id() + ":" + hex;
          if (Digest.isDigest(id)) {
            readImage(Digest.parse(id)).ifPresent(f -> images.add(toImage(f, refs)));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + dir, e);
      }
    }
    images.sort(Comparator.comparing(Image::added).reversed().thenComparing(Image::id));
    return images;
  }

  private static Image toImage(ImageFile file, Map<String, String> refs) {
    List<Reference> names = new ArrayList<>();
    refs.forEach((name, id) -> {
      if (id.equals(file.id())) {
        names.add(Reference.parse(name));
      }
    });
    return new Image(Digest.parse(file.id()), Digest.parse(file.manifest()),
        file.index() == null ? null : Digest.parse(file.index()), file.addedInstant(), names);
  }

  private Path imageFile(Digest id) {
    return imagesDir.resolve(id.algorithm().id()).resolve(id.encoded() + ".json");
  }

  private Optional<ImageFile> readImage(Digest id) {
    try {
      return Optional.of(JSON.readValue(Files.readAllBytes(imageFile(id)), ImageFile.class));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new ImageException("image " + id + ": cannot read " + imageFile(id) + ": " + e.getMessage(), e);
    }
  }

  private void writeImage(ImageFile file) {
    Digest id = Digest.parse(file.id());
    try {
      Files.createDirectories(imageFile(id).getParent());
      Durable.write(imageFile(id), JSON.writeValueAsBytes(file));
    } catch (IOException e) {
      throw new ImageException("image " + id + ": cannot write: " + e.getMessage(), e);
    }
  }

  private Map<String, String> readRefs() {
    try {
      return new TreeMap<>(JSON.readValue(Files.readAllBytes(refsFile),
          new TypeReference<LinkedHashMap<String, String>>() {}));
    } catch (NoSuchFileException e) {
      return new TreeMap<>();
    } catch (IOException e) {
      throw new ImageException("cannot read " + refsFile + ": " + e.getMessage(), e);
    }
  }

  private void writeRefs(Map<String, String> refs) {
    try {
      Files.createDirectories(refsFile.toAbsolutePath().getParent());
      Durable.write(refsFile, JSON.writeValueAsBytes(new TreeMap<>(refs)));
    } catch (IOException e) {
      throw new ImageException("cannot write " + refsFile + ": " + e.getMessage(), e);
    }
  }

  /** The on-disk form of an image: digests as strings, so the file reads plainly. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record ImageFile(
      @JsonProperty("id") String id,
      @JsonProperty("manifest") String manifest,
      @JsonProperty("index") String index,
      @JsonProperty("added") String added) {

    Instant addedInstant() {
      return Instant.parse(added);
    }
  }

  @Override
  public String toString() {
    return "ImageStore[" + imagesDir.getParent() + "]";
  }
}
