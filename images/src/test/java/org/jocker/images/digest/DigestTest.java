package org.jocker.images.digest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.jocker.images.ImageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DigestTest {
  static final String EMPTY_SHA256 =
      "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  @Test
  void parsesAndPrintsCanonicalForm() {
    Digest d = Digest.parse(EMPTY_SHA256);
    assertThat(d.algorithm()).isEqualTo(DigestAlgorithm.SHA256);
    assertThat(d.encoded()).startsWith("e3b0c442");
    assertThat(d).hasToString(EMPTY_SHA256);
    assertThat(d.shortHex()).isEqualTo("e3b0c44298fc");
    assertThat(Digest.sha256(new byte[0])).isEqualTo(d);
  }

  @Test
  void parsesSha512() {
    String hex = "a".repeat(128);
    assertThat(Digest.parse("sha512:" + hex).algorithm()).isEqualTo(DigestAlgorithm.SHA512);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 | expected algorithm:hex",
      ":abc | expected algorithm:hex",
      "md5:d41d8cd98f00b204e9800998ecf8427e | unsupported algorithm md5",
      "sha256:abc | sha256 needs 64 hex characters, got 3",
      "sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855 | 'E' is not a lowercase hex",
      "sha256:g3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 | 'g' is not a lowercase hex",
      "sha512:abcd | sha512 needs 128 hex characters, got 4",
  })
  void rejectsMalformedDigestsWithOneLineNamingIt(String text, String reason) {
    assertThatThrownBy(() -> Digest.parse(text))
        .isInstanceOf(ImageException.class)
        .hasMessageStartingWith("invalid digest \"" + text + "\"")
        .hasMessageContaining(reason)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    assertThat(Digest.isDigest(text)).isFalse();
  }

  @Test
  void streamsDigestAsBytesPass() throws Exception {
    byte[] data = "hello, layers".repeat(10_000).getBytes(StandardCharsets.UTF_8);
    Digest expected = Digest.sha256(data);

    DigestingInputStream in = new DigestingInputStream(new ByteArrayInputStream(data), DigestAlgorithm.SHA256);
    in.transferTo(java.io.OutputStream.nullOutputStream());
    assertThat(in.digest()).isEqualTo(expected);
    assertThat(in.count()).isEqualTo(data.length);

    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    try (DigestingOutputStream out = new DigestingOutputStream(sink, DigestAlgorithm.SHA256)) {
      out.write(data, 0, 5);
      out.write(data[5]);
      out.write(data, 6, data.length - 6);
      assertThat(out.digest()).isEqualTo(expected);
      assertThat(out.count()).isEqualTo(data.length);
    }
    assertThat(sink.toByteArray()).isEqualTo(data);
  }

  @Test
  void digesterDigestMidStreamDoesNotDisturbTheRunningHash() {
    Digester d = Digester.sha256();
    d.update(new byte[] {'a', 'b'}, 0, 2);
    assertThat(d.digest()).isEqualTo(Digest.sha256("ab"));
    d.update('c');
    assertThat(d.digest()).isEqualTo(Digest.sha256("abc"));
  }
}
