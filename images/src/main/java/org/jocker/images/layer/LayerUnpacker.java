package org.jocker.images.layer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.jocker.images.ImageException;

/**
 * Unpacks one layer tar (plain, gzip or zstd) into a directory in the overlay snapshot model:
 * whiteouts become 0:0 character devices and opaque markers the trusted.overlay.opaque xattr.
 * Streaming: decompression and hashing run on a second thread with a bounded buffer, so memory
 * stays constant whatever the layer size. Thread-safe; several layers may be unpacked in
 * parallel, each into its own directory.
 */
public final class LayerUnpacker {
  private final FileSystemCalls calls;

  public LayerUnpacker() {
    this(FileSystemCalls.linux());
  }

  public LayerUnpacker(FileSystemCalls calls) {
    this.calls = calls;
  }

  /** Unpacks {@code layer}, compression told by its first bytes, into the existing {@code target}. */
  public LayerDigest unpack(InputStream layer, Path target) {
    try {
      return unpackDecompressed(Compression.detectAndDecompress(layer), target);
    } catch (IOException e) {
      throw new ImageException("unpacking layer into " + target + ": " + e.getMessage(), e);
    }
  }

  /** Unpacks {@code layer}, compressed as its media type says, into the existing {@code target}. */
  public LayerDigest unpack(InputStream layer, Compression compression, Path target) {
    try {
      return unpackDecompressed(compression.decompress(layer), target);
    } catch (IOException e) {
      throw new ImageException("unpacking layer into " + target + ": " + e.getMessage(), e);
    }
  }

  private LayerDigest unpackDecompressed(InputStream tar, Path target) throws IOException {
    if (!Files.isDirectory(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      tar.close();
      throw new ImageException("unpack target " + target + " is not a directory");
    }
    try (BackgroundReader reader = BackgroundReader.start(tar, target.getFileName().toString())) {
      LayerWriter writer = new LayerWriter(target, calls);
      TarArchiveInputStream entries = new TarArchiveInputStream(reader);
      TarArchiveEntry entry;
      while ((entry = entries.getNextEntry()) != null) {
        writer.write(entry, entries);
      }
      writer.finish();
      BackgroundReader.Digest digest = reader.finish();
      return new LayerDigest(digest.digest(), digest.size());
    }
  }
}
