package org.jocker.images.archive;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.jocker.images.content.ContentStore;
import org.jocker.images.content.Ingest;
import org.jocker.images.digest.Digest;
import org.jocker.images.digest.DigestAlgorithm;
import org.jocker.images.digest.Digester;
import org.jocker.images.layer.Compression;

/**
 * Streams one archive entry into the content store in a single pass: the raw bytes go to an
 * ingest while, for compressed bytes, a decompressor reading the same bytes feeds a second
 * digest, so a layer's diff_id is known without reading the blob back or holding it in memory.
 */
final class BlobIngester {
  private final ContentStore content;

  BlobIngester(ContentStore content) {
    this.content = content;
  }

  /**
   * Commits {@code in} (read to its end) under its own digest, or under {@code expected} when
   * not null, in which case a mismatch throws and nothing is stored.
   */
  StoredBlob ingest(InputStream in, Digest expected, long expectedSize) throws IOException {
    DigestAlgorithm algorithm = expected == null ? DigestAlgorithm.SHA256 : expected.algorithm();
    try (Ingest ingest = content.ingest(algorithm)) {
      BufferedInputStream buffered = new BufferedInputStream(in, 65536);
      Compression compression = Compression.sniff(buffered);
      Digest uncompressed = null;
      String problem = null;
      if (compression == Compression.NONE) {
        buffered.transferTo(ingest);
      } else {
        TeeInputStream tee = new TeeInputStream(buffered, ingest);
        try {
          uncompressed = digestOf(compression.decompress(tee));
        } catch (IOException e) {
          if (tee.failure != null) {
            throw tee.failure;
          }
          problem = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        // The decompressor may stop before the end (trailing bytes, or after an error); the
        // blob is every byte of the entry all the same.
        tee.transferTo(OutputStream.nullOutputStream());
      }
      Digest digest = expected == null ? ingest.commit() : ingest.commit(expected, expectedSize);
      if (compression == Compression.NONE && algorithm == DigestAlgorithm.SHA256) {
        uncompressed = digest;
      } else if (compression == Compression.NONE) {
        uncompressed = sha256Of(digest);
      }
      return new StoredBlob(digest, ingest.size(), compression, uncompressed, problem);
    }
  }

  private static Digest digestOf(InputStream in) throws IOException {
    Digester digester = Digester.sha256();
    byte[] buffer = new byte[65536];
    for (int n; (n = in.read(buffer)) >= 0; ) {
      digester.update(buffer, 0, n);
    }
    return digester.digest();
  }

  private Digest sha256Of(Digest stored) throws IOException {
    try (InputStream in = content.open(stored)) {
      return digestOf(in);
    }
  }

  /**
   * Copies what is read through it to {@code sink}, and remembers a failure of the source, so
   * that a truncated archive is not mistaken for a corrupt compressed layer.
   */
  private static final class TeeInputStream extends FilterInputStream {
    private final OutputStream sink;
    private IOException failure;

    TeeInputStream(InputStream in, OutputStream sink) {
      super(in);
      this.sink = sink;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n;
      try {
        n = in.read(buffer, offset, length);
      } catch (IOException e) {
        failure = e;
        throw e;
      }
      if (n > 0) {
        sink.write(buffer, offset, n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      // Skipped bytes belong to the blob too.
      int length = (int) Math.min(n, 65536);
      return Math.max(0, read(new byte[length], 0, length));
    }

    @Override
    public boolean markSupported() {
      return false;
    }
  }
}
