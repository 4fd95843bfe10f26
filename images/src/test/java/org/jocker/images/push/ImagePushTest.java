package org.jocker.images.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jocker.images.ImageService;
import org.jocker.images.NotFoundException;
import org.jocker.images.digest.Digest;
import org.jocker.images.manifest.Descriptor;
import org.jocker.images.pull.PullOptions;
import org.jocker.images.pull.PullProgress;
import org.jocker.images.reference.Reference;
import org.jocker.images.registry.Authorizer;
import org.jocker.images.registry.Backoff;
import org.jocker.images.registry.Commands;
import org.jocker.images.registry.ImageRegistryTestBase;
import org.jocker.images.registry.LoopbackEndpointResolver;
import org.jocker.images.registry.RegistryClient;
import org.jocker.images.registry.RegistryException;
import org.jocker.images.registry.RegistryProxy;
import org.jocker.images.registry.RegistryPush;
import org.jocker.images.registry.RegistryServer;
import org.jocker.images.registry.TestLayout;
import org.jocker.images.store.Image;
import org.junit.jupiter.api.Test;

/**
 * Pushes to Debian's docker-registry on 127.0.0.1; what arrives is read back by independent
 * clients (skopeo, umoci) and by a pull into a fresh root.
 */
class ImagePushTest extends ImageRegistryTestBase {
  private final PushRecorder progress = new PushRecorder();

  @Test
  void aPushedImageIsWhatSkopeoAndUmociReadBack() throws Exception {
    Image image = importImage(registry.host() + "/app:v1",
        Map.of("etc/hello", "hello\n", "usr/bin/tool", "#!/bin/sh\necho tool\n"));

    List<PushedImage> pushed = push(registry.host() + "/app:v1");

    Digest digest = pushed.getFirst().digest();
    assertThat(digest).isEqualTo(image.manifestDigest());
    byte[] raw = RegistryPush.rawManifest(registry, "app:v1");
    assertThat(Digest.sha256(raw)).isEqualTo(digest);
    assertThat(pushed.getFirst().size()).isEqualTo(raw.length);
    String layer = service.manifest(image).value().layers().getFirst().digest().shortHex();
    assertThat(progress.lines()).containsExactly("The push refers to repository [" + registry.host() + "/app]",
        "v1: digest: " + digest + " size: " + raw.length);
    assertThat(progress.states(layer)).startsWith("Preparing").endsWith("Pushed").contains("Pushing");
    assertThat(skopeoInspectDigest(registry.host() + "/app:v1")).isEqualTo(digest.toString());

    Path rootfs = umociUnpack(registry.host() + "/app:v1");
    assertThat(Files.readString(rootfs.resolve("etc/hello"))).isEqualTo("hello\n");
    assertThat(Files.readString(rootfs.resolve("usr/bin/tool"))).isEqualTo("#!/bin/sh\necho tool\n");

    progress.clear();
    push(registry.host() + "/app:v1");
    assertThat(progress.states(layer)).containsExactly("Preparing", "Layer already exists");
  }

  @Test
  void aLargeLayerGoesInChunksAndPullsBackAsTheSameImage() throws Exception {
    Image image = importNoise(registry.host() + "/big:v1", BlobUpload.CHUNK + BlobUpload.CHUNK / 2, 7);
    Digest layer = service.manifest(image).value().layers().getFirst().digest();

    try (RegistryProxy proxy = RegistryProxy.start(URI.create("http://" + registry.host()))) {
      RegistryClient client = new RegistryClient(new LoopbackEndpointResolver(), Authorizer.NONE, new Backoff(1, java.time.Duration.ofMillis(1)));
      service.catalog().tag(image.id().toString(), proxy.host() + "/big:v1");
      service.pushes().push(Reference.parse(proxy.host() + "/big:v1"), false, client, progress);

      List<String> patches = proxy.requests().stream().filter(r -> r.startsWith("PATCH ")).toList();
      assertThat(patches).hasSize(2);
      assertThat(patches.get(0)).contains("content-range=0-" + (BlobUpload.CHUNK - 1));
      assertThat(patches.get(1)).contains("content-range=" + BlobUpload.CHUNK + "-");
      assertThat(proxy.requests()).anyMatch(r -> r.startsWith("PUT ") && r.contains("digest=" + layer.algorithm().id()));
    }
    assertThat(progress.states(layer.shortHex())).contains("Pushing", "Pushed");

    ImageService fresh = ImageService.open(tmp.resolve("fresh"));
    Image pulled = fresh.pulls().pull(Reference.parse(registry.host() + "/big:v1"), new PullOptions(null, false),
        caller, PullProgress.NONE).getFirst().image();
    assertThat(pulled.id()).isEqualTo(image.id());
    assertThat(pulled.manifestDigest()).isEqualTo(image.manifestDigest());
  }

