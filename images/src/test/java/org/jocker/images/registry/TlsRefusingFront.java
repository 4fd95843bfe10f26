package org.jocker.images.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A plain-HTTP port in front of a JDK {@code HttpServer}, closing connections that open with a TLS
 * handshake. Clients try https before http on an insecure registry; Go's servers (the real
 * registry) refuse a TLS hello on a plain port at once, while the JDK's server waits for a request
 * line until the client's timeout. Every other connection is relayed byte for byte, both ways,
 * and each direction's end (or a cut) is passed on.
 */
final class TlsRefusingFront implements AutoCloseable {
  private static final int TLS_HANDSHAKE_RECORD = 0x16;

  private final ServerSocket listener;
  private final InetSocketAddress backend;

  private TlsRefusingFront(ServerSocket listener, InetSocketAddress backend) {
    this.listener = listener;
    this.backend = backend;
  }

  /** Listens on an ephemeral port of 127.0.0.1 and relays to {@code backend}. */
  static TlsRefusingFront start(InetSocketAddress backend) throws IOException {
    TlsRefusingFront front =
        new TlsRefusingFront(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), backend);
    Thread.ofPlatform().daemon().name("tls-refusing-front").start(front::acceptAll);
    return front;
  }

  int port() {
    return listener.getLocalPort();
  }

  private void acceptAll() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Thread.ofPlatform().daemon().name("tls-refusing-front-conn").start(() -> relay(client));
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void relay(Socket client) {
    try (client) {
      InputStream in = client.getInputStream();
      int first = in.read();
      if (first < 0 || first == TLS_HANDSHAKE_RECORD) {
        return;
      }
      try (Socket server = new Socket(backend.getAddress(), backend.getPort())) {
        server.getOutputStream().write(first);
        Thread upstream = Thread.ofPlatform().daemon().name("tls-refusing-front-up")
            .start(() -> pipe(in, server, client));
        pipe(server.getInputStream(), client, server);
        upstream.join();
      }
    } catch (IOException | InterruptedException ignored) {
      // the connection is gone; both sockets are closed on the way out
    }
  }

  /** Copies until {@code from} ends, then ends {@code to}'s output (or drops both on an error). */
  private static void pipe(InputStream from, Socket to, Socket source) {
    byte[] buffer = new byte[64 * 1024];
    try {
      OutputStream out = to.getOutputStream();
      for (int n; (n = from.read(buffer)) >= 0; ) {
        out.write(buffer, 0, n);
      }
      to.shutdownOutput();
    } catch (IOException broken) {
      closeQuietly(to);
      closeQuietly(source);
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  @Override
  public void close() {
    try {
      listener.close();
    } catch (IOException ignored) {
      // nothing more to release
    }
  }
}
