package org.jocker.images.pull;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.jocker.images.ImageService;
import org.jocker.images.digest.Digest;
import org.jocker.images.manifest.Descriptor;
import org.jocker.images.manifest.ImageManifest;
import org.jocker.images.manifest.ManifestParser;
import org.jocker.images.manifest.MediaTypes;
import org.jocker.images.manifest.Platform;
import org.jocker.images.reference.Reference;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jocker.images.registry.Authorizer;
import org.jocker.images.registry.Backoff;
import org.jocker.images.registry.Endpoint;
import org.jocker.images.registry.ImageRegistryTestBase;
import org.jocker.images.registry.RegistryClient;
import org.jocker.images.registry.RegistryException;
import org.jocker.images.registry.RegistryProxy;
import org.jocker.images.registry.RegistryPush;
import org.jocker.images.registry.TestLayout;
import org.jocker.images.store.Image;
import org.junit.jupiter.api.Test;

/** Pulls from Debian's docker-registry on 127.0.0.1, into which skopeo pushed the images. */
class ImagePullTest extends ImageRegistryTestBase {
  private final Recorder progress = new Recorder();

  @Test
  void pullByTagStoresWhatWasPushed() throws Exception {
    TestLayout.Pushed pushed = pushWithSkopeo("tagged", "v1", Map.of("etc/hello", "hello\n", "bin/tool", "#!/bin/sh\n"));

    PulledImage pulled = pull(registry.host() + "/tagged:v1");

    Image image = pulled.image();
    assertThat(image.id()).isEqualTo(pushed.config());
    assertThat(service.config(image).value().diffIds()).isEqualTo(pushed.diffIds());
    Digest registryDigest = Digest.sha256(RegistryPush.rawManifest(registry, "tagged:v1"));
    assertThat(pulled.digest()).isEqualTo(registryDigest);
    assertThat(image.manifestDigest()).isEqualTo(registryDigest);
    assertThat(image.references()).extracting(Reference::toString).containsExactlyInAnyOrder(
        registry.host() + "/tagged:v1", registry.host() + "/tagged@" + registryDigest);
    assertThat(pulled.changed()).isTrue();
    assertThat(Files.readString(rootfs(image).resolve("etc/hello"))).isEqualTo("hello\n");
    assertThat(progress.states()).contains("Pulling fs layer", "Download complete", "Extracting", "Pull complete");
    assertThat(progress.lines()).containsExactly("v1: Pulling from tagged", "Digest: " + registryDigest);
  }

  @Test
  void pullByDigestAndByTagWithDigest() throws Exception {
    TestLayout.Pushed pushed = pushWithSkopeo("bydigest", "v1", Map.of("etc/a", "a\n"));
    Digest digest = Digest.sha256(RegistryPush.rawManifest(registry, "bydigest:v1"));

    PulledImage pulled = pull(registry.host() + "/bydigest@" + digest);
    assertThat(pulled.image().id()).isEqualTo(pushed.config());
    assertThat(pulled.image().references()).extracting(Reference::toString)
        .containsExactly(registry.host() + "/bydigest@" + digest);

    PulledImage again = pull(registry.host() + "/bydigest:v1@" + digest);
    assertThat(again.image().id()).isEqualTo(pushed.config());
    assertThat(again.changed()).isFalse();
  }

  @Test
  void zstdLayersArePulledAndUnpacked() throws Exception {
    TestLayout.Pushed pushed = pushWithSkopeo("zstd", "v1", Map.of("etc/z", "zstd\n"),
        "--format", "oci", "--dest-compress", "--dest-compress-format", "zstd");

    PulledImage pulled = pull(registry.host() + "/zstd:v1");

    ImageManifest manifest = service.manifest(pulled.image()).value();
    assertThat(manifest.layers()).extracting(Descriptor::mediaType).containsExactly(MediaTypes.OCI_LAYER_ZSTD);
    assertThat(service.config(pulled.image()).value().diffIds()).isEqualTo(pushed.diffIds());
    assertThat(Files.readString(rootfs(pulled.image()).resolve("etc/z"))).isEqualTo("zstd\n");
  }

  @Test
  void anIndexGivesTheHostsPlatformOrTheOneAskedFor() throws Exception {
    TwoPlatformIndex pushed = pushTwoPlatformIndex("multi");
    TestLayout.Pushed host = pushed.host();
    TestLayout.Pushed foreign = pushed.foreign();
    String other = foreign.architecture();
    byte[] index = pushed.index();

    PulledImage pulled = pull(registry.host() + "/multi");
    assertThat(pulled.image().id()).isEqualTo(host.config());
    assertThat(pulled.digest()).isEqualTo(Digest.sha256(index));
    assertThat(pulled.image().indexDigest()).isEqualTo(Digest.sha256(index));
    assertThat(Files.readString(rootfs(pulled.image()).resolve("etc/arch"))).isEqualTo(hostArch());

    PulledImage asked = service.pulls().pull(Reference.parse(registry.host() + "/multi"),
        new PullOptions(Platform.of("linux", other, null), false), caller, progress).get(0);
    assertThat(asked.image().id()).isEqualTo(foreign.config());

    assertThatThrownBy(() -> service.pulls().pull(Reference.parse(registry.host() + "/multi"),
        new PullOptions(Platform.of("linux", "s390x", null), false), caller, progress))
        .hasMessage("no matching manifest for linux/s390x in the manifest list entries");
  }

