package org.jocker.images.content;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jocker.images.ImageException;
import org.jocker.images.NotFoundException;
import org.jocker.images.digest.Digest;
import org.jocker.images.digest.DigestAlgorithm;
import org.jocker.kernel.Durable;
import org.jocker.kernel.LockFile;

/**
 * Blobs addressed by their digest, as {@code <root>/blobs/<algorithm>/<hex>}. A blob becomes
 * visible only by an atomic rename of a fully written, fsynced and verified temp file from
 * {@code <root>/ingest/}, so at any crash the store holds either no blob or a whole verified
 * one. Several processes may share a store: ingest files are private to their writer, and
 * renames of identical content over each other are harmless.
 */
public final class ContentStore {
  private final Path root;
  private final Path blobs;
  private final Path ingest;
  private final Path leases;
  private final Path locks;
  private final Path partial;

  private ContentStore(Path root) {
    this.root = root;
    this.blobs = root.resolve("blobs");
    this.ingest = root.resolve("ingest");
    this.leases = root.resolve("leases");
    this.locks = root.resolve("locks");
    this.partial = root.resolve("partial");
  }

  /** Opens (creating if needed) the store under {@code root}, dropping ingests of dead writers. */
  public static ContentStore open(Path root) {
    ContentStore store = new ContentStore(root.toAbsolutePath().normalize());
    try {
      for (DigestAlgorithm algorithm : DigestAlgorithm.values()) {
        Files.createDirectories(store.blobs.resolve(algorithm.id()));
      }
      Files.createDirectories(store.ingest);
      Files.createDirectories(store.leases);
      Files.createDirectories(store.locks);
      Files.createDirectories(store.partial);
    } catch (IOException e) {
      throw new ImageException("cannot create content store at " + root + ": " + e.getMessage(), e);
    }
    store.removeStaleIngests();
    return store;
  }

  public Path root() {
    return root;
  }

  /** Starts writing a new sha256 blob; commit or close the result. */
  public Ingest ingest() {
    return ingest(DigestAlgorithm.SHA256);
  }

  public Ingest ingest(DigestAlgorithm algorithm) {
    try {
      return new Ingest(this, IngestFile.create(ingest), algorithm);
    } catch (IOException e) {
      throw new ImageException("cannot start ingest in " + ingest + ": " + e.getMessage(), e);
    }
  }

  /** Streams {@code content} into the store and commits it under {@code expected}. */
  public Digest put(InputStream content, Digest expected) {
    return put(content, expected, -1);
  }

  /** As {@link #put(InputStream, Digest)}, also checking the size; -1 means any size. */
  public Digest put(InputStream content, Digest expected, long expectedSize) {
    Objects.requireNonNull(expected, "expected");
    if (renew(expected)) {
      return expected;
    }
    try (Ingest writer = ingest(expected.algorithm())) {
      content.transferTo(writer);
      return writer.commit(expected, expectedSize);
    } catch (IOException e) {
      throw new ImageException("blob " + expected + ": cannot write: " + e.getMessage(), e);
    }
  }

  /** Stores {@code bytes} under their sha256 digest (for manifests and configs we make). */
  public Digest put(byte[] bytes) {
    Digest digest = Digest.sha256(bytes);
    return put(new ByteArrayInputStream(bytes), digest, bytes.length);
  }

  /**
   * True if the blob exists, and then it is renewed as a write of it would be: a writer that
   * will reference a blob it finds here (a pull skipping a layer) keeps it from a collection that
   * runs under its lease.
   */
  public boolean reuse(Digest digest) {
    return renew(digest);
  }

