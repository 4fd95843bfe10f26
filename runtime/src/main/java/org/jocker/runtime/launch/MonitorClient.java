package org.jocker.runtime.launch;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.jocker.runtime.OciRuntimeException;

/** Talks to a container's monitor over its unix socket: one command, one reply line. */
public final class MonitorClient {
  private final Path socket;

  public MonitorClient(Path stateDir) {
    this.socket = stateDir.resolve("monitor.sock");
  }

  /** Releases the created container's user process; returns when it has been exec'd. */
  public void start() {
    String reply = request("start\n");
    if (!reply.equals("ok")) {
      throw new OciRuntimeException(reply.startsWith("error ") ? reply.substring(6) : reply);
    }
  }

  private String request(String command) {
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
      throw new OciRuntimeException("cannot reach the container's monitor at " + socket + ": "
          + e.getMessage(), e);
    }
  }
}
