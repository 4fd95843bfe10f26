package org.jocker.engine;

import java.util.Arrays;
import org.jocker.engine.logs.LogSink;
import org.jocker.runtime.kernel.Kernel;

/**
 * The output of a container that keeps no log (`--log-driver none`) for a caller attached to it
 * (foreground `run`, `start -a`): its stdout and stderr are two pipes copied to the caller's sink
 * until the container and its monitor have closed them, as Docker's attach streams do without a log.
 */
final class DirectOutput implements AutoCloseable {
  private final Kernel kernel;
  private final Kernel.Pipe out;
  private final Kernel.Pipe err;
  private boolean writeEndsClosed;

  DirectOutput(Kernel kernel) {
    this.kernel = kernel;
    this.out = kernel.pipe();
    Kernel.Pipe e;
    try {
      e = kernel.pipe();
    } catch (RuntimeException ex) {
      kernel.close(out.readFd());
      kernel.close(out.writeFd());
      throw ex;
    }
    this.err = e;
  }

  /** The container's stdout descriptor. */
  int outFd() {
    return out.writeFd();
  }

  int errFd() {
    return err.writeFd();
  }

  /** Once the container is started: copies both pipes to the sink until both are closed. */
  void copyTo(LogSink sink) {
    closeWriteEnds(); // ours: EOF must come when the container's side closes
    Thread stderr = Thread.ofVirtual().start(() -> copy(err.readFd(), true, sink));
    copy(out.readFd(), false, sink);
    try {
      stderr.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void copy(int fd, boolean stderr, LogSink sink) {
    byte[] buf = new byte[16384];
    while (true) {
      int n;
      try {
        n = kernel.read(fd, buf, 0, buf.length);
      } catch (RuntimeException e) {
        return;
      }
      if (n <= 0) {
        return;
      }
      synchronized (this) {
        sink.write(stderr, Arrays.copyOf(buf, n));
      }
    }
  }

  private void closeWriteEnds() {
    if (!writeEndsClosed) {
      writeEndsClosed = true;
      kernel.close(out.writeFd());
      kernel.close(err.writeFd());
    }
  }

  @Override
  public void close() {
    closeWriteEnds();
    kernel.close(out.readFd());
    kernel.close(err.readFd());
  }
}