  /**
   * Waits for the right to fetch the blob: a writer that would download it (a pull) holds this
   * so that concurrent pulls of one blob, in this process or others, download it once; the
   * others find it stored when they get the lock. The locks are 256 files (by the digest's first
   * byte), never removed: a removed lock file could be held twice.
   */
  public LockFile.Held lockForFetch(Digest digest) {
    Path file = lockOf(digest.algorithm().id() + "-" + digest.encoded());
    try {
      return LockFile.lock(file);
    } catch (IOException e) {
      throw new ImageException("cannot lock " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * An ingest of {@code expected} that goes on from the bytes an earlier, interrupted one kept
   * ({@link Ingest#size()} says how many): closing it without a commit keeps what it has. Hold
   * {@link #lockForFetch} meanwhile: the partial file is one per digest.
   */
  public Ingest resumableIngest(Digest expected) {
    Path file = partial.resolve(expected.algorithm().id() + "-" + expected.encoded());
    try {
      if (!Files.exists(file)) {
        Files.createFile(file);
      }
      return new Ingest(this, file, expected.algorithm(), true);
    } catch (IOException e) {
      throw new ImageException("cannot resume ingest of " + expected + ": " + e.getMessage(), e);
    }
  }

  /**
   * Removes the partial downloads nobody went on with since {@code cutoff}, and returns their
   * bytes (a collection drops abandoned pulls' leftovers this way).
   */
  public long removePartialsOlderThan(Instant cutoff) {
    long freed = 0;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(partial)) {
      for (Path entry : entries) {
        try (LockFile.Held held = LockFile.tryLock(lockOf(entry.getFileName().toString())).orElse(null)) {
          if (held != null && Files.getLastModifiedTime(entry).toInstant().isBefore(cutoff)) {
            long size = Files.size(entry);
            Files.deleteIfExists(entry);
            freed += size;
          }
        } catch (NoSuchFileException gone) {
          // finished meanwhile
        }
      }
    } catch (IOException e) {
      throw new ImageException("cannot clean " + partial + ": " + e.getMessage(), e);
    }
    return freed;
  }

  public boolean exists(Digest digest) {
    return Files.isRegularFile(path(digest));
  }

  /** Where the blob lives, for readers that need a file; it may not exist. */
  public Path path(Digest digest) {
    return blobs.resolve(digest.algorithm().id()).resolve(digest.encoded());
  }

  public InputStream open(Digest digest) {
    try {
      return Files.newInputStream(path(digest));
    } catch (NoSuchFileException e) {
      throw notFound(digest);
    } catch (IOException e) {
      throw new ImageException("blob " + digest + ": cannot open: " + e.getMessage(), e);
    }
  }

  /** The whole blob; for small JSON blobs (manifests, configs), not layers. */
  public byte[] readAll(Digest digest) {
    try (InputStream in = open(digest)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new ImageException("blob " + digest + ": cannot read: " + e.getMessage(), e);
    }
  }

  public long size(Digest digest) {
    try {
      return Files.size(path(digest));
    } catch (NoSuchFileException e) {
      throw notFound(digest);
    } catch (IOException e) {
      throw new ImageException("blob " + digest + ": cannot stat: " + e.getMessage(), e);
    }
  }

  /** The fetch lock of the blob {@code <algorithm>-<hex>}. */
  private Path lockOf(String algorithmAndHex) {
    int dash = algorithmAndHex.indexOf('-');
    return locks.resolve(algorithmAndHex.substring(0, dash + 3) + ".lock");
  }

  /** Removes the blob; returns false when it was not there. */
  public boolean delete(Digest digest) {
    try {
      boolean deleted = Files.deleteIfExists(path(digest));
      if (deleted) {
        Durable.syncDirectory(path(digest).getParent());
      }
      return deleted;
    } catch (IOException e) {
      throw new ImageException("blob " + digest + ": cannot delete: " + e.getMessage(), e);
    }
  }

  /** Every committed blob. Files whose names are not digests are not blobs and are skipped. */
  public List<Digest> list() {
    List<Digest> result = new ArrayList<>();
    for (DigestAlgorithm algorithm : DigestAlgorithm.values()) {
      Path dir = blobs.resolve(algorithm.id());
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
        for (Path entry : entries) {
          String text = algorithm.id() + ":" + entry.getFileName();
          if (Digest.isDigest(text) && Files.isRegularFile(entry)) {
            result.add(Digest.parse(text));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + dir, e);
      }
    }
    result.sort(null);
    return result;
  }

  /**
   * True if the blob exists, and then its time is renewed: a writer storing a blob the store
   * already has is about to reference it, so a collection must see it as young (see leases).
   */
  private boolean renew(Digest digest) {
    try {
      Files.setLastModifiedTime(path(digest), FileTime.from(Instant.now()));
      return true;
    } catch (NoSuchFileException e) {
      return false; // absent, or collected meanwhile: the caller writes it
    } catch (IOException e) {
      throw new ImageException("blob " + digest + ": " + e.getMessage(), e);
    }
  }

  /** Moves a verified ingest file into place; called by {@link Ingest#commit}. */
  void install(Path verifiedTemp, Digest digest) throws IOException {
    Path target = path(digest);
    if (renew(digest)) {
      Files.deleteIfExists(verifiedTemp); // same digest, same bytes: keep the one in place
      return;
    }
    // rename(2) is atomic and replaces a blob another writer installed meanwhile with
    // identical bytes, so concurrent commits of one blob need no lock.
    Durable.rename(verifiedTemp, target);
  }

  private void removeStaleIngests() {
    removeStale(ingest);
  }

  /** Deletes the files of writers that are gone; returns the oldest mtime among the live ones. */
  private Optional<Instant> removeStale(Path dir) {
    Instant oldest = null;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        if (IngestFile.isStale(entry)) {
          Files.deleteIfExists(entry);
          continue;
        }
        try {
          Instant t = Files.getLastModifiedTime(entry).toInstant();
          oldest = oldest == null || t.isBefore(oldest) ? t : oldest;
        } catch (NoSuchFileException e) {
          // released meanwhile
        }
      }
    } catch (IOException e) {
      throw new ImageException("cannot clean " + dir + ": " + e.getMessage(), e);
    }
    return Optional.ofNullable(oldest);
  }

  /**
   * A lease: while it is held, garbage collection keeps every blob committed since it was taken,
   * so that a load, import or commit does not lose blobs it has stored but not yet named in an
   * image. A lease of a process that died no longer counts.
   */
  public Lease lease() {
    try {
      return new Lease(IngestFile.create(leases, ".lease"));
    } catch (IOException e) {
      throw new ImageException("cannot take a lease in " + leases + ": " + e.getMessage(), e);
    }
  }

  /** When the oldest live lease was taken; empty when nothing is being written. */
  public Optional<Instant> oldestLease() {
    return removeStale(leases);
  }

  /** Released by close. */
  public static final class Lease implements AutoCloseable {
    private final Path file;

    private Lease(Path file) {
      this.file = file;
    }

    @Override
    public void close() {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        // a lease left behind is dropped as stale once this process is gone
      }
    }
  }

  static NotFoundException notFound(Digest digest) {
    return new NotFoundException("blob " + digest + ": not found");
  }
}
