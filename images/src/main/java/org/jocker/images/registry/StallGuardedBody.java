package org.jocker.images.registry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A response body as an InputStream that gives up when the server sends nothing for {@code
 * stall}: java.net.http has no read timeout once headers are in, and a connection that goes
 * silent mid-blob would hang a pull for ever. A stall is an IOException, so a blob transfer
 * resumes from where it stopped. Reads one chunk ahead at most.
 */
final class StallGuardedBody extends InputStream implements Flow.Subscriber<List<ByteBuffer>> {
  private static final Object END = new Object();

  private final Duration stall;
  private final BlockingQueue<Object> chunks = new LinkedBlockingQueue<>();
  private volatile Flow.Subscription subscription;
  private Iterator<ByteBuffer> pending = List.<ByteBuffer>of().iterator();
  private ByteBuffer current;
  private boolean ended;
  private boolean closed;

  StallGuardedBody(Duration stall) {
    this.stall = stall;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    s.request(1);
  }

  @Override
  public void onNext(List<ByteBuffer> item) {
    chunks.add(item);
  }

  @Override
  public void onError(Throwable t) {
    chunks.add(t);
  }

  @Override
  public void onComplete() {
    chunks.add(END);
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    while (current == null || !current.hasRemaining()) {
      if (pending.hasNext()) {
        current = pending.next();
        continue;
      }
      if (ended || closed) {
        return -1;
      }
      next();
    }
    int n = Math.min(length, current.remaining());
    current.get(buffer, offset, n);
    return n;
  }

  @SuppressWarnings("unchecked")
  private void next() throws IOException {
    Object item;
    try {
      item = chunks.poll(stall.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new IOException("interrupted", e);
    }
    if (item == null) {
      close();
      throw new IOException("no data from the registry for " + stall.toSeconds() + "s");
    }
    if (item == END) {
      ended = true;
    } else if (item instanceof Throwable t) {
      ended = true;
      throw t instanceof IOException io ? io : new IOException(t.getMessage(), t);
    } else {
      pending = ((List<ByteBuffer>) item).iterator();
      subscription.request(1);
    }
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      Flow.Subscription s = subscription;
      if (s != null && !ended) {
        s.cancel();
      }
    }
  }
}
