package org.jocker.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine's socket calls against a JDK client on a real socket (descriptor passing needs the C client). */
class UnixSocketsTest {
  private static final MethodHandle CLOSE =
      NativeCalls.function("close", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

  @TempDir Path tmp;

  @Test
  void acceptsAClientAndTalksBothWays() throws Throwable {
    Path path = tmp.resolve("test.sock");
    int listener = UnixSockets.listen(path);
    try (SocketChannel client = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      assertThat(Files.exists(path)).isTrue();
      assertThat(UnixSockets.accept(listener)).as("nothing pending yet").isEqualTo(-1);

      client.connect(UnixDomainSocketAddress.of(path));
      assertThat(UnixSockets.awaitConnection(listener, 5_000)).isTrue();
      int socket = UnixSockets.accept(listener);
      try {
        assertThat(socket).isNotNegative();
        assertThat(UnixSockets.peerUid(socket)).isZero(); // the tests run as root

        client.write(ByteBuffer.wrap("hello".getBytes(StandardCharsets.US_ASCII)));
        UnixSockets.Received r = UnixSockets.receive(socket, 64);
        assertThat(new String(r.data(), StandardCharsets.US_ASCII)).isEqualTo("hello");
        assertThat(r.fds()).isEmpty();

        UnixSockets.send(socket, "world".getBytes(StandardCharsets.US_ASCII));
        ByteBuffer answer = ByteBuffer.allocate(5);
        while (answer.hasRemaining() && client.read(answer) >= 0) {}
        assertThat(new String(answer.array(), StandardCharsets.US_ASCII)).isEqualTo("world");

        UnixSockets.shutdown(socket);
        assertThat(client.read(ByteBuffer.allocate(1))).as("end of stream").isEqualTo(-1);
        assertThat(UnixSockets.receive(socket, 64).data()).isEmpty();
      } finally {
        close(socket);
      }
    } finally {
      close(listener);
    }
  }

  @Test
  void anOccupiedPathIsRefused() throws Exception {
    Path path = Files.createFile(tmp.resolve("taken.sock"));
    assertThatThrownBy(() -> UnixSockets.listen(path))
        .isInstanceOf(KernelException.class)
        .hasMessageStartingWith("bind " + path);
  }

  private static void close(int fd) throws Throwable {
    int _ = (int) CLOSE.invokeExact(fd);
  }
}
