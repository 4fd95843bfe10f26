package org.jocker.build.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.jocker.build.BuildException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** ADD's URLs: which are http sources, the file name each gives, the dates and checksums read. */
class HttpSourceTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "http://example.com/foobar            | foobar",
      "https://example.com/a/b/file.tar.gz?x=1 | file.tar.gz",
      "http://example.com/dir/              | dir",
      "http://example.com                   | __unnamed__",
      "http://example.com/                  | __unnamed__",
  })
  void theFileIsNamedAfterTheLastElementOfThePath(String url, String name) {
    assertThat(HttpSource.fileName(url)).isEqualTo(name);
  }

  @Test
  void gitAddressesAreNotHttpSources() {
    assertThat(HttpSource.isHttp("https://example.com/archive.zip")).isTrue();
    assertThat(HttpSource.isHttp("https://github.com/moby/buildkit.git#v0.10.1")).isFalse();
    assertThat(HttpSource.isGit("https://github.com/moby/buildkit.git")).isTrue();
    assertThat(HttpSource.isGit("git@github.com:user/repo.git")).isTrue();
    assertThat(HttpSource.isHttp("local/file")).isFalse();
  }

  @Test
  void lastModifiedIsAnHttpDateElseTheEpoch() {
    assertThat(HttpSource.lastModified("Sun, 09 Sep 2001 01:46:40 GMT").toMillis()).isEqualTo(1_000_000_000_000L);
    assertThat(HttpSource.lastModified("yesterday").toMillis()).isZero();
    assertThat(HttpSource.lastModified(null).toMillis()).isZero();
  }

  @Test
  void onlySha256ChecksumsAreTaken() {
    String good = "sha256:" + "ab".repeat(32);
    assertThat(HttpSource.checkedDigest(good)).isEqualTo(good);
    assertThatThrownBy(() -> HttpSource.checkedDigest("abc")).isInstanceOf(BuildException.class)
        .hasMessage("invalid checksum digest format");
    assertThatThrownBy(() -> HttpSource.checkedDigest("md5:abc")).hasMessage("unsupported digest algorithm");
    assertThatThrownBy(() -> HttpSource.checkedDigest("sha256:abc")).hasMessage("invalid checksum digest length");
  }
}