  @Test
  void unknownTagsAndRepositoriesAreRefusedInDockersWords() throws Exception {
    pushWithSkopeo("known", "v1", Map.of("etc/a", "a\n"));

    assertThatThrownBy(() -> pull(registry.host() + "/known:nope"))
        .isInstanceOf(RegistryException.class)
        .hasMessage("manifest for " + registry.host() + "/known:nope not found: manifest unknown: manifest unknown");
    // This registry answers MANIFEST_UNKNOWN for a repository it never had, as Docker then says.
    assertThatThrownBy(() -> pull(registry.host() + "/never/pushed"))
        .isInstanceOf(RegistryException.class)
        .hasMessage("manifest for " + registry.host() + "/never/pushed:latest not found: manifest unknown: manifest unknown");
    assertThatThrownBy(() -> service.pulls().pull(Reference.parse(registry.host() + "/never/pushed"),
        new PullOptions(null, true), caller, progress))
        .isInstanceOf(RegistryException.class)
        .hasMessage("repository " + registry.host() + "/never/pushed not found: name unknown: repository name not known to registry");
    assertThat(service.catalog().list()).isEmpty();
  }

  @Test
  void aCorruptedBlobIsRefusedAndNothingIsRegistered() throws Exception {
    TestLayout layout = new TestLayout(tmp.resolve("corrupt-layout"));
    TestLayout.Pushed pushed = layout.image(hostArch(), List.of(Map.of("etc/c", "corrupt me\n")));
    layout.tag("v1", pushed);
    RegistryPush.copy("oci:" + layout.dir() + ":v1", registry, "corrupt:v1");
    Digest layer = ManifestParser.parseImageManifest(RegistryPush.rawManifest(registry, "corrupt:v1"), null).value().layers().get(0).digest();
    Path data = registry.storage().resolve("docker/registry/v2/blobs/sha256")
        .resolve(layer.encoded().substring(0, 2)).resolve(layer.encoded()).resolve("data");
    byte[] bytes = Files.readAllBytes(data);
    bytes[bytes.length / 2] ^= 0x55;
    Files.write(data, bytes);

    assertThatThrownBy(() -> pull(registry.host() + "/corrupt:v1"))
        .hasMessage("filesystem layer verification failed for digest " + layer);
    assertThat(service.catalog().list()).isEmpty();
    assertThat(Files.exists(tmp.resolve("root/content/blobs/sha256").resolve(layer.encoded()))).isFalse();
  }

  @Test
  void aSecondPullSkipsWhatIsPresent() throws Exception {
    TestLayout layout = new TestLayout(tmp.resolve("shared"));
    Map<String, String> base = Map.of("etc/base", "base\n");
    TestLayout.Pushed one = layout.image(hostArch(), List.of(base));
    TestLayout.Pushed two = layout.image(hostArch(), List.of(base, Map.of("etc/top", "top\n")));
    layout.tag("one", one);
    layout.tag("two", two);
    RegistryPush.copy("oci:" + layout.dir() + ":one", registry, "shared:one");
    RegistryPush.copy("oci:" + layout.dir() + ":two", registry, "shared:two");

    pull(registry.host() + "/shared:one");
    progress.clear();
    PulledImage second = pull(registry.host() + "/shared:two");
    String baseId = service.manifest(second.image()).value().layers().get(0).digest().encoded().substring(0, 12);
    assertThat(progress.events()).contains(baseId + " Already exists");
    assertThat(progress.events()).noneMatch(e -> e.startsWith(baseId + " Downloading"));

    progress.clear();
    PulledImage again = pull(registry.host() + "/shared:two");
    assertThat(again.changed()).isFalse();
    assertThat(progress.states()).isEmpty();
  }

