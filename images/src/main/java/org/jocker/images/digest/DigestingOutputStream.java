package org.jocker.images.digest;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** Digests what is written through it; {@link #digest()} covers the bytes written so far. */
public final class DigestingOutputStream extends FilterOutputStream {
  private final Digester digester;

  public DigestingOutputStream(OutputStream out, DigestAlgorithm algorithm) {
    super(out);
    this.digester = new Digester(algorithm);
  }

  @Override
  public void write(int b) throws IOException {
    out.write(b);
    digester.update(b);
  }

  // FilterOutputStream would write byte by byte; pass whole buffers through.
  @Override
  public void write(byte[] buffer, int offset, int length) throws IOException {
    out.write(buffer, offset, length);
    digester.update(buffer, offset, length);
  }

  public Digest digest() {
    return digester.digest();
  }

  public long count() {
    return digester.count();
  }
}
