package org.jocker.cli.build;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jocker.cli.testing.CliTestBase;
import org.jocker.cli.testing.Jocker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ADD of an http URL on the real kernel, from a server of the test's own on 127.0.0.1: the file
 * named after the URL (or the destination), mode 0600, its mtime the Last-Modified, an archive not
 * extracted; fetched again each build and reused while its content is the same, or with --checksum
 * reused without a fetch; a wrong checksum, a 404 and a refused connection fail the build.
 */
class BuildAddUrlCliTest extends CliTestBase {
    /** 2001-09-09T01:46:40Z, as servers send it. */
  private static final String LAST_MODIFIED = "Sun, 09 Sep 2001 01:46:40 GMT";

  private ScratchBuilds builds;
  private HttpServer server;
  private final Map<String, byte[]> files = new ConcurrentHashMap<>();
  private final AtomicInteger requests = new AtomicInteger();

  @BeforeEach
  void serve() throws IOException {
    builds = new ScratchBuilds(jocker, tmp);
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::answer);
    server.start();
  }

  @AfterEach
  void stopServing() {
    server.stop(0);
  }

  private void answer(HttpExchange exchange) throws IOException {
    requests.incrementAndGet();
    byte[] body = files.get(exchange.getRequestURI().getPath());
    if (body == null) {
      exchange.sendResponseHeaders(404, -1);
    } else {
      if (!exchange.getRequestURI().getPath().contains("undated")) {
        exchange.getResponseHeaders().add("Last-Modified", LAST_MODIFIED);
      }
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
    exchange.close();
  }

  private String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  @Test
  void addDownloadsTheFileAndReusesTheStepWhileItsContentIsTheSame() throws IOException {
    files.put("/files/data.txt", "data one\n".getBytes(StandardCharsets.UTF_8));
    files.put("/files/undated", "no date\n".getBytes(StandardCharsets.UTF_8));
    Path tar = tmp.resolve("in.tgz");
    Files.createDirectories(tmp.resolve("tree"));
    Files.writeString(tmp.resolve("tree/inside"), "in\n");
    Jocker.tool(tmp.resolve("tree"), "tar", "-czf", tar.toString(), "inside");
    files.put("/files/archive.tgz", Files.readAllBytes(tar));
    Path context = builds.context("FROM scratch\nADD " + url("/files/data.txt") + " /d/\nADD " + url("/files/data.txt")
        + " /named\nADD " + url("/files/archive.tgz") + " " + url("/files/undated") + " /many/\n");

    String first = builds.buildId(context);
    Path root = builds.extract(first, "first");

    assertThat(Files.readString(root.resolve("d/data.txt"))).isEqualTo("data one\n");
    assertThat(Files.readString(root.resolve("named"))).isEqualTo("data one\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("d/data.txt"))))
        .isEqualTo("rw-------");
    assertThat(Files.getLastModifiedTime(root.resolve("d/data.txt")).toMillis()).isEqualTo(1_000_000_000_000L);
    assertThat(Files.getLastModifiedTime(root.resolve("many/undated")).toMillis()).isZero();
    // a remote archive is a file, not extracted
    assertThat(Files.readAllBytes(root.resolve("many/archive.tgz"))).isEqualTo(Files.readAllBytes(tar));
    assertThat(root.resolve("many/inside")).doesNotExist();

    int before = requests.get();
    Jocker.Result again = builds.build(context);
    assertThat(requests.get()).as("fetched again").isGreaterThan(before);
    assertThat(again.err()).containsPattern("#\\d+ CACHED");
    assertThat(builds.lastId()).isEqualTo(first);

    files.put("/files/data.txt", "data two\n".getBytes(StandardCharsets.UTF_8));
    Jocker.Result changed = builds.build(context);
    assertThat(changed.code()).as(changed.err()).isZero();
    assertThat(builds.lastId()).isNotEqualTo(first);
    assertThat(Files.readString(builds.extract(builds.lastId(), "changed").resolve("d/data.txt"))).isEqualTo("data two\n");
  }

  @Test
  void aChecksumIsTheKeyAndAMismatchFailsTheBuild() throws IOException {
    byte[] content = "pinned\n".getBytes(StandardCharsets.UTF_8);
    files.put("/pinned", content);
    Path context = builds.context("FROM scratch\nADD --checksum=" + sha256(content) + " " + url("/pinned") + " /p\n");

    String first = builds.buildId(context);
    int before = requests.get();
    Jocker.Result again = builds.build(context);

    assertThat(again.err()).containsPattern("#\\d+ CACHED");
    assertThat(requests.get()).as("no fetch for a step the checksum finds").isEqualTo(before);
    assertThat(builds.lastId()).isEqualTo(first);
    assertThat(Files.readString(builds.extract(first, "pinned").resolve("p"))).isEqualTo("pinned\n");

    String wrong = sha256("other".getBytes(StandardCharsets.UTF_8));
    Files.writeString(context.resolve("Dockerfile"), "FROM scratch\nADD --checksum=" + wrong + " " + url("/pinned") + " /p\n");
    Jocker.Result mismatch = builds.build(context);

    assertThat(mismatch.code()).isEqualTo(1);
    assertThat(mismatch.err()).contains("Dockerfile:2").contains(">>> ADD --checksum=")
        .endsWith("ERROR: failed to solve: digest mismatch for " + url("/pinned") + ": " + sha256(content)
            + " (expected: " + wrong + ")\n");
  }

  @Test
  void aMissingFileOrAClosedPortFailsWithOneLine() throws IOException {
    Path context = builds.context("FROM scratch\nADD " + url("/absent") + " /a\n");
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      closedPort = socket.getLocalPort();
    }
    Files.writeString(context.resolve("Dockerfile.refused"),
        "FROM scratch\nADD http://127.0.0.1:" + closedPort + "/x /x\n");

    Jocker.Result absent = builds.build(context);
    Jocker.Result refused = builds.build(context, "-f", context.resolve("Dockerfile.refused").toString());

    assertThat(absent.code()).isEqualTo(1);
    assertThat(absent.err()).contains("Dockerfile:2")
        .endsWith("ERROR: failed to solve: failed to load cache key: invalid response status 404\n");
    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.err()).contains("Dockerfile.refused:2").doesNotContain("Exception")
        .endsWith("ERROR: failed to solve: failed to load cache key: Get \"http://127.0.0.1:" + closedPort
            + "/x\": connect: connection refused\n");
  }

  private static String sha256(byte[] content) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
