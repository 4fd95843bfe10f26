package org.jocker.images.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jocker.images.ImageException;
import org.jocker.images.digest.Digest;
import org.jocker.images.layer.Compression;
import org.junit.jupiter.api.Test;

class ManifestParserTest {
  static byte[] fixture(String name) {
    try (InputStream in = ManifestParserTest.class.getResourceAsStream("/manifest/" + name)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void writtenMapsHaveTheirKeysSortedAsGoWritesThem() throws Exception {
    // Map.copyOf's order changes from one JVM to the next: unsorted, the same image's bytes would too.
    Map<String, String> annotations = new LinkedHashMap<>();
    for (String key : List.of("zeta", "alpha", "mid", "beta")) {
      annotations.put(key, "v");
    }
    Descriptor d = new Descriptor(MediaTypes.OCI_MANIFEST, Digest.sha256(new byte[0]), 0, null, annotations, null, null);
    String json = ManifestParser.json().writeValueAsString(d);
    assertThat(json).contains("{\"alpha\":\"v\",\"beta\":\"v\",\"mid\":\"v\",\"zeta\":\"v\"}");
  }

  @Test
  void ociManifest() {
    byte[] raw = fixture("oci-manifest.json");
    Document<Manifest> doc = ManifestParser.parseManifest(raw, MediaTypes.OCI_MANIFEST);
    assertThat(doc.digest()).isEqualTo(Digest.sha256(raw));
    assertThat(doc.bytes()).isEqualTo(raw);
    ImageManifest m = (ImageManifest) doc.value();
    assertThat(m.config().mediaType()).isEqualTo(MediaTypes.OCI_CONFIG);
    assertThat(m.config().size()).isEqualTo(1471);
    assertThat(m.layers()).extracting(Descriptor::mediaType)
        .containsExactly(MediaTypes.OCI_LAYER_GZIP, MediaTypes.OCI_LAYER_ZSTD);
    assertThat(m.layers()).extracting(d -> Compression.ofLayerMediaType(d.mediaType()))
        .containsExactly(Compression.GZIP, Compression.ZSTD);
    assertThat(m.layers().get(1).annotations()).containsEntry("org.opencontainers.image.title", "extra");
    assertThat(m.annotations()).containsKey("org.opencontainers.image.base.name");
  }

  @Test
  void dockerSchema2ManifestWithForeignLayer() {
    ImageManifest m = ManifestParser.parseImageManifest(fixture("docker-manifest.json"), null).value();
    assertThat(m.mediaType()).isEqualTo(MediaTypes.DOCKER_MANIFEST);
    assertThat(m.config().mediaType()).isEqualTo(MediaTypes.DOCKER_CONFIG);
    Descriptor foreign = m.layers().get(1);
    assertThat(MediaTypes.isNonDistributable(foreign.mediaType())).isTrue();
    assertThat(foreign.urls()).containsExactly("https://example.com/layers/f0f0");
    assertThat(Compression.ofLayerMediaType(m.layers().get(0).mediaType())).isEqualTo(Compression.GZIP);
  }

  @Test
  void manifestWithoutMediaTypeIsRecognisedByShape() {
    Manifest m = ManifestParser.parseManifest(fixture("oci-manifest-no-mediatype.json"), null).value();
    assertThat(m).isInstanceOf(ImageManifest.class);
    assertThat(m.mediaType()).isNull();
  }

  @Test
  void dockerManifestListIsAnIndex() {
    Manifest m = ManifestParser.parseManifest(fixture("docker-manifest-list.json"), null).value();
    ImageIndex index = (ImageIndex) m;
    assertThat(index.manifests()).hasSize(5);
    Platform windows = index.manifests().get(4).platform();
    assertThat(windows.osVersion()).isEqualTo("10.0.17763.5122");
    assertThat(windows.osFeatures()).containsExactly("win32k");
  }

  @Test
  void ociIndexKeepsItsUnknownFieldsInTheRawBytes() {
    byte[] raw = fixture("oci-index.json");
    Document<Manifest> doc = ManifestParser.parseManifest(raw, MediaTypes.OCI_INDEX);
    assertThat(doc.value()).isInstanceOf(ImageIndex.class);
    assertThat(new String(doc.bytes(), StandardCharsets.UTF_8)).contains("someFutureField");
    assertThat(doc.digest()).isEqualTo(Digest.sha256(raw));
  }

  @Test
  void rejectsUnknownMediaType() {
    byte[] raw = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.example.thing+json\",\"config\":{}}"
        .getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> ManifestParser.parseManifest(raw, null))
        .isInstanceOf(ImageException.class)
        .hasMessage("manifest " + Digest.sha256(raw)
            + ": unsupported media type \"application/vnd.example.thing+json\"");
  }

  @Test
  void rejectsSchema1() {
    assertThatThrownBy(() -> ManifestParser.parseManifest(fixture("schema1.json"),
        MediaTypes.DOCKER_SCHEMA1_SIGNED))
        .hasMessageContaining("schema 1 is not supported");
  }

  @Test
  void rejectsMediaTypeThatContradictsHowItWasServed() {
    assertThatThrownBy(() -> ManifestParser.parseManifest(fixture("oci-manifest.json"), MediaTypes.OCI_INDEX))
        .hasMessageContaining("declares media type " + MediaTypes.OCI_MANIFEST
            + " but was served as " + MediaTypes.OCI_INDEX);
  }

  @Test
  void rejectsIndexWhereManifestIsExpected() {
    assertThatThrownBy(() -> ManifestParser.parseImageManifest(fixture("oci-index.json"), null))
        .hasMessageEndingWith("is an index, expected an image manifest");
  }

  @Test
  void rejectsBrokenJsonWithOneLine() {
    byte[] raw = "{\"schemaVersion\": 2, ".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> ManifestParser.parseManifest(raw, null))
        .hasMessage(Digest.sha256(raw) + ": invalid JSON: unexpected end of JSON input");
  }

