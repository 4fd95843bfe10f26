package org.jocker.images.create;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.jocker.images.content.ContentStore;
import org.jocker.images.content.Ingest;
import org.jocker.images.digest.Digest;
import org.jocker.images.digest.DigestAlgorithm;
import org.jocker.images.digest.DigestingOutputStream;
import org.jocker.images.manifest.MediaTypes;
import org.jocker.images.tar.TarWriter;

/**
 * Writes a new gzip layer into the content store while it is produced: the tar goes through a
 * digester (the diff ID) into gzip into an ingest (the blob digest), never whole in memory.
 */
public final class LayerWriter {
  /** Fills the tar; entries are written by the caller. */
  public interface Entries {
    void write(TarWriter tar) throws IOException;
  }

  /** Writes a whole uncompressed tar stream (e.g. a container's diff). */
  public interface TarStream {
    void write(OutputStream tar) throws IOException;
  }

  private final ContentStore content;

  public LayerWriter(ContentStore content) {
    this.content = content;
  }

  public LayerBlob write(Entries entries) {
    return writeStream(out -> {
      TarWriter tar = new TarWriter(out);
      entries.write(tar);
      tar.finish();
    });
  }

  public LayerBlob writeStream(TarStream tar) {
    try (Ingest ingest = content.ingest()) {
      DigestingOutputStream uncompressed;
      try (GZIPOutputStream gzip = new FastGzip(ingest);
          DigestingOutputStream digesting = new DigestingOutputStream(gzip, DigestAlgorithm.SHA256)) {
        uncompressed = digesting;
        tar.write(digesting);
      }
      Digest diffId = uncompressed.digest();
      long size = ingest.size();
      Digest blob = ingest.commit();
      return new LayerBlob(blob, size, MediaTypes.OCI_LAYER_GZIP, diffId);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write layer", e);
    }
  }

  /** gzip at a fast level: layers are written once per build, read once per unpack. */
  private static final class FastGzip extends GZIPOutputStream {
    FastGzip(OutputStream out) throws IOException {
      super(out, 64 * 1024);
      def.setLevel(Deflater.BEST_SPEED);
    }

    @Override
    public void close() throws IOException {
      finish(); // the ingest is committed by the caller: do not close it here
    }
  }
}
