package org.jocker.images.registry;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * A blob download that survives a broken transfer: when reading fails part-way, the rest is asked
 * for with a Range request from where it broke off, up to the backoff's attempts in a row.
 */
final class ResumingBlobStream extends InputStream {
  /** Opens the blob again from a byte offset. */
  interface Reopener {
    BlobResponse open(long offset);
  }

  private final Reopener reopener;
  private final Backoff backoff;
  private InputStream current;
  private long position;
  private long end;

  ResumingBlobStream(BlobResponse first, Reopener reopener, Backoff backoff) {
    this.reopener = reopener;
    this.backoff = backoff;
    this.current = first.body();
    this.position = first.offset();
    this.end = first.length() < 0 ? -1 : first.offset() + first.length();
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    for (int failures = 0; ; ) {
      try {
        int n = current.read(buffer, offset, length);
        if (n < 0 && end >= 0 && position < end) {
          throw new IOException("unexpected EOF after " + position + " of " + end + " bytes");
        }
        if (n > 0) {
          position += n;
        }
        return n;
      } catch (IOException e) {
        if (++failures >= backoff.attempts()) {
          throw cutShort(e) ? new EOFException("unexpected EOF") : e;
        }
        closeCurrent();
        backoff.pause(failures);
        try {
          BlobResponse rest = reopener.open(position);
          current = rest.body();
          end = rest.length() < 0 ? end : position + rest.length();
        } catch (RegistryException again) {
          throw new IOException(again.getMessage(), again);
        }
      }
    }
  }

  /**
   * Whether the registry closed the connection before the body's end: java.net.http says so in
   * its own words ("fixed content-length: N, bytes received: M"), Docker in Go's.
   */
  private static boolean cutShort(IOException e) {
    return e instanceof EOFException || e.getMessage() != null && e.getMessage().startsWith("fixed content-length");
  }

  @Override
  public void close() throws IOException {
    current.close();
  }

  private void closeCurrent() {
    try {
      current.close();
    } catch (IOException ignored) {
      // replaced by the resumed transfer
    }
  }
}
