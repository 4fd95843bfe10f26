package org.jocker.images.layer;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.jocker.images.ImageException;

/**
 * Reads (and so decompresses) a stream on a thread of its own into a small ring of reusable
 * chunks, so that decompression overlaps with the writing of files on the reader's thread. Memory
 * is bounded by {@code CHUNKS * CHUNK_SIZE}. The sha256 and size cover every byte of the source,
 * including what comes after the tar end-of-archive marker; they are computed as the reader takes
 * each chunk, since decompression is the slower side and the writer often waits for it.
 */
final class BackgroundReader extends InputStream {
  private static final int CHUNKS = 8;
  private static final int CHUNK_SIZE = 256 * 1024;

  private record Chunk(byte[] data, int length) {
    static final Chunk END = new Chunk(new byte[0], -1);
  }

  private final BlockingQueue<Chunk> full = new ArrayBlockingQueue<>(CHUNKS + 1);
  private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(CHUNKS);
  private final MessageDigest sha256;
  private final Thread producer;
  private volatile Throwable failure;
  private volatile boolean cancelled;
  private long size;
  private Chunk current;
  private int position;
  private boolean ended;

  /** The uncompressed stream's sha256 ("sha256:hex") and its size in bytes. */
  record Digest(String digest, long size) {}

  private BackgroundReader(InputStream source, String name) {
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    for (int i = 0; i < CHUNKS; i++) {
      free.add(new byte[CHUNK_SIZE]);
    }
    producer = Thread.ofPlatform().daemon().name("layer-read " + name).unstarted(() -> produce(source));
  }

  static BackgroundReader start(InputStream source, String name) {
    BackgroundReader reader = new BackgroundReader(source, name);
    reader.producer.start();
    return reader;
  }

  private void produce(InputStream source) {
    try (source) {
      while (!cancelled) {
        byte[] buffer = free.take();
        int length = source.readNBytes(buffer, 0, buffer.length);
        if (length == 0) {
          free.add(buffer);
          break;
        }
        full.put(new Chunk(buffer, length));
      }
    } catch (InterruptedException e) {
      failure = new InterruptedIOException("layer reading cancelled");
    } catch (Throwable t) {
      failure = t;
    } finally {
      full.add(Chunk.END); // never blocks: the queue has one slot more than there are chunks
    }
  }

  private boolean nextChunk() throws IOException {
    if (ended) {
      return false;
    }
    if (current != null) {
      free.add(current.data());
      current = null;
    }
    Chunk chunk;
    try {
      chunk = full.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while reading the layer");
    }
    if (chunk == Chunk.END) {
      ended = true;
      Throwable t = failure;
      if (t instanceof IOException io) {
        throw new IOException(io.getMessage(), io);
      } else if (t instanceof RuntimeException | t instanceof Error) {
        throw new IOException("reading the layer failed: " + t, t);
      } else if (t != null) {
        throw new IOException(t.getMessage(), t);
      }
      return false;
    }
    sha256.update(chunk.data(), 0, chunk.length());
    size += chunk.length();
    current = chunk;
    position = 0;
    return true;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    while (current == null || position == current.length()) {
      if (!nextChunk()) {
        return -1;
      }
    }
    int n = Math.min(len, current.length() - position);
    System.arraycopy(current.data(), position, b, off, n);
    position += n;
    return n;
  }

  /** Reads whatever is left (tar padding after the end marker) and returns the digest of it all. */
  Digest finish() throws IOException {
    while (nextChunk()) {
      // discard: only the digest needs it
    }
    return new Digest("sha256:" + HexFormat.of().formatHex(sha256.digest()), size);
  }

  @Override
  public void close() {
    if (!ended) {
      cancelled = true;
      producer.interrupt();
      try {
        while (nextChunk()) {
          // let the producer reach its end
        }
      } catch (IOException e) {
        // cancelled on purpose; the unpack error is what the caller reports
      }
    }
    try {
      producer.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImageException("interrupted while stopping the layer reader", e);
    }
  }
}
