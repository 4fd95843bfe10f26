package org.jocker.images.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.jocker.images.ImageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PlatformSelectorTest {
  static ImageIndex index(String fixture) {
    return (ImageIndex) ManifestParser.parseManifest(ManifestParserTest.fixture(fixture), null).value();
  }

  @ParameterizedTest
  @CsvSource({
      "amd64,   ,   1111",
      "x86_64,  ,   1111",
      "arm64,   ,   4444",
      "aarch64, ,   4444",
      "arm,     v7, 3333",
      "arm,     v6, 2222",
      "arm,     ,   3333",
      "arm,     v8, 3333",
  })
  void picksTheManifestForThePlatform(String arch, String variant, String digestPrefix) {
    Descriptor d = new PlatformSelector(Platform.of("linux", arch, variant))
        .select(index("docker-manifest-list.json"));
    assertThat(d.digest().encoded()).startsWith(digestPrefix);
  }

  @Test
  void ociIndexSkipsAttestationEntries() {
    Descriptor d = new PlatformSelector(Platform.of("linux", "amd64", null)).select(index("oci-index.json"));
    assertThat(d.digest().encoded()).startsWith("7777");
    // arm64 without variant in the index matches an arm64/v8 host.
    Descriptor arm = new PlatformSelector(Platform.of("linux", "arm64", "v8")).select(index("oci-index.json"));
    assertThat(arm.digest().encoded()).startsWith("6666");
  }

  @Test
  void noMatchIsWordedAsDocker() {
    assertThatThrownBy(() -> new PlatformSelector(Platform.of("linux", "s390x", null))
        .select(index("docker-manifest-list.json")))
        .isInstanceOf(ImageException.class)
        .hasMessage("no matching manifest for linux/s390x in the manifest list entries");
    assertThatThrownBy(() -> new PlatformSelector(Platform.of("linux", "arm", "v5"))
        .select(index("oci-index.json")))
        .hasMessage("no matching manifest for linux/arm/v5 in the manifest list entries");
  }

  @Test
  void hostPlatformIsNormalised() {
    Platform host = Platform.host();
    assertThat(host.os()).isEqualTo("linux");
    assertThat(host.architecture()).isIn("amd64", "arm64", "arm", "386", "ppc64le", "s390x", "riscv64");
  }
}
