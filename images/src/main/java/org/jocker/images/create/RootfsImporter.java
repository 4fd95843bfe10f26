package org.jocker.images.create;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.jocker.images.ImageException;
import org.jocker.images.content.ContentStore;
import org.jocker.images.content.Ingest;
import org.jocker.images.digest.Digest;
import org.jocker.images.layer.Compression;
import org.jocker.images.manifest.ImageConfig;
import org.jocker.images.manifest.MediaTypes;
import org.jocker.images.reference.Reference;
import org.jocker.images.store.Image;

/**
 * `import`: a root filesystem tarball (plain, gzip or zstd) becomes a one-layer image. The tar
 * is read entry by entry while it is stored, so that input that is not a tar is refused.
 */
public final class RootfsImporter {
  private final ContentStore content;
  private final ImageAssembler assembler;

  public RootfsImporter(ContentStore content, ImageAssembler assembler) {
    this.content = content;
    this.assembler = assembler;
  }

  public Image importTar(InputStream input, List<Reference> names, List<String> changes, String message) {
    ImageConfig.ContainerConfig config = ConfigChanges.apply(null, changes);
    LayerBlob layer;
    try (Ingest ingest = content.ingest()) {
      InputStream tarStream = Compression.detectAndDecompress(input);
      try (TarArchiveInputStream tar = new TarArchiveInputStream(new CopyingStream(tarStream, ingest))) {
        int entries = 0;
        while (tar.getNextEntry() != null) {
          entries++;
        }
        if (entries == 0) {
          throw new ImageException("import: the input is not a tar archive (or an empty one)");
        }
      }
      tarStream.transferTo(ingest); // the zero blocks after the last entry
      long size = ingest.size();
      Digest digest = ingest.commit();
      layer = new LayerBlob(digest, size, MediaTypes.OCI_LAYER, digest);
    } catch (IOException e) {
      throw new ImageException("import: not a valid tar archive: " + e.getMessage(), e);
    }
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    ImageConfig.History history = new ImageConfig.History(now, "import", null, message, null);
    return assembler.assemble(List.of(layer), config, List.of(history), now, names);
  }

  /** Writes every byte read (or skipped) to {@code copy}: the blob is exactly the input. */
  private static final class CopyingStream extends FilterInputStream {
    private final OutputStream copy;

    CopyingStream(InputStream in, OutputStream copy) {
      super(in);
      this.copy = copy;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        copy.write(b);
      }
      return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      int n = in.read(buf, off, len);
      if (n > 0) {
        copy.write(buf, off, n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      byte[] buf = new byte[(int) Math.min(n, 65536)];
      int read = read(buf, 0, buf.length);
      return Math.max(read, 0);
    }

    @Override
    public void close() {
      // the caller owns both streams
    }
  }

}
