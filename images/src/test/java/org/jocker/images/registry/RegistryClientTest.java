package org.jocker.images.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.jocker.images.digest.Digest;
import org.jocker.images.digest.Digester;
import org.jocker.images.manifest.ImageManifest;
import org.jocker.images.manifest.ManifestParser;
import org.jocker.images.manifest.Platform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client against Debian's docker-registry, reached through {@link RegistryProxy} to make
 * the network misbehave: broken transfers, 503s, challenges, redirects to another host.
 */
class RegistryClientTest {
  private static final Backoff QUICK = new Backoff(3, Duration.ofMillis(20));
  private static RegistryServer registry;
  private static Digest layer;
  private static long layerSize;
  @TempDir static Path tmp;
  private final List<RegistryProxy> proxies = new java.util.ArrayList<>();

  @BeforeAll
  static void pushAnImageWithABigLayer() throws Exception {
    assumeTrue(RegistryServer.installed(), "docker-registry is not installed (scripts/install-deps)");
    assumeTrue(RegistryPush.skopeoInstalled(), "skopeo is not installed (scripts/install-deps)");
    registry = RegistryServer.start();
    byte[] noise = new byte[2_000_000];
    new Random(7).nextBytes(noise);
    TestLayout layout = new TestLayout(tmp.resolve("big"));
    TestLayout.Pushed image = layout.image(Platform.host().architecture(),
        List.of(Map.of("noise", Base64.getEncoder().encodeToString(noise))));
    layout.tag("v1", image);
    RegistryPush.copy("oci:" + layout.dir() + ":v1", registry, "big:v1");
    ImageManifest manifest = ManifestParser.parseImageManifest(RegistryPush.rawManifest(registry, "big:v1"), null).value();
    layer = manifest.layers().get(0).digest();
    layerSize = manifest.layers().get(0).size();
  }

  @AfterAll
  static void stopRegistry() throws IOException {
    if (registry != null) {
      registry.close();
    }
  }

  @AfterEach
  void stopProxies() {
    proxies.forEach(RegistryProxy::close);
  }

  private RegistryProxy proxy(String upstreamHost) throws IOException {
    RegistryProxy proxy = RegistryProxy.start(URI.create("http://" + upstreamHost));
    proxies.add(proxy);
    return proxy;
  }

  private static RegistryClient client(RegistryProxy proxy, Authorizer authorizer) {
    Endpoint endpoint = new Endpoint(proxy.host(), URI.create("http://" + proxy.host()), null, false);
    return new RegistryClient(name -> List.of(endpoint), authorizer, QUICK);
  }

  private static Digest digestOf(InputStream in) throws IOException {
    try (in) {
      Digester digester = Digester.sha256();
      byte[] buffer = new byte[65536];
      for (int n; (n = in.read(buffer)) >= 0; ) {
        digester.update(buffer, 0, n);
      }
      return digester.digest();
    }
  }

  @Test
  void aBrokenBlobTransferIsResumedWithRange() throws Exception {
    RegistryProxy proxy = proxy(registry.host());
    proxy.cutBlobsAfter(600_000);

    Digest got = digestOf(client(proxy, Authorizer.NONE).blob(proxy.host(), "big", layer));

    assertThat(got).isEqualTo(layer);
    assertThat(layerSize).isGreaterThan(1_200_000);
    assertThat(proxy.requests()).contains("GET /v2/big/blobs/" + layer + " auth=-",
        "GET /v2/big/blobs/" + layer + " auth=- range=bytes=600000-",
        "GET /v2/big/blobs/" + layer + " auth=- range=bytes=1200000-");
  }

  @Test
  void transientFailuresAreRetriedAFewTimes() throws Exception {
    RegistryProxy proxy = proxy(registry.host());
    RegistryClient client = client(proxy, Authorizer.NONE);

    proxy.failNext(2, 503);
    assertThat(client.manifest(proxy.host(), "big", "v1").bytes())
        .isEqualTo(RegistryPush.rawManifest(registry, "big:v1"));
    assertThat(proxy.requests()).hasSize(3);

    proxy.failNext(5, 503);
    assertThatThrownBy(() -> client.manifest(proxy.host(), "big", "v1"))
        .isInstanceOf(RegistryException.class)
        .hasMessage("received unexpected HTTP status: 503 Service Unavailable");
  }

