package org.jocker.images.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A tar written so the same images always give the same bytes: entries sorted by name, parent
 * directories made explicit, every time the epoch, owner root, modes 0644 and 0755. Entries are
 * collected first and written at {@link #writeTo}, streaming each file's content from its source.
 */
final class DeterministicTar {
  private static final FileTime EPOCH = FileTime.from(Instant.EPOCH);

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
    TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    TreeSet<String> names = new TreeSet<>(files.keySet());
    for (String name : files.keySet()) {
      for (int slash = name.indexOf('/'); slash >= 0; slash = name.indexOf('/', slash + 1)) {
        names.add(name.substring(0, slash + 1));
      }
    }
    for (String name : names) {
      FileEntry file = files.get(name);
      TarArchiveEntry entry = new TarArchiveEntry(name);
      entry.setModTime(EPOCH);
      entry.setIds(0, 0);
      if (file == null) {
        entry.setMode(TarArchiveEntry.DEFAULT_DIR_MODE);
        tar.putArchiveEntry(entry);
      } else {
        entry.setMode(TarArchiveEntry.DEFAULT_FILE_MODE);
        entry.setSize(file.size());
        tar.putArchiveEntry(entry);
        copy(name, file, tar);
      }
      tar.closeArchiveEntry();
    }
    tar.finish();
    tar.flush();
  }

  private static void copy(String name, FileEntry file, OutputStream tar) throws IOException {
    try (InputStream in = file.source().open()) {
      long copied = in.transferTo(tar);
      if (copied != file.size()) {
        // The tar header already promised the size; a different length would corrupt the archive.
        throw new IOException(name + ": wrote " + copied + " bytes, expected " + file.size());
      }
    }
  }
}
