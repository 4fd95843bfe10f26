package org.jocker.build.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Docker's build-time expansion, case by case (the forms of the Dockerfile reference). */
class ShellLexerTest {
  private static final Variables VARS =
      Variables.of(Map.of("FOO", "bar", "EMPTY", "", "SPACES", "a b", "str", "foobarbaz",
          "path", "/usr/local/bin/tool.tar.gz"));

  private static String expand(String word) {
    return ShellLexer.DEFAULT.expandWord(word, VARS);
  }

  @ParameterizedTest(name = "{0} -> [{1}]")
  @CsvSource(delimiter = '|', quoteCharacter = '~', emptyValue = "", value = {
      "$FOO            | bar",
      "${FOO}          | bar",
      "${FOO}baz       | barbaz",
      "$FOObaz         | ~~",
      "pre-$FOO-post   | pre-bar-post",
      "$UNSET          | ~~",
      "\\$FOO          | $FOO",
      "'$FOO'          | $FOO",
      "\"$FOO\"        | bar",
      "\"\\$FOO\"      | $FOO",
      "a\\nb           | anb",
      "\"a\\nb\"       | a\\nb",
      "'a\\nb'         | a\\nb",
      "\"a\\\\b\"      | a\\b",
      "\"say \\\"hi\\\"\" | say \"hi\"",
      "$               | $",
      "a$              | a$",
      "$1              | ~~",
      "$@x             | x",
      "a\\             | a",
      "${UNSET:-x}     | x",
      "${EMPTY:-x}     | x",
      "${EMPTY-x}      | ~~",
      "${UNSET-x}      | x",
      "${FOO:-x}       | bar",
      "${UNSET:+x}     | ~~",
      "${EMPTY:+x}     | ~~",
      "${EMPTY+x}      | x",
      "${FOO:+x}       | x",
      "${FOO+x}        | x",
      "${EMPTY?}       | ~~",
      "${FOO:?oops}    | bar",
      "${UNSET:-${FOO}x} | barx",
      "${UNSET:-'a b'} | a b",
      "${UNSET:-\"$FOO\"} | bar",
      // the reference's examples, str=foobarbaz
      "${str#f*b}      | arbaz",
      "${str##f*b}     | az",
      "${str%b*z}      | foobar",
      "${str%%b*z}     | foo",
      "${str/ba/fo}    | fooforbaz",
      "${str//ba/fo}   | fooforfoz",
      "${str/ba}       | foorbaz",
      "${str#nomatch}  | foobarbaz",
      "${path##*/}     | tool.tar.gz",
      "${path%%.*}     | /usr/local/bin/tool",
      "${path%.*}      | /usr/local/bin/tool.tar",
      "${str#\\*}      | foobarbaz",
      "${str#?}        | oobarbaz",
      "${UNSET#x}      | ~~",
  })
  void expandsAWord(String word, String expected) {
    assertThat(expand(word)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
      "${UNSET:?}      | UNSET: is not allowed to be unset",
      "${UNSET?}       | UNSET: is not allowed to be unset",
      "${EMPTY:?}      | EMPTY: is not allowed to be empty",
      "${UNSET:?oops}  | UNSET: oops",
      "${}             | syntax error: bad substitution",
      "${:x}           | syntax error: bad substitution",
      "${FOO           | syntax error: missing '}'",
      "${FOO:-x        | syntax error: missing '}'",
      "${FOO:0:1}      | unsupported modifier (:0) in substitution",
      "${FOO:#x}       | unsupported modifier (:#) in substitution",
      "${FOO=x}        | unsupported modifier (=) in substitution",
      "\"open          | unexpected end of statement while looking for matching double-quote",
      "'open           | unexpected end of statement while looking for matching single-quote",
  })
  void refusesWhatDockerRefuses(String word, String message) {
    assertThatThrownBy(() -> expand(word))
        .isInstanceOf(ExpansionException.class)
        .hasMessage(message);
  }

  @Test
  void theBacktickEscapeLeavesBackslashesAlone() {
    ShellLexer backtick = new ShellLexer('`');
    assertThat(backtick.expandWord("`$FOO", VARS)).isEqualTo("$FOO");
    assertThat(backtick.expandWord("\\$FOO", VARS)).isEqualTo("\\bar");
    assertThat(backtick.expandWord("C:\\path\\$FOO", VARS)).isEqualTo("C:\\path\\bar");
  }

  @Test
  void wordsSplitAtUnquotedWhitespaceAndUnquotedExpansions() {
    assertThat(ShellLexer.DEFAULT.expandWords("a $SPACES 'c d' \"$SPACES\" \"\" e\\ f", VARS))
        .containsExactly("a", "a", "b", "c d", "a b", "", "e f");
    assertThat(ShellLexer.DEFAULT.expandWords("  80/tcp\t$EMPTY 443  ", VARS))
        .containsExactly("80/tcp", "443");
  }

  @Test
  void aWordKeepsItsWhitespace() {
    assertThat(expand("/a b/$SPACES")).isEqualTo("/a b/a b");
  }

  @Test
  void heredocBodiesExpandButQuotesAreNotSpecial() {
    assertThat(ShellLexer.DEFAULT.expandHeredoc("printf \"a\\nb\" '$FOO'\n${EMPTY:-x}\n", VARS))
        .isEqualTo("printf \"anb\" 'bar'\nx\n");
  }
}