  @Test
  void aChallengeIsAnsweredOnceThroughTheAuthorizer() throws Exception {
    RegistryProxy proxy = proxy(registry.host());
    proxy.requireAuthorization("Bearer granted");
    TokenAfterChallenge authorizer = new TokenAfterChallenge();

    FetchedManifest manifest = client(proxy, authorizer).manifest(proxy.host(), "big", "v1");

    assertThat(manifest.digest()).isEqualTo(Digest.sha256(RegistryPush.rawManifest(registry, "big:v1")));
    assertThat(authorizer.challenges).isEqualTo(1);
    assertThat(proxy.requests()).containsExactly("GET /v2/big/manifests/v1 auth=-",
        "GET /v2/big/manifests/v1 auth=Bearer granted");

    RegistryProxy refusing = proxy(registry.host());
    refusing.requireAuthorization("Bearer never given");
    assertThatThrownBy(() -> client(refusing, Authorizer.NONE).manifest(refusing.host(), "big", "v1"))
        .isInstanceOf(RegistryException.class)
        .hasMessage("unauthorized: authentication required")
        .extracting(e -> ((RegistryException) e).code()).isEqualTo("UNAUTHORIZED");
  }

  @Test
  void aRedirectedBlobRequestCarriesNoCredentialsToTheOtherHost() throws Exception {
    RegistryProxy storage = proxy(registry.host());
    RegistryProxy front = proxy(registry.host());
    front.redirectBlobsTo(URI.create("http://" + storage.host()));
    Authorizer always = new Authorizer() {
      @Override
      public Optional<String> authorization(Endpoint endpoint, Scope scope) {
        return Optional.of("Bearer secret");
      }

      @Override
      public boolean challenged(Endpoint endpoint, Scope scope, HttpHeaders response) {
        return false;
      }
    };

    Digest got = digestOf(client(front, always).blob(front.host(), "big", layer));

    assertThat(got).isEqualTo(layer);
    assertThat(front.requests()).containsExactly("GET /v2/big/blobs/" + layer + " auth=Bearer secret");
    assertThat(storage.requests()).containsExactly("GET /v2/big/blobs/" + layer + " auth=-");
  }

  @Test
  void aManifestIsVerifiedAgainstTheDigestAskedFor() {
    RegistryClient direct = new RegistryClient(new LoopbackEndpointResolver(), Authorizer.NONE, QUICK);
    Digest wrong = Digest.sha256("not this manifest");

    assertThatThrownBy(() -> direct.manifest(registry.host(), "big", wrong.toString()))
        .isInstanceOf(RegistryException.class)
        .hasMessage("manifest unknown: manifest unknown");
  }

  @Test
  void aHeadTellsTheDigestATagNames() throws Exception {
    RegistryClient direct = new RegistryClient(new LoopbackEndpointResolver(), Authorizer.NONE, QUICK);

    assertThat(direct.manifestDigest(registry.host(), "big", "v1"))
        .contains(Digest.sha256(RegistryPush.rawManifest(registry, "big:v1")));
  }

  @Test
  void aManifestOverTheCapIsRefused() throws Exception {
    RegistryProxy proxy = proxy(registry.host());
    proxy.serveManifests(new byte[RegistryClient.MAX_MANIFEST_BYTES + 1]); // the registry refuses to store one

    assertThatThrownBy(() -> client(proxy, Authorizer.NONE).manifest(proxy.host(), "big", "v1"))
        .isInstanceOf(RegistryException.class)
        .hasMessage("manifest at http://" + proxy.host() + "/v2/big/manifests/v1 is larger than the limit of 4 MiB");
  }

  @Test
  void aManifestThatIsNotTheDigestAskedForIsRefused() throws Exception {
    RegistryProxy proxy = proxy(registry.host());
    Digest real = Digest.sha256(RegistryPush.rawManifest(registry, "big:v1"));
    proxy.serveManifests("{\"schemaVersion\":2}".getBytes(java.nio.charset.StandardCharsets.UTF_8));

    assertThatThrownBy(() -> client(proxy, Authorizer.NONE).manifest(proxy.host(), "big", real.toString()))
        .isInstanceOf(RegistryException.class)
        .hasMessage("manifest verification failed for digest " + real);
  }

  @Test
  void anHttpsRegistryIsReachedWithTheEndpointsTrust() throws Exception {
    assumeTrue(java.nio.file.Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl is not installed");
    Path dir = java.nio.file.Files.createDirectories(tmp.resolve("tls"));
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
        "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
        "-keyout", key.toString(), "-out", cert.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("openssl.log").toFile()).start();
    assertThat(openssl.waitFor()).as(java.nio.file.Files.readString(dir.resolve("openssl.log"))).isZero();
    try (RegistryServer secure = RegistryServer.start("", new RegistryServer.Tls(cert, key))) {
      RegistryPush.copy("oci:" + tmp.resolve("big") + ":v1", secure, "big:v1");
      javax.net.ssl.SSLContext trust = trusting(cert);
      Endpoint endpoint = new Endpoint(secure.host(), URI.create("https://" + secure.host()), trust, false);
      RegistryClient client = new RegistryClient(name -> List.of(endpoint), Authorizer.NONE, QUICK);

      assertThat(client.manifest(secure.host(), "big", "v1").digest())
          .isEqualTo(Digest.sha256(RegistryPush.rawManifest(registry, "big:v1")));
      assertThat(digestOf(client.blob(secure.host(), "big", layer))).isEqualTo(layer);

      Endpoint jdkTrust = new Endpoint(secure.host(), URI.create("https://" + secure.host()),
          javax.net.ssl.SSLContext.getDefault(), false);
      RegistryClient untrusting = new RegistryClient(name -> List.of(jdkTrust), Authorizer.NONE, QUICK);
      assertThatThrownBy(() -> untrusting.manifest(secure.host(), "big", "v1"))
          .isInstanceOf(RegistryException.class)
          .hasMessage("Get \"https://" + secure.host() + "/v2/big/manifests/v1\": tls: failed to verify certificate:"
              + " x509: certificate signed by unknown authority");
    }
  }