  @Test
  void layersAreMountedFromAnotherRepositoryOfTheRegistry() throws Exception {
    Image image = importImage(registry.host() + "/source:v1", Map.of("etc/shared", "shared\n"));
    push(registry.host() + "/source:v1");
    service.catalog().tag(image.id().toString(), registry.host() + "/target:v1");
    progress.clear();

    push(registry.host() + "/target:v1");

    String layer = service.manifest(image).value().layers().getFirst().digest().shortHex();
    assertThat(progress.states(layer)).containsExactly("Preparing", "Mounted from source");
    assertThat(Digest.sha256(RegistryPush.rawManifest(registry, "target:v1"))).isEqualTo(image.manifestDigest());
  }

  @Test
  void anImagePushedBySkopeoKeepsItsDigestThroughPullAndPush() throws Exception {
    TestLayout layout = new TestLayout(tmp.resolve("layout"));
    TestLayout.Pushed original = layout.image(hostArch(), List.of(Map.of("etc/a", "a\n"), Map.of("etc/b", "b\n"),
        Map.of("etc/c", "c\n"), Map.of("etc/d", "d\n")));
    layout.tag("v1", original);
    RegistryPush.copy("oci:" + layout.dir() + ":v1", registry, "fromskopeo:v1", "--format", "v2s2");
    byte[] served = RegistryPush.rawManifest(registry, "fromskopeo:v1");
    Image image = service.pulls().pull(Reference.parse(registry.host() + "/fromskopeo:v1"),
        new PullOptions(null, false), caller, PullProgress.NONE).getFirst().image();

    try (RegistryServer other = RegistryServer.start()) {
      service.catalog().tag(image.id().toString(), other.host() + "/copied:v1");
      List<PushedImage> pushed = push(other.host() + "/copied:v1");

      assertThat(pushed.getFirst().digest()).isEqualTo(Digest.sha256(served));
      assertThat(RegistryPush.rawManifest(other, "copied:v1")).isEqualTo(served);
      // four layers, three at a time, top first: the bottom one waits
      List<Descriptor> layers = service.manifest(image).value().layers();
      assertThat(progress.states(layers.getFirst().digest().shortHex()))
          .containsExactly("Preparing", "Waiting", "Pushing", "Pushed");
      assertThat(progress.states(layers.getLast().digest().shortHex()))
          .containsExactly("Preparing", "Pushing", "Pushed");
    }
  }

  @Test
  void zstdLayersPushedBySkopeoKeepTheirDigestToo() throws Exception {
    pushWithSkopeo("zstd-src", "v1", Map.of("etc/z", "zstd\n"),
        "--format", "oci", "--dest-compress", "--dest-compress-format", "zstd");
    byte[] served = RegistryPush.rawManifest(registry, "zstd-src:v1");
    Image image = service.pulls().pull(Reference.parse(registry.host() + "/zstd-src:v1"),
        new PullOptions(null, false), caller, PullProgress.NONE).getFirst().image();

    try (RegistryServer other = RegistryServer.start()) {
      service.catalog().tag(image.id().toString(), other.host() + "/zstd:v1");
      push(other.host() + "/zstd:v1");
      assertThat(RegistryPush.rawManifest(other, "zstd:v1")).isEqualTo(served);
      // skopeo verifies each blob it copies against its digest (Debian's umoci cannot read zstd)
      Commands.run("skopeo", "--insecure-policy", "copy", "--src-tls-verify=false",
          "docker://" + other.host() + "/zstd:v1", "oci:" + tmp.resolve("zstd-copy") + ":t");
    }
  }

