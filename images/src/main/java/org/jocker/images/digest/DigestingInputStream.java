package org.jocker.images.digest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Digests what is read through it; {@link #digest()} covers the bytes read so far. */
public final class DigestingInputStream extends FilterInputStream {
  private final Digester digester;

  public DigestingInputStream(InputStream in, DigestAlgorithm algorithm) {
    super(in);
    this.digester = new Digester(algorithm);
  }

  @Override
  public int read() throws IOException {
    int b = in.read();
    if (b >= 0) {
      digester.update(b);
    }
    return b;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    int n = in.read(buffer, offset, length);
    if (n > 0) {
      digester.update(buffer, offset, n);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    // Skipped bytes must still be hashed, so read them.
    byte[] scratch = new byte[8192];
    long skipped = 0;
    while (skipped < n) {
      int r = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
      if (r < 0) {
        break;
      }
      skipped += r;
    }
    return skipped;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  @Override
  public synchronized void mark(int readlimit) {}

  @Override
  public synchronized void reset() throws IOException {
    throw new IOException("mark/reset not supported while digesting");
  }

  public Digest digest() {
    return digester.digest();
  }

  public long count() {
    return digester.count();
  }
}