  @Test
  void aMirrorThatLacksTheImageOrCannotBeReachedFallsBackToTheRegistry() throws Exception {
    int closedPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    Endpoint origin = new Endpoint("example.test", URI.create("http://" + registry.host()), null, false);
    Endpoint unreachable = new Endpoint("example.test", URI.create("http://127.0.0.1:" + closedPort), null, true);
    try (RegistryServer emptyMirror = RegistryServer.start()) {
      Endpoint lacking = new Endpoint("example.test", URI.create("http://" + emptyMirror.host()), null, true);
      RegistryClient client = new RegistryClient(name -> List.of(unreachable, lacking, origin), Authorizer.NONE, QUICK);

      assertThat(client.manifest("example.test", "big", "v1").bytes())
          .isEqualTo(RegistryPush.rawManifest(registry, "big:v1"));
      assertThat(digestOf(client.blob("example.test", "big", layer))).isEqualTo(layer);
    }
    RegistryClient mirrorOnly = new RegistryClient(name -> List.of(unreachable), Authorizer.NONE, QUICK);
    assertThatThrownBy(() -> mirrorOnly.manifest("example.test", "big", "v1"))
        .hasMessage("Get \"http://127.0.0.1:" + closedPort + "/v2/big/manifests/v1\": dial tcp 127.0.0.1:"
            + closedPort + ": connect: connection refused");
  }

  @Test
  void anEndpointThatFailedIsNotTriedFirstAgainByTheSameClient() throws Exception {
    // A server that accepts each connection and closes it unanswered, counting them.
    try (java.net.ServerSocket closing = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      java.util.concurrent.atomic.AtomicInteger accepted = new java.util.concurrent.atomic.AtomicInteger();
      Thread acceptor = Thread.ofVirtual().start(() -> {
        while (true) {
          try (java.net.Socket s = closing.accept()) {
            accepted.incrementAndGet();
          } catch (IOException closed) {
            return;
          }
        }
      });
      Endpoint failing = new Endpoint("example.test", URI.create("http://127.0.0.1:" + closing.getLocalPort()),
          null, false);
      Endpoint origin = new Endpoint("example.test", URI.create("http://" + registry.host()), null, false);
      RegistryClient client = new RegistryClient(name -> List.of(failing, origin), Authorizer.NONE, QUICK);

      client.manifest("example.test", "big", "v1");
      int firstTime = accepted.get();
      assertThat(digestOf(client.blob("example.test", "big", layer))).isEqualTo(layer);
      client.manifest("example.test", "big", "v1");

      assertThat(firstTime).isGreaterThanOrEqualTo(QUICK.attempts()); // the JDK may retry a GET once more itself
      assertThat(accepted.get()).isEqualTo(firstTime);
      closing.close();
      acceptor.join();
    }
  }

  /** A TLS context that trusts exactly {@code certificate} (PEM). */
  private static javax.net.ssl.SSLContext trusting(Path certificate) throws Exception {
    java.security.KeyStore store = java.security.KeyStore.getInstance(java.security.KeyStore.getDefaultType());
    store.load(null, null);
    try (InputStream in = java.nio.file.Files.newInputStream(certificate)) {
      store.setCertificateEntry("registry", java.security.cert.CertificateFactory.getInstance("X.509")
          .generateCertificate(in));
    }
    javax.net.ssl.TrustManagerFactory trust = javax.net.ssl.TrustManagerFactory.getInstance(
        javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
    trust.init(store);
    javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }

  /** Gives a token only once the registry has challenged, as a token service would. */
  private static final class TokenAfterChallenge implements Authorizer {
    int challenges;

    @Override
    public Optional<String> authorization(Endpoint endpoint, Scope scope) {
      return challenges > 0 ? Optional.of("Bearer granted") : Optional.empty();
    }

    @Override
    public boolean challenged(Endpoint endpoint, Scope scope, HttpHeaders response) {
      assertThat(response.firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer "));
      challenges++;
      return true;
    }
  }
}
