package org.jocker.cli.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jocker.cli.testing.Jocker;
import org.jocker.cli.testing.RegistryRig;
import org.jocker.images.digest.Digest;
import org.jocker.images.manifest.ManifestParser;
import org.jocker.images.registry.Htpasswd;
import org.jocker.images.registry.RegistryProxy;
import org.jocker.images.registry.RegistryPush;
import org.jocker.images.registry.RegistryServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `jocker pull` through the resident engine against registries that misbehave (Debian's
 * docker-registry behind a {@link RegistryProxy} that cuts blobs or serves other manifests; a
 * corrupted blob in its storage; wrong credentials; nobody listening; a server that never answers).
 * Each fault is one line on stderr and exit code 125, leaves the images listed as they were and
 * the content store verified, and the next pull (fault gone) completes. The engine runs with a
 * registry timeout of {@value #TIMEOUT_MILLIS} ms so the silent registry fails fast.
 */
class PullFaultsCliTest {
  private static final long TIMEOUT_MILLIS = 3000;
  private static final int CUT = 1_000_000;

  @TempDir static Path shared;
  private static RegistryRig rig;
  private static RegistryProxy proxy;
  private static Digest layer;
  private static String image;

  @TempDir Path tmp;
  private PulledStore store;

  @BeforeAll
  static void pushAndStartEngine() throws Exception {
    rig = RegistryRig.start(shared, "-Djocker.registry.timeout=" + TIMEOUT_MILLIS);
    proxy = rig.proxy();
    byte[] pushed = rig.push("big:v1", List.of(Map.of("etc/small", "small\n"), Map.of("noise", noise(3_000_000))));
    layer = ManifestParser.parseImageManifest(pushed, null).value().layers().get(1).digest();
    image = proxy.host() + "/big:v1";
  }

  @AfterAll
  static void stopAll() throws Exception {
    if (rig != null) {
      rig.close();
      assertThat(new Jocker(rig.root()).mountsLeft()).isEmpty();
    }
  }

  @BeforeEach
  void emptyRoot() {
    store = new PulledStore(rig.root());
    rig.engine().ok("image", "prune", "-a", "-f");
    assertThat(store.imageIds()).isEmpty();
  }

  @AfterEach
  void resetProxy() {
    if (proxy != null) {
      proxy.cutBlobsAfter(-1);
      proxy.cutBlobsAt(-1);
      proxy.serveManifests(null);
      proxy.failNext(0, 200);
    }
  }

  static String noise(int bytes) {
    byte[] random = new byte[bytes];
    new Random(bytes).nextBytes(random);
    return Base64.getEncoder().encodeToString(random);
  }

  /** The pull fails with exit code 125 and one line, and changes nothing listed; returns the line. */
  private String failingPull(String reference, Map<String, String> env) throws IOException {
    List<String> before = store.imageIds();
    Jocker.Result result = rig.engine().run(env, "pull", reference);
    assertThat(result.code()).as(result.err()).isEqualTo(125);
    assertThat(result.err()).startsWith("jocker: ").endsWith("\n");
    assertThat(result.err().lines()).as(result.err()).hasSize(1);
    assertThat(store.imageIds()).isEqualTo(before);
    store.assertConsistent("after a failed pull of " + reference);
    return result.err().strip();
  }

  private String failingPull(String reference) throws IOException {
    return failingPull(reference, Map.of());
  }

  private void pulls(String reference) throws IOException {
    Jocker.Result pulled = rig.engine().run("pull", "-q", reference);
    assertThat(pulled.code()).as(pulled.err()).isZero();
    assertThat(pulled.out()).isEqualTo(reference + "\n");
    store.assertConsistent("after pulling " + reference);
    assertThat(store.imageIds()).hasSize(1);
  }

  @Test
  void aBlobCutWithinTheRetryBudgetIsResumedInTheSamePull() throws Exception {
    proxy.cutBlobsAfter(CUT);

    pulls(image);

    assertThat(proxy.requests()).contains("GET /v2/big/blobs/" + layer + " auth=- range=bytes=" + CUT + "-");
  }

  @Test
  void aBlobCutBeyondTheRetryBudgetFailsCleanlyAndTheNextPullResumes() throws Exception {
    proxy.cutBlobsAt(CUT);

    String error = failingPull(image);

    assertThat(error).isEqualTo("jocker: failed to download " + layer + ": unexpected EOF");
    assertThat(rig.root().resolve("content/partial/sha256-" + layer.encoded())).hasSize(CUT);
    proxy.cutBlobsAt(-1);
    int before = proxy.requests().size();
    pulls(image);
    assertThat(proxy.requests().subList(before, proxy.requests().size()))
        .contains("GET /v2/big/blobs/" + layer + " auth=- range=bytes=" + CUT + "-")
        .doesNotContain("GET /v2/big/blobs/" + layer + " auth=-");
    assertThat(rig.root().resolve("content/partial/sha256-" + layer.encoded())).doesNotExist();
  }

  @Test
  void aBlobThatDoesNotMatchItsDigestIsRefused() throws Exception {
    Path data = rig.registry().storage().resolve("docker/registry/v2/blobs/sha256")
        .resolve(layer.encoded().substring(0, 2)).resolve(layer.encoded()).resolve("data");
    byte[] good = Files.readAllBytes(data);
    byte[] bad = good.clone();
    bad[bad.length / 2] ^= 0x55;
    Files.write(data, bad);
    try {
      assertThat(failingPull(image)).isEqualTo("jocker: filesystem layer verification failed for digest " + layer);
      assertThat(rig.root().resolve("content/blobs/sha256/" + layer.encoded())).doesNotExist();
    } finally {
      Files.write(data, good);
    }
    pulls(image);
  }

  @Test
  void aMalformedManifestIsRefused() throws Exception {
    byte[] cut = "{\"schemaVersion\": 2, \"layers\": [".getBytes(StandardCharsets.UTF_8);
    proxy.serveManifests(cut);

    assertThat(failingPull(image)).isEqualTo("jocker: " + Digest.sha256(cut) + ": invalid JSON: unexpected end of JSON input");

    proxy.serveManifests(null);
    pulls(image);
  }

  @Test
  void aManifestOverTheSizeCapIsRefused() throws Exception {
    byte[] huge = new byte[(4 << 20) + 100];
    java.util.Arrays.fill(huge, (byte) ' ');
    huge[0] = '{';
    huge[huge.length - 1] = '}';
    proxy.serveManifests(huge);

    assertThat(failingPull(image)).isEqualTo("jocker: manifest at http://" + proxy.host()
        + "/v2/big/manifests/v1 is larger than the limit of 4 MiB");

    proxy.serveManifests(null);
    pulls(image);
  }

  @Test
  void anUnknownRepositoryIsRefusedInDockersWords() throws Exception {
    assertThat(failingPull(proxy.host() + "/never/pushed:v1")).isEqualTo("jocker: manifest for " + proxy.host()
        + "/never/pushed:v1 not found: manifest unknown: manifest unknown");
    assertThat(failingPull(proxy.host() + "/big:nope")).isEqualTo("jocker: manifest for " + proxy.host()
        + "/big:nope not found: manifest unknown: manifest unknown");
    pulls(image);
  }

  @Test
  void aDeniedPullIsRefusedInDockersWords() throws Exception {
    proxy.failNext(1, 403, "GET", DENIED);
    assertThat(failingPull(image)).isEqualTo("jocker: pull access denied for " + proxy.host() + "/big, repository"
        + " does not exist or may require 'docker login': denied: requested access to the resource is denied");
    pulls(image);
  }

  /** A distribution error body, as a registry (or its token service's policy) refusing a repository sends with 403. */
  static final String DENIED =
      "{\"errors\":[{\"code\":\"DENIED\",\"message\":\"requested access to the resource is denied\"}]}";

  @Test
  void aWrongStoredPasswordIsRefused() throws Exception {
    try (RegistryServer locked = RegistryServer.start(Htpasswd.registryConfig(tmp, "alice", "s3cret"), null)) {
      RegistryPush.copy(rig.pushedLayout(), locked, "private/big:v1",
          "--dest-creds", "alice:s3cret");
      Path config = Files.createDirectories(tmp.resolve("docker"));
      String reference = locked.host() + "/private/big:v1";
      Files.writeString(config.resolve("config.json"), auths(locked.host(), "alice:wrong"));

      String error = failingPull(reference, Map.of("DOCKER_CONFIG", config.toString()));
      assertThat(error).isEqualTo("jocker: pull access denied for " + locked.host() + "/private/big, repository"
          + " does not exist or may require 'docker login': unauthorized: authentication required");

      Files.writeString(config.resolve("config.json"), auths(locked.host(), "alice:s3cret"));
      Jocker.Result pulled = rig.engine().run(Map.of("DOCKER_CONFIG", config.toString()), "pull", "-q", reference);
      assertThat(pulled.code()).as(pulled.err()).isZero();
      store.assertConsistent("after pulling with the right password");
    }
  }

  private static String auths(String host, String userAndPassword) {
    return "{\"auths\": {\"" + host + "\": {\"auth\": \""
        + Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8)) + "\"}}}\n";
  }

  @Test
  void aRegistryThatIsDownIsRefusedInDockersWords() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    String host = "127.0.0.1:" + port;
    assertThat(failingPull(host + "/big:v1")).isEqualTo("jocker: Get \"http://" + host
        + "/v2/big/manifests/v1\": dial tcp " + host + ": connect: connection refused");
  }

  @Test
  void aRegistryThatNeverAnswersTimesOut() throws Exception {
    // Accepted by the kernel (the backlog), never read from nor answered.
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      String host = "127.0.0.1:" + silent.getLocalPort();
      long start = System.nanoTime();

      String error = failingPull(host + "/big:v1");

      long millis = (System.nanoTime() - start) / 1_000_000;
      assertThat(error).isEqualTo("jocker: Get \"http://" + host
          + "/v2/big/manifests/v1\": net/http: timeout awaiting response headers");
      // one timeout for https (no TLS handshake), one for http: none retried
      assertThat(millis).isBetween(2 * TIMEOUT_MILLIS, 3 * TIMEOUT_MILLIS);
    }
  }
}