  @Test
  void anImagePulledThroughAnIndexPushesItsPlatformsManifest() throws Exception {
    TestLayout.Pushed host = pushTwoPlatformIndex("multi").host();
    Image image = service.pulls().pull(Reference.parse(registry.host() + "/multi"),
        new PullOptions(null, false), caller, PullProgress.NONE).getFirst().image();
    assertThat(image.indexDigest()).isNotNull();

    try (RegistryServer other = RegistryServer.start()) {
      service.catalog().tag(image.id().toString(), other.host() + "/single:v1");
      List<PushedImage> pushed = push(other.host() + "/single:v1");
      assertThat(pushed.getFirst().digest()).isEqualTo(host.manifest());
      assertThat(RegistryPush.rawManifest(other, "single:v1")).isEqualTo(host.manifestBytes());
    }
  }

  @Test
  void failedUploadsAreSentAgainWithTheirBody() throws Exception {
    Image image = importNoise(registry.host() + "/flaky:v1", BlobUpload.CHUNK + 1000, 11);
    try (RegistryProxy proxy = RegistryProxy.start(URI.create("http://" + registry.host()))) {
      RegistryClient client = new RegistryClient(new LoopbackEndpointResolver(), Authorizer.NONE,
          new Backoff(3, java.time.Duration.ofMillis(10)));
      service.catalog().tag(image.id().toString(), proxy.host() + "/flaky:v1");
      proxy.failNext(2, 503, "PATCH");

      service.pushes().push(Reference.parse(proxy.host() + "/flaky:v1"), false, client, progress);

      assertThat(proxy.requests().stream().filter(r -> r.startsWith("PATCH ") && r.contains("content-range=0-")))
          .hasSize(3);
    }
    assertThat(RegistryPush.rawManifest(registry, "flaky:v1")).isEqualTo(service.manifest(image).raw());
  }

  @Test
  void aChunkThatBreaksOffIsSentAgain() throws Exception {
    Image image = importNoise(registry.host() + "/cut:v1", BlobUpload.CHUNK + 1000, 13);
    try (RegistryProxy proxy = RegistryProxy.start(URI.create("http://" + registry.host()))) {
      RegistryClient client = new RegistryClient(new LoopbackEndpointResolver(), Authorizer.NONE,
          new Backoff(2, java.time.Duration.ofMillis(10)));
      service.catalog().tag(image.id().toString(), proxy.host() + "/cut:v1");
      proxy.cutNextUploadAfter(12345); // the registry keeps 12345 bytes of the first chunk

      service.pushes().push(Reference.parse(proxy.host() + "/cut:v1"), false, client, progress);

      // the retried PATCH no longer matches the upload, whose state the registry then asks for;
      // docker-registry cancels such an upload, so the layer goes again in a new one
      List<String> requests = proxy.requests();
      assertThat(requests).anyMatch(r -> r.startsWith("GET /v2/cut/blobs/uploads/"));
      assertThat(requests.stream().filter(r -> r.startsWith("PATCH ") && r.contains("content-range=0-"))).hasSize(3);
    }
    ImageService fresh = ImageService.open(tmp.resolve("fresh"));
    Image pulled = fresh.pulls().pull(Reference.parse(registry.host() + "/cut:v1"), new PullOptions(null, false),
        caller, PullProgress.NONE).getFirst().image();
    assertThat(pulled.id()).isEqualTo(image.id());
  }

  @Test
  void aMonolithicUploadThatBreaksOffGoesAgainInANewUpload() throws Exception {
    Image image = importNoise(registry.host() + "/cutsmall:v1", 300_000, 17);
    try (RegistryProxy proxy = RegistryProxy.start(URI.create("http://" + registry.host()))) {
      RegistryClient client = new RegistryClient(new LoopbackEndpointResolver(), Authorizer.NONE,
          new Backoff(2, java.time.Duration.ofMillis(10)));
      service.catalog().tag(image.id().toString(), proxy.host() + "/cutsmall:v1");
      proxy.cutNextUploadAfter(1000, "PUT");

      service.pushes().push(Reference.parse(proxy.host() + "/cutsmall:v1"), false, client, progress);

      assertThat(proxy.requests().stream().filter(r -> r.startsWith("POST /v2/cutsmall/blobs/uploads/")))
          .hasSize(3); // the layer's, its second, the config's
    }
    assertThat(RegistryPush.rawManifest(registry, "cutsmall:v1")).isEqualTo(service.manifest(image).raw());
  }