  @Test
  void dockerConfig() {
    byte[] raw = fixture("docker-config.json");
    Document<ImageConfig> doc = ManifestParser.parseConfig(raw);
    assertThat(doc.digest()).isEqualTo(Digest.sha256(raw));
    ImageConfig c = doc.value();
    assertThat(c.architecture()).isEqualTo("amd64");
    assertThat(c.os()).isEqualTo("linux");
    assertThat(c.created()).isEqualTo("2024-02-14T21:03:15.123456789Z");
    ImageConfig.ContainerConfig cc = c.config();
    assertThat(cc.user()).isEqualTo("nobody");
    assertThat(cc.env()).contains("NGINX_VERSION=1.25.4");
    assertThat(cc.entrypoint()).containsExactly("/docker-entrypoint.sh");
    assertThat(cc.cmd()).containsExactly("nginx", "-g", "daemon off;");
    assertThat(cc.workingDir()).isEqualTo("/srv");
    assertThat(cc.labels()).containsEntry("maintainer", "NGINX Docker Maintainers");
    assertThat(cc.exposedPorts()).containsOnlyKeys("80/tcp", "443/tcp");
    assertThat(cc.volumes()).containsOnlyKeys("/var/cache/nginx");
    assertThat(cc.stopSignal()).isEqualTo("SIGQUIT");
    assertThat(c.rootfs().type()).isEqualTo("layers");
    assertThat(c.diffIds()).hasSize(2);
    assertThat(c.history()).hasSize(3);
    assertThat(c.history().get(1).isEmptyLayer()).isTrue();
    assertThat(c.history().get(2).comment()).isEqualTo("buildkit.dockerfile.v0");
    // The fields we do not model stay in the bytes the digest is of.
    assertThat(new String(doc.bytes(), StandardCharsets.UTF_8)).contains("docker_version");
  }

  @Test
  void configKeepsNullApartFromEmpty() {
    ImageConfig c = ManifestParser.parseConfig(fixture("oci-config-arm.json")).value();
    assertThat(c.config().entrypoint()).isEmpty();
    assertThat(c.config().cmd()).isNull();
    assertThat(c.platform().format()).isEqualTo("linux/arm/v7");
    assertThat(c.diffIds()).isEmpty();
  }

  @Test
  void recordsWriteBackAsValidOci() throws Exception {
    Descriptor config = Descriptor.of(MediaTypes.OCI_CONFIG, Digest.sha256("{}"), 2);
    ImageManifest m = new ImageManifest(2, MediaTypes.OCI_MANIFEST, null, config, null, null, null);
    byte[] raw = ManifestParser.json().writeValueAsBytes(m);
    String text = new String(raw, StandardCharsets.UTF_8);
    assertThat(text).contains("\"digest\":\"" + Digest.sha256("{}") + "\"").doesNotContain("urls");
    assertThat(ManifestParser.parseImageManifest(raw, MediaTypes.OCI_MANIFEST).value()).isEqualTo(m);
  }
}
