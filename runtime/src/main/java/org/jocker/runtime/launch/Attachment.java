package org.jocker.runtime.launch;

import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.jocker.runtime.OciRuntimeException;
import org.jocker.runtime.kernel.Kernel;

/**
 * A connection to a container's monitor that gets the container's output as it is written and
 * feeds its stdin (launcher/src/main/c/attach.c has the other end and the frame format). It ends
 * when the monitor does, that is when the container has exited and its exit status is on disk.
 */
public final class Attachment implements AutoCloseable {
  private static final int FRAME_MAX = 32768;
  private static final byte STDOUT = 1;
  private static final byte INPUT = 'i';
  private static final byte CLOSE_INPUT = 'c';
  private static final byte WINDOW_SIZE = 'w';
  private static final byte HANDLES_EXIT = 'x';

  private final SocketChannel channel;
  private final Object writeLock = new Object();

  private Attachment(SocketChannel channel) {
    this.channel = channel;
  }

  /** Attaches to the monitor whose socket is in stateDir (reached through /proc/self/fd, as it is bound). */
  public static Attachment open(Kernel kernel, Path stateDir) {
    int dir = kernel.openPath(stateDir);
    SocketChannel ch = null;
    try {
      ch = SocketChannel.open(StandardProtocolFamily.UNIX);
      ch.connect(UnixDomainSocketAddress.of(Path.of("/proc/self/fd/" + dir + "/monitor.sock")));
      ch.write(ByteBuffer.wrap("attach\n".getBytes(StandardCharsets.US_ASCII)));
      return new Attachment(ch);
    } catch (IOException e) {
      closeQuietly(ch);
      throw new OciRuntimeException("cannot attach to the container's monitor in " + stateDir + ": "
          + e.getMessage(), e);
    } finally {
      kernel.close(dir);
    }
  }

  /** Copies the output to out and err until the monitor ends; false if the connection broke first. */
  public boolean copyOutput(OutputStream out, OutputStream err) {
    ByteBuffer head = ByteBuffer.allocate(5).order(ByteOrder.LITTLE_ENDIAN);
    byte[] data = new byte[FRAME_MAX];
    try {
      while (true) {
        head.clear();
        if (!fill(head)) {
          return true;
        }
        byte stream = head.get(0);
        int len = head.getInt(1);
        ByteBuffer body = ByteBuffer.wrap(data, 0, Math.min(len, data.length));
        if (len > data.length || !fill(body)) {
          return false;
        }
        OutputStream target = stream == STDOUT ? out : err;
        target.write(data, 0, len);
        target.flush();
      }
    } catch (IOException e) {
      return false;
    }
  }

  /** Reads until buf is full: false at the end of the stream. */
  private boolean fill(ByteBuffer buf) throws IOException {
    while (buf.hasRemaining()) {
      if (channel.read(buf) < 0) {
        return false;
      }
    }
    return true;
  }

  /** Sends input for the container's stdin. */
  public void write(byte[] buf, int off, int len) throws IOException {
    for (int done = 0; done < len; ) {
      int n = Math.min(FRAME_MAX, len - done);
      send(INPUT, ByteBuffer.wrap(buf, off + done, n));
      done += n;
    }
  }

  /** Closes the container's stdin (not a terminal's: that one stays for the next client). */
  public void closeInput() throws IOException {
    send(CLOSE_INPUT, ByteBuffer.allocate(0));
  }

  /**
   * Tells the monitor that this caller deals with the container's exit itself (a foreground `run
   * --rm` removes it): while it is attached, the monitor does not run its exit command.
   */
  public void handleExit() {
    try {
      send(HANDLES_EXIT, ByteBuffer.allocate(0));
    } catch (IOException e) {
      throw new OciRuntimeException("cannot reach the container's monitor: " + e.getMessage(), e);
    }
  }

  /** Sets the container's terminal to the caller's window size. */
  public void resize(int rows, int columns) throws IOException {
    send(WINDOW_SIZE, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(rows).putInt(columns).flip());
  }

  private void send(byte type, ByteBuffer payload) throws IOException {
    ByteBuffer head = ByteBuffer.allocate(5).order(ByteOrder.LITTLE_ENDIAN).put(type).putInt(payload.remaining())
        .flip();
    synchronized (writeLock) {
      while (head.hasRemaining() || payload.hasRemaining()) {
        channel.write(new ByteBuffer[] {head, payload});
      }
    }
  }

  @Override
  public void close() {
    closeQuietly(channel);
  }

  private static void closeQuietly(SocketChannel ch) {
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException e) {
        // nothing left to do
      }
    }
  }
}
