package org.jocker.images.archive;

import org.jocker.images.layer.Compression;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.jocker.images.ImageException;
import org.jocker.images.content.ContentStore;
import org.jocker.images.digest.Digest;

/**
 * What an image archive holds, read in one pass. Entry order is not guaranteed (manifest.json
 * may come last), so nothing is interpreted while reading: blobs and layer tars are committed to
 * the content store as they stream by, small metadata files are kept in memory, links are
 * remembered, and the readers resolve names afterwards.
 */
final class ArchiveContents {
  /** Metadata larger than this is not metadata; it is stored like a blob. */
  static final int MAX_IN_MEMORY = 8 * 1024 * 1024;
  private static final int MAX_LINK_DEPTH = 16;

  private final Map<String, byte[]> small = new HashMap<>();
  private final Map<String, StoredBlob> stored = new HashMap<>();
  private final Map<String, String> links = new HashMap<>();
  private final BlobIngester ingester;
  private final ContentStore content;

  private ArchiveContents(ContentStore content) {
    this.content = content;
    this.ingester = new BlobIngester(content);
  }

  /** Reads the whole tar (plain, gzip or zstd compressed, as docker load accepts). */
  static ArchiveContents read(InputStream archive, ContentStore content) {
    ArchiveContents contents = new ArchiveContents(content);
    try (InputStream tarStream = Compression.detectAndDecompress(archive);
        TarArchiveInputStream tar = new TarArchiveInputStream(tarStream)) {
      int entries = 0;
      for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
        contents.add(entry, tar);
        entries++;
      }
      if (entries == 0) {
        throw new ImageException("invalid archive: no entries (empty or not a tar archive)");
      }
    } catch (EOFException e) {
      throw truncated(e);
    } catch (IOException e) {
      String message = String.valueOf(e.getMessage());
      if (message.toLowerCase().contains("truncated")) {
        throw truncated(e);
      }
      throw new ImageException("invalid archive: " + message, e);
    }
    return contents;
  }

  private static ImageException truncated(IOException e) {
    return new ImageException("invalid archive: unexpected end of tar stream", e);
  }

  private void add(TarArchiveEntry entry, InputStream data) throws IOException {
    String name = normalise(entry.getName());
    if (name.isEmpty() || entry.isDirectory()) {
      return;
    }
    if (entry.isSymbolicLink()) {
      links.put(name, resolveRelative(name, entry.getLinkName()));
    } else if (entry.isLink()) {
      links.put(name, normalise(entry.getLinkName()));
    } else if (entry.isFile()) {
      if (isBlobLike(name) || entry.getSize() > MAX_IN_MEMORY) {
        try {
          stored.put(name, ingester.ingest(data, digestNamedBy(name), entry.getSize()));
        } catch (ImageException e) {
          throw new ImageException("invalid archive: " + name + ": " + e.getMessage(), e);
        }
      } else {
        small.put(name, data.readAllBytes());
      }
    }
  }

  /** Blobs of an OCI layout and layer tars go to the store; everything else is metadata. */
  private static boolean isBlobLike(String name) {
    return name.startsWith("blobs/") || name.endsWith(".tar") || name.endsWith(".tar.gz");
  }

  /** {@code blobs/<alg>/<hex>} names its digest; the blob is verified against it. */
  private static Digest digestNamedBy(String name) {
    String[] parts = name.split("/");
    if (parts.length == 3 && parts[0].equals("blobs")) {
      String text = parts[1] + ":" + parts[2];
      if (Digest.isDigest(text)) {
        return Digest.parse(text);
      }
    }
    return null;
  }

  boolean has(String name) {
    String target = follow(name);
    return small.containsKey(target) || stored.containsKey(target);
  }

  Set<String> names() {
    Set<String> all = new java.util.TreeSet<>(small.keySet());
    all.addAll(stored.keySet());
    all.addAll(links.keySet());
    return all;
  }

  /** The bytes of a metadata file (or a small stored blob); the error names the missing file. */
  byte[] bytes(String name) {
    String target = follow(name);
    byte[] data = small.get(target);
    if (data != null) {
      return data;
    }
    StoredBlob blob = stored.get(target);
    if (blob == null) {
      throw missing(name);
    }
    if (blob.size() > MAX_IN_MEMORY) {
      throw new ImageException("invalid archive: " + name + " is too large for a JSON document ("
          + blob.size() + " bytes)");
    }
    return content.readAll(blob.digest());
  }

  Optional<byte[]> optionalBytes(String name) {
    return has(name) ? Optional.of(bytes(name)) : Optional.empty();
  }

  /** The blob an entry was stored as; a small entry kept in memory is stored now. */
  StoredBlob blob(String name) {
    String target = follow(name);
    StoredBlob blob = stored.get(target);
    if (blob != null) {
      return blob;
    }
    byte[] data = small.get(target);
    if (data == null) {
      throw missing(name);
    }
    try {
      blob = ingester.ingest(new java.io.ByteArrayInputStream(data), digestNamedBy(target), data.length);
    } catch (IOException e) {
      throw new ImageException("invalid archive: " + name + ": " + e.getMessage(), e);
    }
    stored.put(target, blob);
    return blob;
  }

  /** The blob with this digest, as an OCI layout names it. */
  StoredBlob blob(Digest digest) {
    return blob("blobs/" + digest.algorithm().id() + "/" + digest.encoded());
  }

  private String follow(String name) {
    String current = normalise(name);
    for (int depth = 0; links.containsKey(current); depth++) {
      if (depth == MAX_LINK_DEPTH) {
        throw new ImageException("invalid archive: too many levels of links at " + name);
      }
      current = links.get(current);
    }
    return current;
  }

  private static ImageException missing(String name) {
    return new ImageException("invalid archive: " + name + " is missing");
  }

  /** Archive paths compare without "./", leading or doubled slashes. */
  static String normalise(String name) {
    String result = name.replace('\\', '/');
    while (result.startsWith("./") || result.startsWith("/")) {
      result = result.startsWith("./") ? result.substring(2) : result.substring(1);
    }
    result = result.replaceAll("/+", "/");
    return result.endsWith("/") ? result.substring(0, result.length() - 1) : result;
  }

  /** A symlink target is relative to the link's directory, as old docker save writes them. */
  private static String resolveRelative(String linkName, String target) {
    if (target.startsWith("/")) {
      return normalise(target);
    }
    int slash = linkName.lastIndexOf('/');
    java.util.Deque<String> parts = new java.util.ArrayDeque<>();
    if (slash >= 0) {
      for (String p : linkName.substring(0, slash).split("/")) {
        parts.addLast(p);
      }
    }
    for (String p : target.split("/")) {
      if (p.equals("..")) {
        if (!parts.isEmpty()) {
          parts.removeLast();
        }
      } else if (!p.isEmpty() && !p.equals(".")) {
        parts.addLast(p);
      }
    }
    return String.join("/", parts);
  }
}
