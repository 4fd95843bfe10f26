package org.jocker.build.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** .dockerignore patterns, with the examples of Docker's build-context documentation. */
class DockerIgnoreTest {

  /** Each row: the file's lines ("\n" written as ";"), a path, whether it is excluded. */
  @ParameterizedTest(name = "[{0}] {1} -> {2}")
  @CsvSource(delimiter = '|', value = {
      // the documented example file
      "# comment;*/temp*;*/*/temp*;temp? | somedir/temporary.txt     | true",
      "# comment;*/temp*;*/*/temp*;temp? | somedir/temp/file         | true",
      "# comment;*/temp*;*/*/temp*;temp? | somedir/subdir/temporary.txt | true",
      "# comment;*/temp*;*/*/temp*;temp? | tempa                     | true",
      "# comment;*/temp*;*/*/temp*;temp? | tempab                    | false",
      "# comment;*/temp*;*/*/temp*;temp? | temporary.txt             | false",
      "# comment;*/temp*;*/*/temp*;temp? | a/b/c/temp                | false",
      "# comment;*/temp*;*/*/temp*;temp? | comment                   | false",
      // ** matches any number of directories, none included
      "**/*.go                           | main.go                   | true",
      "**/*.go                           | cmd/tool/main.go          | true",
      "**/*.go                           | main.go.txt               | false",
      "docs/**                           | docs/a/b.md               | true",
      "docs/**                           | docs                      | false",
      "a/**/b                            | a/b                       | true",
      "a/**/b                            | a/x/y/b/c                 | true",
      // exceptions: the last matching line wins
      "*.md;!README.md                   | CHANGES.md                | true",
      "*.md;!README.md                   | README.md                 | false",
      "*.md;!README*.md;README-secret.md | README-secret.md          | true",
      "*.md;!README*.md;README-secret.md | README-1.md               | false",
      "*.md;README-secret.md;!README*.md | README-secret.md          | false",
      // anchored at the root; a parent directory's match counts
      "foo                               | foo/bar                   | true",
      "foo                               | a/foo                     | false",
      "/foo/./bar/                       | foo/bar/baz               | true",
      "./bar                             | bar                       | true",
      "a/../b                            | b                         | true",
      // Go's filepath.Match within one element
      "file?.txt                         | file1.txt                 | true",
      "file?.txt                         | file/.txt                 | false",
      "*.txt                             | dir/a.txt                 | false",
      "[a-c]*                            | bin                       | true",
      "[a-c]*                            | dev                       | false",
      "[^a-c]*                           | dev                       | true",
      "\\*                               | *                         | true",
      "\\*                               | x                         | false",
      // comments only in column 1, lines are trimmed
      "'  # not a comment'               | # not a comment           | true",
      "  spaced  ;! spaced               | spaced                    | false",
      "dir;!dir/keep                     | dir/keep                  | false",
      "dir;!dir/keep                     | dir/other                 | true",
  })
  void matchesAsDockerDoes(String lines, String path, boolean excluded) {
    DockerIgnore ignore = DockerIgnore.parse(lines.replace(';', '\n'));
    assertThat(ignore.matches(path)).isEqualTo(excluded);
  }

  @Test
  void aBareExclamationMarkOrABadClassIsRefused() {
    assertThatThrownBy(() -> DockerIgnore.parse("a\n!\n"))
        .isInstanceOf(IgnorePatternException.class)
        .hasMessage("illegal exclusion pattern: \"!\"");
    assertThatThrownBy(() -> DockerIgnore.parse("[a\n"))
        .isInstanceOf(IgnorePatternException.class)
        .hasMessage("syntax error in pattern: \"[a\"");
  }

  @Test
  void nothingIsExcludedWithoutPatterns() {
    assertThat(DockerIgnore.parse("# only\n\n").matches("x")).isFalse();
    assertThat(DockerIgnore.NONE.matches("Dockerfile")).isFalse();
  }
}
