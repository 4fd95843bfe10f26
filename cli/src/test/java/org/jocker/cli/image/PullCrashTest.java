package org.jocker.cli.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jocker.cli.testing.Jocker;
import org.jocker.cli.testing.RegistryRig;
import org.jocker.cli.testing.ResidentEngine;
import org.jocker.images.digest.Digest;
import org.jocker.images.manifest.Descriptor;
import org.jocker.images.manifest.ManifestParser;
import org.jocker.images.registry.RegistryProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `jocker pull` through the resident engine, the engine or the native client killed with SIGKILL
 * at random moments of it: afterwards the image is listed only if complete, every blob in the
 * content store verifies, no mount is left, `image prune -a` collects, and the next pull completes,
 * going on from the partial blob the killed one left. Layers come through a {@link RegistryProxy}
 * that slows blob transfers, so that a pull lasts about a second and most kills land mid-download.
 * {@value #TRIALS} trials of each kind (about a minute in all: the suite stays under its time).
 */
class PullCrashTest {
  private static final int TRIALS = 10;
  /** A short bound on each registry call (the https attempt each pull makes first is refused at once by the proxy). */
  private static final String TIMEOUT = "-Djocker.registry.timeout=800";

  @TempDir Path tmp;
  private RegistryRig rig;
  private RegistryProxy proxy;
  private ResidentEngine engine;
  private Path root;
  private PulledStore store;
  private String image;
  private List<Digest> layers;
  /** The sizes of the image's blobs (layers and config). */
  private final Map<Digest, Long> sizes = new java.util.HashMap<>();

  @BeforeEach
  void pushAndStartEngine() throws Exception {
    rig = RegistryRig.start(tmp, TIMEOUT);
    proxy = rig.proxy();
    engine = rig.engine();
    root = rig.root();
    byte[] pushed = rig.push("big:v1", List.of(
        Map.of("noise/a", PullFaultsCliTest.noise(2_500_000)), Map.of("noise/b", PullFaultsCliTest.noise(2_400_000))));
    var manifest = ManifestParser.parseImageManifest(pushed, null).value();
    layers = manifest.layers().stream().map(Descriptor::digest).toList();
    manifest.layers().forEach(d -> sizes.put(d.digest(), d.size()));
    sizes.put(manifest.config().digest(), manifest.config().size());
    image = proxy.host() + "/big:v1";
    store = new PulledStore(root);
  }

  @AfterEach
  void stopAll() throws Exception {
    if (rig != null) {
      rig.close();
      assertThat(new Jocker(root).mountsLeft()).isEmpty();
    }
  }

  @Test
  void aKilledEngineLeavesAConsistentStoreAndTheNextPullResumes() throws Exception {
    long millis = slowPullMillis();
    Random random = new Random();
    int killed = 0;
    int resumed = 0;
    for (int trial = 1; trial <= TRIALS; trial++) {
      Process client = engine.client(Map.of(), List.of("pull", image)).start();
      if (!client.waitFor(random.nextLong(millis * 4 / 5 + 1), TimeUnit.MILLISECONDS)) {
        engine.kill(); // SIGKILL, in the middle of the pull
        killed++;
        assertThat(client.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String when = "trial " + trial + ": engine killed";
        store.assertConsistent(when);
        assertThat(new Jocker(root).mountsLeft()).as(when).isEmpty();
        Map<Digest, Long> partials = partials();
        engine.start();
        int before = proxy.requests().size();
        pullCompletes(when, false);
        List<String> requests = proxy.requests().subList(before, proxy.requests().size());
        for (Map.Entry<Digest, Long> partial : partials.entrySet()) {
          // (a partial with every byte is committed without a request)
          if (partial.getValue() > 0 && partial.getValue() < sizes.get(partial.getKey())) {
            assertThat(requests).as(when).contains("GET /v2/big/blobs/" + partial.getKey() + " auth=- range=bytes="
                + partial.getValue() + "-");
            resumed++;
          }
        }
      } else {
        assertThat(client.exitValue()).isZero();
      }
      collect("trial " + trial);
    }
    assertThat(killed).as("pulls killed before they ended").isGreaterThanOrEqualTo(TRIALS / 2);
    assertThat(resumed).as("pulls resumed from a partial blob").isPositive();
  }

  @Test
  void aKilledClientLeavesAConsistentStoreAndTheNextPullCompletes() throws Exception {
    long millis = slowPullMillis();
    Random random = new Random();
    int killed = 0;
    for (int trial = 1; trial <= TRIALS; trial++) {
      Process client = engine.client(Map.of(), List.of("pull", image)).start();
      if (!client.waitFor(random.nextLong(millis * 4 / 5 + 1), TimeUnit.MILLISECONDS)) {
        client.destroyForcibly(); // SIGKILL of the process the user runs; the engine lives on
        client.waitFor();
        killed++;
        // The engine cancels the killed client's pull, but not at once: the next one may wait for
        // its fetches or reuse them, and an orphan that was registering may do so after a prune.
        pullCompletes("trial " + trial + ": client killed", true);
        awaitOrphanedPull("trial " + trial);
      }
      collect("trial " + trial);
    }
    assertThat(killed).as("pulls killed before they ended").isGreaterThanOrEqualTo(TRIALS / 2);
  }

  @Test
  void theEngineStopsThePullOfAKilledClientAndTheNextPullResumesIt() throws Exception {
    long total = layers.stream().mapToLong(sizes::get).sum();
    proxy.slowBlobs(5);
    Process client = engine.client(Map.of(), List.of("pull", image)).start();
    proxy.awaitBlobBytesServed(256 * 1024, java.time.Duration.ofSeconds(30));
    client.destroyForcibly();
    client.waitFor();
    Thread.sleep(500); // the engine hears the hang-up and closes the pull's transfers
    long served = proxy.blobBytesServed();
    int requested = proxy.requests().size();
    Thread.sleep(1000);
    assertThat(proxy.blobBytesServed()).as("blob bytes served after the client was killed").isEqualTo(served);
    assertThat(proxy.requests()).as("requests after the client was killed").hasSize(requested);
    assertThat(served).as("bytes served before the pull stopped").isLessThan(total);
    Map<Digest, Long> partials = partials();
    assertThat(partials.values()).as("partial blobs kept").anyMatch(n -> n > 0);
    assertThat(store.imageIds()).isEmpty();
    store.assertConsistent("after the cancelled pull");

    pullCompletes("after the cancelled pull", false);
    List<String> resumed = proxy.requests().subList(requested, proxy.requests().size());
    partials.forEach((digest, bytes) -> {
      if (bytes > 0 && bytes < sizes.get(digest)) {
        assertThat(resumed).contains("GET /v2/big/blobs/" + digest + " auth=- range=bytes=" + bytes + "-");
      }
    });
  }

  @Test
  void twoClientsPullingOneImageFetchEachBlobOnce() throws Exception {
    proxy.delayBlobs(300);
    List<Process> clients = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      clients.add(engine.client(Map.of(), List.of("pull", "-q", image)).start());
    }
    for (Process client : clients) {
      assertThat(client.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(client.exitValue()).isZero();
    }
    store.assertConsistent("after two pulls");
    assertThat(store.imageIds()).hasSize(1);
    for (Digest layer : layers) {
      assertThat(proxy.requests()).filteredOn(r -> r.startsWith("GET /v2/big/blobs/" + layer)).hasSize(1);
    }
  }

  /**
   * How long a pull through the slowed proxy takes (a pull made and collected to measure it, in a
   * warm engine). Kills come within 80% of it: on a loaded machine pulls vary, and most must be
   * cut short.
   */
  private long slowPullMillis() throws Exception {
    // A first pull at full speed warms the engine up: a fresh JVM's first pull is the slowest.
    engine.ok("pull", "-q", image);
    collect("after the warm-up pull");
    proxy.slowBlobs(2);
    long millis = engine.okMillis("pull", "-q", image);
    assertThat(millis).as("a slow pull's time").isGreaterThan(300);
    collect("after the measured pull");
    return millis;
  }

  /**
   * A pull at full speed completes, its image listed and the store consistent (as far as can be
   * checked while an orphaned pull may write).
   */
  private void pullCompletes(String when, boolean orphanMayRun) throws Exception {
    try (var _ = proxy.atFullSpeed()) {
      Jocker.Result pulled = engine.run("pull", "-q", image);
      assertThat(pulled.code()).as("%s: pull again: %s", when, pulled.err()).isZero();
    }
    store.assertEveryBlobAndImageWhole(when + ", pulled again");
    if (!orphanMayRun) {
      store.assertNoTempFile(when + ", pulled again");
    }
    assertThat(store.imageIds()).as(when).hasSize(1);
  }

  /** `image prune -a` removes the image and its blobs (so the next trial downloads them again). */
  private void collect(String when) throws Exception {
    Jocker.Result pruned = engine.run("image", "prune", "-a", "-f");
    assertThat(pruned.code()).as("%s: prune: %s", when, pruned.err()).isZero();
    store.assertConsistent(when + ", pruned");
    assertThat(store.imageIds()).as(when).isEmpty();
    for (Digest layer : layers) {
      assertThat(root.resolve("content/blobs/sha256/" + layer.encoded())).as(when).doesNotExist();
    }
  }

  /** Prunes until the image stays gone: the pull of a killed client has ended or failed. */
  private void awaitOrphanedPull(String when) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    for (int clean = 0; clean < 2; Thread.sleep(500)) {
      assertThat(System.nanoTime()).as("%s: the engine is still pulling", when).isLessThan(deadline);
      assertThat(engine.run("image", "prune", "-a", "-f").code()).isZero();
      store.assertEveryBlobAndImageWhole(when + ", pruned while the orphaned pull may run");
      clean = store.imageIds().isEmpty() && layers.stream()
          .noneMatch(l -> Files.exists(root.resolve("content/blobs/sha256/" + l.encoded()))) ? clean + 1 : 0;
    }
  }

  /** The partial blobs a killed pull left, and their sizes. */
  private Map<Digest, Long> partials() throws Exception {
    Path dir = root.resolve("content/partial");
    Map<Digest, Long> sizes = new java.util.HashMap<>();
    if (Files.isDirectory(dir)) {
      try (Stream<Path> files = Files.list(dir)) {
        for (Path file : files.toList()) {
          String name = file.getFileName().toString();
          sizes.put(Digest.parse(name.replaceFirst("-", ":")), Files.size(file));
        }
      }
    }
    return sizes;
  }
}
