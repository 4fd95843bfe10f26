package org.jocker.runtime.launch;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.jocker.runtime.OciRuntimeException;
import org.jocker.runtime.kernel.Kernel;

/**
 * Talks to a container's monitor over its unix socket: one command, one reply line. The socket is
 * reached through /proc/self/fd/N/ of its directory, as the monitor binds it, because the full
 * path may not fit in a socket address.
 */
public final class MonitorClient {
  private final Kernel kernel;
  private final Path stateDir;

  public MonitorClient(Kernel kernel, Path stateDir) {
    this.kernel = kernel;
    this.stateDir = stateDir;
  }

  /** Releases the created container's user process; returns when it has been exec'd. */
  public void start() {
    String reply = request("start\n");
    if (!reply.equals("ok")) {
      throw new OciRuntimeException(reply.startsWith("error ") ? reply.substring(6) : reply);
    }
  }

  private String request(String command) {
    int dir = kernel.openPath(stateDir);
    Path socket = Path.of("/proc/self/fd/" + dir + "/monitor.sock");
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(socket));
      ch.write(ByteBuffer.wrap(command.getBytes(StandardCharsets.US_ASCII)));
      ch.shutdownOutput();
      ByteBuffer buf = ByteBuffer.allocate(65536);
      while (ch.read(buf) >= 0 && buf.hasRemaining()) {
        // read until the monitor closes
      }
      return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new OciRuntimeException("cannot reach the container's monitor in " + stateDir + ": "
          + e.getMessage(), e);
    } finally {
      kernel.close(dir);
    }
  }
}
