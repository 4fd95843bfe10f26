package org.jocker.images.content;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import org.jocker.images.ImageException;
import org.jocker.images.digest.Digest;
import org.jocker.images.digest.DigestAlgorithm;
import org.jocker.images.digest.Digester;

/**
 * A blob being written: bytes go to a private temp file and are digested on the way. Nothing is
 * visible in the store until {@link #commit} has verified digest and size; closing without a
 * commit discards the temp file (or, for a resumable ingest, keeps it to go on from). A failed
 * commit always discards it.
 */
public final class Ingest extends OutputStream {
  private final ContentStore store;
  private final Path temp;
  private final FileChannel channel;
  private final OutputStream out;
  private final Digester digester;
  private boolean finished;

  private final boolean keepUncommitted;

  Ingest(ContentStore store, Path temp, DigestAlgorithm algorithm) throws IOException {
    this(store, temp, algorithm, false);
  }

  /**
   * @param keepUncommitted whether closing without a commit keeps the bytes so far (a partial
   *     download to resume); the file's existing bytes are then digested and written after
   */
  Ingest(ContentStore store, Path temp, DigestAlgorithm algorithm, boolean keepUncommitted) throws IOException {
    this.store = store;
    this.temp = temp;
    this.keepUncommitted = keepUncommitted;
    this.digester = new Digester(algorithm);
    this.channel = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.READ);
    if (keepUncommitted) {
      ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
      while (channel.read(buffer) >= 0) {
        buffer.flip();
        digester.update(buffer.array(), 0, buffer.limit());
        buffer.clear();
      }
    }
    this.out = Channels.newOutputStream(channel);
  }

  @Override
  public void write(int b) throws IOException {
    ensureOpen();
    out.write(b);
    digester.update(b);
  }

  @Override
  public void write(byte[] buffer, int offset, int length) throws IOException {
    ensureOpen();
    out.write(buffer, offset, length);
    digester.update(buffer, offset, length);
  }

  /** Bytes written so far. */
  public long size() {
    return digester.count();
  }

  /** The digest of the bytes written so far. */
  public Digest digest() {
    return digester.digest();
  }

  /** Commits under the digest of what was written, whatever it is. */
  public Digest commit() {
    return commit(digest(), -1);
  }

  /**
   * Fsyncs, checks the content against {@code expected} (and {@code expectedSize} unless it is
   * -1), and moves the blob into place. On a mismatch the temp file is deleted and nothing
   * becomes visible. Committing a blob the store already has is a no-op.
   */
  public Digest commit(Digest expected, long expectedSize) {
    Objects.requireNonNull(expected, "expected");
    ensureOpen();
    finished = true;
    try {
      channel.force(true);
      channel.close();
      if (expected.algorithm() != digester.algorithm()) {
        throw new ImageException("blob " + expected + ": ingest was digested with "
            + digester.algorithm() + ", cannot verify " + expected.algorithm());
      }
      if (expectedSize >= 0 && size() != expectedSize) {
        throw new ImageException("blob " + expected + ": size is " + size()
            + " bytes, expected " + expectedSize);
      }
      Digest actual = digest();
      if (!actual.equals(expected)) {
        throw new ImageException("blob " + expected + ": content does not match its digest (got "
            + actual + ")");
      }
      store.install(temp, expected);
      return expected;
    } catch (IOException e) {
      throw new ImageException("blob " + expected + ": cannot commit: " + e.getMessage(), e);
    } finally {
      deleteTemp();
    }
  }

  /** Discards the blob unless it was committed. */
  @Override
  public void close() {
    if (finished) {
      return;
    }
    finished = true;
    try {
      if (keepUncommitted) {
        channel.force(false); // what is kept must be what was digested, after a crash too
      }
      channel.close();
    } catch (IOException ignored) {
      // The temp file is deleted below; nothing of it can become visible.
    }
    if (!keepUncommitted) {
      deleteTemp();
    }
  }

  private void deleteTemp() {
    try {
      Files.deleteIfExists(temp);
    } catch (IOException ignored) {
      // A leftover is removed as stale the next time a store is opened after we exit.
    }
  }

  private void ensureOpen() {
    if (finished) {
      throw new IllegalStateException("ingest " + temp.getFileName() + " is already finished");
    }
  }
}
