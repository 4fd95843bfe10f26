package org.jocker.images.registry;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongConsumer;

/**
 * {@code length} bytes of a file from {@code offset} as a request body of that length, telling
 * {@code sent} the bytes sent so far of the slice (from zero again when the request is retried).
 */
record FileSlice(Path file, long offset, long length, LongConsumer sent) {
  HttpRequest.BodyPublisher publisher() {
    return HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(this::open), length);
  }

  private InputStream open() {
    try {
      InputStream in = Files.newInputStream(file);
      in.skipNBytes(offset);
      return new Counting(in);
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + file, e);
    }
  }

  /** Ends after the slice's bytes and counts them for {@code sent}. */
  private final class Counting extends FilterInputStream {
    private long count;

    Counting(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      long left = length - count;
      if (left <= 0) {
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, left));
      if (n > 0) {
        count += n;
        sent.accept(count);
      }
      return n;
    }
  }
}
