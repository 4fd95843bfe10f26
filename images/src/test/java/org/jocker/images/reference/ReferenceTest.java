package org.jocker.images.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.jocker.images.ImageException;
import org.jocker.images.digest.Digest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Examples from Docker's reference tests and documentation, with the forms Docker gives them. */
class ReferenceTest {
  static final String HEX = "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff";

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiter = '|', value = {
      // typed                                   | normalised                                        | familiar
      "busybox                                   | docker.io/library/busybox:latest                  | busybox:latest",
      "busybox:1.36                              | docker.io/library/busybox:1.36                    | busybox:1.36",
      "library/busybox                           | docker.io/library/busybox:latest                  | busybox:latest",
      "docker.io/busybox                         | docker.io/library/busybox:latest                  | busybox:latest",
      "index.docker.io/library/busybox           | docker.io/library/busybox:latest                  | busybox:latest",
      "docker.io/library/foo/bar                 | docker.io/library/foo/bar:latest                  | library/foo/bar:latest",
      "user/repo                                 | docker.io/user/repo:latest                        | user/repo:latest",
      "user/repo:tag                             | docker.io/user/repo:tag                           | user/repo:tag",
      "test_com                                  | docker.io/library/test_com:latest                 | test_com:latest",
      "test.com:tag                              | docker.io/library/test.com:tag                    | test.com:tag",
      "test.com:5000                             | docker.io/library/test.com:5000                   | test.com:5000",
      "test.com/repo:tag                         | test.com/repo:tag                                 | test.com/repo:tag",
      "test:5000/repo                            | test:5000/repo:latest                             | test:5000/repo:latest",
      "test:5000/repo:tag                        | test:5000/repo:tag                                | test:5000/repo:tag",
      "lowercase:Uppercase                       | docker.io/library/lowercase:Uppercase             | lowercase:Uppercase",
      "sub-dom1.foo.com/bar/baz/quux             | sub-dom1.foo.com/bar/baz/quux:latest              | sub-dom1.foo.com/bar/baz/quux:latest",
      "sub-dom1.foo.com/bar/baz/quux:some-long-tag | sub-dom1.foo.com/bar/baz/quux:some-long-tag     | sub-dom1.foo.com/bar/baz/quux:some-long-tag",
      "b.gcr.io/test.example.com/my-app:test.example.com | b.gcr.io/test.example.com/my-app:test.example.com | b.gcr.io/test.example.com/my-app:test.example.com",
      "xn--n3h.com/myimage:xn--n3h.com           | xn--n3h.com/myimage:xn--n3h.com                   | xn--n3h.com/myimage:xn--n3h.com",
      "foo_bar.com:8080                          | docker.io/library/foo_bar.com:8080                | foo_bar.com:8080",
      "foo/foo_bar.com:8080                      | docker.io/foo/foo_bar.com:8080                    | foo/foo_bar.com:8080",
      "a/a__b/c-d---e.f                          | docker.io/a/a__b/c-d---e.f:latest                 | a/a__b/c-d---e.f:latest",
      "192.168.1.1/foo                           | 192.168.1.1/foo:latest                            | 192.168.1.1/foo:latest",
      "192.168.1.1:5000/foo                      | 192.168.1.1:5000/foo:latest                       | 192.168.1.1:5000/foo:latest",
      "[2001:db8::1]:5000/repo:tag               | [2001:db8::1]:5000/repo:tag                       | [2001:db8::1]:5000/repo:tag",
      "localhost/foo                             | localhost/foo:latest                              | localhost/foo:latest",
      "localhost:5000/x/y:tag                    | localhost:5000/x/y:tag                            | localhost:5000/x/y:tag",
      "localhost:5000/x:tag                      | localhost:5000/x:tag                              | localhost:5000/x:tag",
  })
  void normalisesAsDocker(String typed, String normalised, String familiar) {
    Reference ref = Reference.parse(typed);
    assertThat(ref).hasToString(normalised);
    assertThat(ref.familiar()).isEqualTo(familiar);
    assertThat(Reference.parse(ref.toString())).isEqualTo(ref);
    assertThat(Reference.parse(ref.familiar())).isEqualTo(ref);
  }

  @Test
  void digestReferencesKeepNoDefaultTag() {
    Reference ref = Reference.parse("registry.example.com/a/b@sha256:" + HEX);
    assertThat(ref.domain()).isEqualTo("registry.example.com");
    assertThat(ref.path()).isEqualTo("a/b");
    assertThat(ref.tag()).isNull();
    assertThat(ref.digest()).isEqualTo(Digest.parse("sha256:" + HEX));
    assertThat(ref).hasToString("registry.example.com/a/b@sha256:" + HEX);

    Reference official = Reference.parse("busybox@sha256:" + HEX);
    assertThat(official).hasToString("docker.io/library/busybox@sha256:" + HEX);
    assertThat(official.familiar()).isEqualTo("busybox@sha256:" + HEX);
  }

  @Test
  void tagAndDigestTogether() {
    Reference ref = Reference.parse("test:5000/repo:tag@sha256:" + HEX);
    assertThat(ref.tag()).isEqualTo("tag");
    assertThat(ref.isDigested()).isTrue();
    assertThat(ref).hasToString("test:5000/repo:tag@sha256:" + HEX);
    assertThat(ref.name()).isEqualTo("test:5000/repo");
  }

  @Test
  void withTagAndWithDigestReplaceBoth() {
    Reference ref = Reference.parse("busybox:1.36@sha256:" + HEX);
    assertThat(ref.withTag("edge")).hasToString("docker.io/library/busybox:edge");
    assertThat(ref.withDigest(Digest.parse("sha256:" + HEX)).tag()).isNull();
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiter = '|', value = {
      "''                                   | invalid reference format: repository name must have at least one component",
      ":justtag                             | invalid reference format",
      "@sha256:" + HEX + "                  | invalid reference format",
      "Uppercase:tag                        | invalid reference format: repository name (library/Uppercase) must be lowercase",
      "test:5000/Uppercase/lowercase:tag    | invalid reference format: repository name (Uppercase/lowercase) must be lowercase",
      "aa/asdf$$^/aa                        | invalid reference format: \"aa/asdf$$^/aa\"",
      "foo//bar                             | invalid reference format",
      "foo/                                 | invalid reference format",
      "-foo                                 | invalid reference format",
      "a___b                                | invalid reference format",
      "repo:-tag                            | invalid reference format: invalid tag \"-tag\"",
      "busybox:                             | invalid reference format",
      "validname@invaliddigest:" + HEX + "  | invalid reference format",
      "busybox@sha256:abc                   | invalid reference format",
      HEX + "                               | invalid repository name (" + HEX + "), cannot specify 64-byte hexadecimal strings",
  })
  void rejectsWithOneLineError(String typed, String message) {
    assertThatThrownBy(() -> Reference.parse(typed))
        .isInstanceOf(ImageException.class)
        .hasMessageStartingWith(message)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    assertThat(Reference.isValid(typed)).isFalse();
  }

  @Test
  void tagLongerThan128IsRejected() {
    assertThat(Reference.isValid("repo:" + "a".repeat(128))).isTrue();
    assertThatThrownBy(() -> Reference.parse("repo:" + "a".repeat(129)))
        .hasMessageStartingWith("invalid reference format");
  }

  @Test
  void nameLongerThan255IsRejected() {
    assertThat(Reference.isValid("a".repeat(255 - "docker.io/library/".length()))).isTrue();
    assertThatThrownBy(() -> Reference.parse("a".repeat(256 - "docker.io/library/".length())))
        .hasMessageStartingWith("invalid reference format: repository name must not be more than 255 characters");
  }
}
