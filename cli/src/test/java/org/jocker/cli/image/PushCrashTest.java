package org.jocker.cli.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.jocker.cli.testing.Jocker;
import org.jocker.cli.testing.RegistryRig;
import org.jocker.cli.testing.ResidentEngine;
import org.jocker.images.digest.Digest;
import org.jocker.images.manifest.Descriptor;
import org.jocker.images.manifest.ImageManifest;
import org.jocker.images.manifest.ManifestParser;
import org.jocker.images.registry.RegistryProxy;
import org.jocker.images.registry.RegistryPush;
import org.jocker.images.registry.RegistryServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `jocker push` through the resident engine, the engine or the native client killed with SIGKILL
 * at random moments of it: afterwards the local store is consistent, the registry holds for the
 * tag either nothing or the whole image (the manifest goes last, and the registry takes it only
 * when every blob it names is there), and the next push completes with the image's own manifest
 * digest, as skopeo reads it back. Uploads go through a {@link RegistryProxy} that reads their
 * bodies slowly, so that a push lasts about a second and most kills land mid-upload.
 * {@value #TRIALS} trials of each kind, against one registry and engine.
 */
class PushCrashTest {
  private static final int TRIALS = 10;
  private static final long UPLOAD_PAUSE_MILLIS = 2;

  @TempDir static Path tmp;
  private static RegistryRig rig;
  private static RegistryServer registry;
  private static RegistryProxy proxy;
  private static ResidentEngine engine;
  private static PulledStore store;
  private static Digest manifestDigest;
  private static ImageManifest manifest;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void pullTheImageToPushAndStartEngine() throws Exception {
    // (The default timeouts: a slowed upload may take longer than PullCrashTest's short one.)
    rig = RegistryRig.start(tmp);
    registry = rig.registry();
    proxy = rig.proxy();
    engine = rig.engine();
    byte[] raw = rig.push("source/big:v1", List.of(
        Map.of("noise/a", PullFaultsCliTest.noise(1_200_000)), Map.of("noise/b", PullFaultsCliTest.noise(1_100_000))));
    manifestDigest = Digest.sha256(raw);
    manifest = ManifestParser.parseImageManifest(raw, null).value();
    store = new PulledStore(rig.root());
    // Pulled from the registry itself; pushes go to it through the proxy: another host, so nothing
    // is mounted from source/big.
    engine.ok("pull", "-q", registry.host() + "/source/big:v1");
  }

  @AfterAll
  static void stopAll() throws Exception {
    if (rig != null) {
      rig.close();
    }
  }

  @Test
  void aKilledEngineLeavesNothingOrTheWholeImageAndTheNextPushCompletes() throws Exception {
    trials("engine", (trial, client) -> {
      engine.kill(); // SIGKILL, in the middle of the push
      assertThat(client.waitFor(30, TimeUnit.SECONDS)).isTrue();
      engine.start();
    });
  }

  @Test
  void aKilledClientLeavesNothingOrTheWholeImageAndTheNextPushCompletes() throws Exception {
    trials("client", (trial, client) -> {
      client.destroyForcibly(); // SIGKILL of the process the user runs; the engine lives on
      client.waitFor();
    });
  }

  @Test
  void theEngineStopsThePushOfAKilledClient() throws Exception {
    proxy.slowUploads(5);
    String image = proxy.host() + "/cancelled:v1";
    engine.ok("tag", registry.host() + "/source/big:v1", image);
    Process client = engine.client(Map.of(), List.of("push", image)).start();
    proxy.awaitUploadBytesReceived(256 * 1024, Duration.ofSeconds(30));
    client.destroyForcibly();
    client.waitFor();
    Thread.sleep(300); // the engine hears the hang-up and closes the push's transfers
    int requested = proxy.requests().size();
    // Not cancelled, the push would end within this: the rest of its blobs, then the manifest.
    Thread.sleep(2000);
    assertThat(proxy.requests()).as("requests after the client was killed").hasSize(requested);
    proxy.awaitIdle(Duration.ofSeconds(30));
    assertThat(assertNothingOrWholeImage("after the cancelled push", "cancelled")).isFalse();

    pushCompletes("after the cancelled push", image);
    assertWholeImage("after the cancelled push", "cancelled");
    engine.ok("rmi", image); // (a later push would mount the blobs from this repository)
  }

  private interface Kill {
    void kill(int trial, Process client) throws Exception;
  }

  /**
   * Runs the trials: each pushes the image under a repository of its own (so that every upload is
   * made again), kills it at a random moment before its measured end, checks the store and the
   * registry, and pushes again. Most kills must land before the push ended, some before the
   * registry had the manifest.
   */
  private void trials(String kind, Kill kill) throws Exception {
    long millis = slowPushMillis(kind);
    Random random = new Random();
    int killed = 0;
    int killedBeforeManifest = 0;
    for (int trial = 1; trial <= TRIALS; trial++) {
      String repository = kind + "-trial" + trial;
      String image = proxy.host() + "/" + repository + ":v1";
      engine.ok("tag", registry.host() + "/source/big:v1", image);
      Process client = engine.client(Map.of(), List.of("push", image)).start();
      String when = "trial " + trial;
      // (Up to 80% of the measured time: on a loaded machine pushes vary.)
      if (!client.waitFor(random.nextLong(millis * 4 / 5 + 1), TimeUnit.MILLISECONDS)) {
        kill.kill(trial, client);
        killed++;
        when += ": killed";
        // What the killed push had sent in full still reaches the registry: check once it has.
        proxy.awaitIdle(Duration.ofSeconds(30));
        if (!assertNothingOrWholeImage(when, repository)) {
          killedBeforeManifest++;
        }
        pushCompletes(when, image);
        assertWholeImage(when, repository);
      } else {
        assertThat(client.exitValue()).as(when).isZero();
        assertThat(assertNothingOrWholeImage(when, repository)).as("%s: pushed", when).isTrue();
      }
      store.assertConsistent(when);
      assertThat(store.imageIds()).as(when).hasSize(1);
      engine.ok("rmi", image); // an untag: the image keeps its other name
    }
    assertThat(killed).as("pushes killed before they ended").isGreaterThanOrEqualTo(TRIALS / 2);
    assertThat(killedBeforeManifest).as("pushes killed before the registry had the manifest").isPositive();
  }

  /** How long a push through the slowed proxy takes (one pushed to measure it). */
  private long slowPushMillis(String kind) throws Exception {
    proxy.slowUploads(UPLOAD_PAUSE_MILLIS);
    String image = proxy.host() + "/" + kind + "-measured:v1";
    engine.ok("tag", registry.host() + "/source/big:v1", image);
    long millis = engine.okMillis("push", "-q", image);
    assertThat(millis).as("a slow push's time").isGreaterThan(300);
    engine.ok("rmi", image);
    return millis;
  }

  /** A push at full speed completes. */
  private void pushCompletes(String when, String image) throws Exception {
    try (var _ = proxy.atFullSpeed()) {
      Jocker.Result pushed = engine.run("push", "-q", image);
      assertThat(pushed.code()).as("%s: push again: %s", when, pushed.err()).isZero();
    }
  }

  /**
   * The registry has no manifest for the tag, or the image's own with every blob it names (read
   * with plain requests: skopeo's start-up, twice a trial, would cost seconds); returns which.
   */
  private boolean assertNothingOrWholeImage(String when, String repository) throws Exception {
    HttpResponse<byte[]> got = HTTP.send(request("/v2/" + repository + "/manifests/v1").GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(got.statusCode()).as("%s: GET of the manifest", when).isIn(200, 404);
    if (got.statusCode() == 200) {
      assertThat(Digest.sha256(got.body())).as("%s: the manifest's digest", when).isEqualTo(manifestDigest);
      assertEveryBlob(when + " (the manifest was pushed before the kill)", repository);
    }
    return got.statusCode() == 200;
  }

  /** skopeo reads the tag's manifest with the image's digest, and the registry has every blob it names. */
  private void assertWholeImage(String when, String repository) throws Exception {
    byte[] pushed = RegistryPush.rawManifest(registry, repository + ":v1");
    assertThat(Digest.sha256(pushed)).as("%s: the pushed manifest's digest", when).isEqualTo(manifestDigest);
    assertEveryBlob(when, repository);
  }

  private void assertEveryBlob(String when, String repository) throws Exception {
    for (Descriptor blob : blobs()) {
      HttpResponse<Void> head = head("/v2/" + repository + "/blobs/" + blob.digest());
      assertThat(head.statusCode()).as("%s: HEAD of blob %s", when, blob.digest()).isEqualTo(200);
      assertThat(head.headers().firstValueAsLong("Content-Length")).as(when).hasValue(blob.size());
    }
  }

  private List<Descriptor> blobs() {
    return java.util.stream.Stream.concat(manifest.layers().stream(), java.util.stream.Stream.of(manifest.config()))
        .toList();
  }

  /** A HEAD to the registry itself (not through the proxy). */
  private HttpResponse<Void> head(String path) throws IOException, InterruptedException {
    return HTTP.send(request(path).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.discarding());
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create("http://" + registry.host() + path)).header("Accept",
        manifest.mediaType() == null ? "application/vnd.oci.image.manifest.v1+json" : manifest.mediaType());
  }
}