  @Test
  void concurrentPullsOfOneImageFetchEachBlobOnce() throws Exception {
    TestLayout.Pushed pushed = pushWithSkopeo("twice", "v1", Map.of("etc/once", "once\n"));
    Digest layer = ManifestParser.parseImageManifest(RegistryPush.rawManifest(registry, "twice:v1"), null)
        .value().layers().get(0).digest();
    try (RegistryProxy proxy = RegistryProxy.start(URI.create("http://" + registry.host()))) {
      proxy.delayBlobs(500);
      Endpoint endpoint = new Endpoint(proxy.host(), URI.create("http://" + proxy.host()), null, false);
      RegistryClient client = new RegistryClient(name -> List.of(endpoint), Authorizer.NONE);
      Reference reference = Reference.parse(proxy.host() + "/twice:v1");
      // Two services on one root, as two jocker processes would be.
      ExecutorService both = Executors.newFixedThreadPool(2);
      try {
        List<Future<List<PulledImage>>> pulls = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
          ImageService own = ImageService.open(tmp.resolve("root"));
          pulls.add(both.submit(() -> own.pulls().pull(reference, PullOptions.DEFAULT, client, PullProgress.NONE)));
        }
        for (Future<List<PulledImage>> pull : pulls) {
          assertThat(pull.get(60, TimeUnit.SECONDS).get(0).image().id()).isEqualTo(pushed.config());
        }
      } finally {
        both.shutdownNow();
      }
      assertThat(proxy.requests()).filteredOn(r -> r.startsWith("GET /v2/twice/blobs/" + layer)).hasSize(1);
    }
  }

  @Test
  void anInterruptedPullIsResumedWhereItStopped() throws Exception {
    byte[] noise = new byte[1_500_000];
    new java.util.Random(3).nextBytes(noise);
    TestLayout.Pushed pushed = pushWithSkopeo("resume", "v1", Map.of("noise", java.util.Base64.getEncoder().encodeToString(noise)));
    Digest layer = ManifestParser.parseImageManifest(RegistryPush.rawManifest(registry, "resume:v1"), null)
        .value().layers().get(0).digest();
    try (RegistryProxy proxy = RegistryProxy.start(URI.create("http://" + registry.host()))) {
      Endpoint endpoint = new Endpoint(proxy.host(), URI.create("http://" + proxy.host()), null, false);
      // One attempt: the cut ends the first pull instead of being resumed within it.
      RegistryClient client = new RegistryClient(name -> List.of(endpoint), Authorizer.NONE,
          new Backoff(1, java.time.Duration.ofMillis(10)));
      ImageService viaProxy = ImageService.open(tmp.resolve("root"));
      Reference reference = Reference.parse(proxy.host() + "/resume:v1");
      proxy.cutBlobsAfter(700_000);

      assertThatThrownBy(() -> viaProxy.pulls().pull(reference, PullOptions.DEFAULT, client, progress))
          .hasMessageStartingWith("failed to download " + layer);
      assertThat(viaProxy.catalog().list()).isEmpty();
      Path partial = tmp.resolve("root/content/partial/sha256-" + layer.encoded());
      assertThat(Files.size(partial)).isEqualTo(700_000);

      proxy.cutBlobsAfter(-1);
      PulledImage pulled = viaProxy.pulls().pull(reference, PullOptions.DEFAULT, client, progress).get(0);

      assertThat(pulled.image().id()).isEqualTo(pushed.config());
      assertThat(proxy.requests()).contains("GET /v2/resume/blobs/" + layer + " auth=- range=bytes=700000-");
      assertThat(partial).doesNotExist();
    }
  }

  @Test
  void allTagsArePulled() throws Exception {
    TestLayout layout = new TestLayout(tmp.resolve("all"));
    TestLayout.Pushed a = layout.image(hostArch(), List.of(Map.of("etc/a", "a\n")));
    TestLayout.Pushed b = layout.image(hostArch(), List.of(Map.of("etc/b", "b\n")));
    layout.tag("a", a);
    layout.tag("b", b);
    RegistryPush.copy("oci:" + layout.dir() + ":a", registry, "all:a");
    RegistryPush.copy("oci:" + layout.dir() + ":b", registry, "all:b");

    List<PulledImage> pulled = service.pulls().pull(Reference.parse(registry.host() + "/all"),
        new PullOptions(null, true), caller, progress);

    assertThat(pulled).extracting(p -> p.reference().tag()).containsExactlyInAnyOrder("a", "b");
    assertThat(service.catalog().resolve(registry.host() + "/all:a").id()).isEqualTo(a.config());
    assertThat(service.catalog().resolve(registry.host() + "/all:b").id()).isEqualTo(b.config());
  }

  @Test
  void anUnreachableRegistryIsReportedAsDockerDoes() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    String host = "127.0.0.1:" + port;
    assertThatThrownBy(() -> pull(host + "/nothing:here"))
        .isInstanceOf(RegistryException.class)
        .hasMessage("Get \"http://" + host + "/v2/nothing/manifests/here\": dial tcp " + host
            + ": connect: connection refused");
  }

  private PulledImage pull(String reference) {
    List<PulledImage> pulled = service.pulls().pull(Reference.parse(reference), PullOptions.DEFAULT, caller, progress);
    assertThat(pulled).hasSize(1);
    return pulled.get(0);
  }

  /** The directory of the image's unpacked top layer: a container's lowest-but-own layer. */
  private Path rootfs(Image image) {
    String key = "test-" + System.nanoTime();
    return service.prepareRootfs(key, image).lowerDirs().get(0);
  }

  private static String hostArch() {
    return Platform.host().architecture();
  }

  /** Every event of a pull, as "id state" and lines. */
  private static final class Recorder implements PullProgress {
    private final List<String> events = Collections.synchronizedList(new ArrayList<>());
    private final List<String> lines = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void layer(LayerProgress p) {
      events.add(p.id() + " " + p.state().words());
    }

    @Override
    public void message(String line) {
      lines.add(line);
    }

    List<String> events() {
      return List.copyOf(events);
    }

    List<String> states() {
      return events().stream().map(e -> e.substring(13)).distinct().toList();
    }

    List<String> lines() {
      return List.copyOf(lines);
    }

    void clear() {
      events.clear();
      lines.clear();
    }
  }
}
