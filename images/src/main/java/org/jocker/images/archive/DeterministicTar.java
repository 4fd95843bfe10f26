package org.jocker.images.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jocker.images.tar.EntryAttributes;
import org.jocker.images.tar.TarWriter;

/**
 * A tar written so the same images always give the same bytes: entries sorted by name, parent
 * directories made explicit, every time the epoch, owner root, modes 0644 and 0755. Entries are
 * collected first and written at {@link #writeTo}, streaming each file's content from its source.
 */
final class DeterministicTar {
  private static final FileTime EPOCH = FileTime.from(Instant.EPOCH);
  // The mode fields keep the file type bits save has always written (tar's own defaults).
  private static final EntryAttributes DIRECTORY = EntryAttributes.of(040755, EPOCH);
  private static final EntryAttributes FILE = EntryAttributes.of(0100644, EPOCH);

  /** Opens an entry's content; called once, while the entry is being written. */
  @FunctionalInterface
  interface Source {
    InputStream open() throws IOException;
  }

  private record FileEntry(long size, Source source) {}

  private final Map<String, FileEntry> files = new TreeMap<>();

  /** Adds a file; adding a name again keeps the first (blobs shared by images are one file). */
  void add(String name, long size, Source source) {
    files.putIfAbsent(name, new FileEntry(size, source));
  }

  void add(String name, byte[] bytes) {
    add(name, bytes.length, () -> new java.io.ByteArrayInputStream(bytes));
  }

  boolean contains(String name) {
    return files.containsKey(name);
  }

  void writeTo(OutputStream out) throws IOException {
    TarWriter tar = new TarWriter(out);
    TreeSet<String> names = new TreeSet<>(files.keySet());
    for (String name : files.keySet()) {
      for (int slash = name.indexOf('/'); slash >= 0; slash = name.indexOf('/', slash + 1)) {
        names.add(name.substring(0, slash + 1));
      }
    }
    for (String name : names) {
      FileEntry file = files.get(name);
      if (file == null) {
        tar.directory(name, DIRECTORY);
      } else {
        tar.file(name, file.size(), copyOf(file.source()), FILE);
      }
    }
    tar.finish();
  }

  private static TarWriter.Content copyOf(Source source) {
    return out -> {
      try (InputStream in = source.open()) {
        in.transferTo(out);
      }
    };
  }
}