  @Test
  void allTagsPushesEveryLocalTagOfTheRepository() throws Exception {
    Image one = importImage(registry.host() + "/tags:one", Map.of("etc/one", "1\n"));
    Image two = importImage(registry.host() + "/tags:two", Map.of("etc/two", "2\n"));

    List<PushedImage> pushed = service.pushes().push(Reference.parse(registry.host() + "/tags"), true, caller, progress);

    assertThat(pushed).extracting(p -> p.reference().tag()).containsExactly("one", "two");
    assertThat(Digest.sha256(RegistryPush.rawManifest(registry, "tags:one"))).isEqualTo(one.manifestDigest());
    assertThat(Digest.sha256(RegistryPush.rawManifest(registry, "tags:two"))).isEqualTo(two.manifestDigest());
  }

  @Test
  void aMissingImageIsRefusedInDockersWords() throws Exception {
    assertThatThrownBy(() -> push(registry.host() + "/nothing:v1"))
        .isInstanceOf(NotFoundException.class)
        .hasMessage("An image does not exist locally with the tag: " + registry.host() + "/nothing");
    importImage(registry.host() + "/something:v1", Map.of("etc/x", "x\n"));
    assertThatThrownBy(() -> push(registry.host() + "/something:v2"))
        .hasMessage("tag does not exist: " + registry.host() + "/something:v2");
  }

  @Test
  void aRegistryThatIsDownIsAOneLineError() throws Exception {
    int port;
    try (var socket = new java.net.ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String name = "127.0.0.1:" + port + "/down:v1";
    importImage(name, Map.of("etc/x", "x\n"));
    RegistryClient client = new RegistryClient(new LoopbackEndpointResolver(), Authorizer.NONE, new Backoff(1, java.time.Duration.ofMillis(1)));
    assertThatThrownBy(() -> service.pushes().push(Reference.parse(name), false, client, progress))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("dial tcp 127.0.0.1:" + port + ": connect: connection refused");
  }

  private List<PushedImage> push(String reference) {
    return service.pushes().push(Reference.parse(reference), false, caller, progress);
  }

  private Image importImage(String name, Map<String, String> files) throws IOException, InterruptedException {
    Path dir = tmp.resolve("rootfs-" + Math.abs(name.hashCode()));
    for (Map.Entry<String, String> file : files.entrySet()) {
      Files.createDirectories(dir.resolve(file.getKey()).getParent());
      Files.writeString(dir.resolve(file.getKey()), file.getValue());
    }
    return importDirectory(dir, name);
  }

  /** A one-layer image of {@code size} random bytes (incompressible: the layer is as large). */
  private Image importNoise(String name, long size, long seed) throws IOException, InterruptedException {
    byte[] noise = new byte[(int) size];
    new Random(seed).nextBytes(noise);
    Path dir = tmp.resolve("noise-" + seed);
    Files.createDirectories(dir.resolve("data"));
    Files.write(dir.resolve("data/noise"), noise);
    return importDirectory(dir, name);
  }

  private Image importDirectory(Path dir, String name) throws IOException, InterruptedException {
    Path tar = tmp.resolve("rootfs-" + Math.abs(name.hashCode()) + ".tar");
    Commands.run("tar", "-C", dir.toString(), "-cf", tar.toString(), ".");
    try (InputStream in = Files.newInputStream(tar)) {
      return service.archives().importRootfs(in, List.of(Reference.parse(name)), List.of(), "");
    }
  }

  private String skopeoInspectDigest(String reference) throws IOException, InterruptedException {
    return Commands.run("skopeo", "inspect", "--tls-verify=false", "--format", "{{.Digest}}", "docker://" + reference).strip();
  }

  /** skopeo copies the pushed image to an OCI layout, umoci unpacks it: the root filesystem. */
  private Path umociUnpack(String reference) throws IOException, InterruptedException {
    Path layout = tmp.resolve("umoci-layout");
    Commands.run("skopeo", "--insecure-policy", "copy", "--src-tls-verify=false", "docker://" + reference,
        "oci:" + layout + ":t");
    Path bundle = tmp.resolve("umoci-bundle");
    Commands.run("umoci", "unpack", "--image", layout + ":t", bundle.toString());
    return bundle.resolve("rootfs");
  }

  private static String hostArch() {
    return switch (System.getProperty("os.arch")) {
      case "aarch64" -> "arm64";
      default -> "amd64";
    };
  }
}
