package org.jocker.images.registry;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's {@code docker-registry} (the CNCF distribution registry) on 127.0.0.1 and a free
 * port, with a configuration and storage of the test's own; {@link #close()} stops it and removes
 * both. {@code extraConfig} is YAML added at the top level of the registry's config (an
 * {@code auth:} section); {@code tls} puts the given certificate and key on its listener.
 */
public final class RegistryServer implements AutoCloseable {
  private static final Path PROGRAM = Path.of("/usr/bin/docker-registry");

  private final Path dir;
  private final int port;
  private final Process process;

  private RegistryServer(Path dir, int port, Process process) {
    this.dir = dir;
    this.port = port;
    this.process = process;
  }

  /** Whether the registry is installed (scripts/install-deps installs it). */
  public static boolean installed() {
    return Files.isExecutable(PROGRAM);
  }

  /** A registry without authentication, over plain HTTP. */
  public static RegistryServer start() throws IOException {
    return start("", null);
  }

  /**
   * @param extraConfig YAML for the config's top level (e.g. an {@code auth:} section), or ""
   * @param tls certificate and key for https, or null for plain HTTP
   */
  public static RegistryServer start(String extraConfig, Tls tls) throws IOException {
    Path dir = Files.createTempDirectory("jocker-registry");
    int port = freePort();
    String config = "version: 0.1\n"
        + "log:\n  level: warn\n  accesslog:\n    disabled: true\n"
        + "storage:\n  filesystem:\n    rootdirectory: " + dir.resolve("storage") + "\n"
        + "  delete:\n    enabled: true\n"
        + "http:\n  addr: 127.0.0.1:" + port + "\n"
        + (tls == null ? "" : "  tls:\n    certificate: " + tls.certificate() + "\n    key: " + tls.key() + "\n"
            + (tls.clientCa() == null ? "" : "    clientcas:\n      - " + tls.clientCa() + "\n"))
        + extraConfig;
    Path configFile = dir.resolve("config.yml");
    Files.writeString(configFile, config);
    Process process = new ProcessBuilder(PROGRAM.toString(), "serve", configFile.toString())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("registry.log").toFile())
        .start();
    RegistryServer server = new RegistryServer(dir, port, process);
    try {
      server.awaitListening(Duration.ofSeconds(20));
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  /** The registry as references name it: {@code 127.0.0.1:PORT}. */
  public String host() {
    return "127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** Where the registry keeps its blobs and repositories (tests corrupt or inspect them). */
  public Path storage() {
    return dir.resolve("storage");
  }

  /** What the registry logged, for a failing test's message. */
  public String log() {
    try {
      return Files.readString(dir.resolve("registry.log"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private void awaitListening(Duration timeout) throws IOException {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IOException("docker-registry exited with " + process.exitValue() + ": " + log());
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
        return;
      } catch (IOException notYet) {
        sleep(50);
      }
    }
    throw new IOException("docker-registry did not listen on " + host() + " within " + timeout + ": " + log());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @Override
  public void close() throws IOException {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /**
   * A certificate (PEM, with its chain) and its key (PEM) for the registry's https listener; with
   * a {@code clientCa}, every client must show a certificate it signed.
   */
  public record Tls(Path certificate, Path key, Path clientCa) {
    public Tls(Path certificate, Path key) {
      this(certificate, key, null);
    }
  }
}
