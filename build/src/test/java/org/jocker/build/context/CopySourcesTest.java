package org.jocker.build.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** COPY's sources against a context (the reference's examples: hom*, hom?.txt, ../, dirs). */
class CopySourcesTest {
  private static final List<ContextEntry> CONTEXT = Stream.of(
          "app/", "app/main.c", "app/lib/", "app/lib/x.c", "home.txt", "homer.txt", "hom.md",
          "src/", "src/a.go", "src/b.go", "src/sub/", "src/sub/c.go", "[literal].txt")
      .map(p -> p.endsWith("/")
          ? new ContextEntry(p.substring(0, p.length() - 1), ContextEntry.Kind.DIRECTORY, 0, null)
          : new ContextEntry(p, ContextEntry.Kind.FILE, 1, null))
      .toList();

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "hom*             | home.txt,homer.txt,hom.md",
      "hom?.txt         | home.txt",
      "home.txt         | home.txt",
      "/home.txt        | home.txt",
      "../../home.txt   | home.txt",
      "./app/           | app",
      "app/lib/../main.c | app/main.c",
      "src/*.go         | src/a.go,src/b.go",
      "*/*.go           | src/a.go,src/b.go",
      "src/**/*.go      | src/sub/c.go",
      "[a-h]*.txt       | home.txt,homer.txt",
      "\\[literal].txt  | [literal].txt",
      "*.none           | ''",
  })
  void selects(String source, String expected) {
    List<String> paths = CopySources.select(CONTEXT, source).stream().map(ContextEntry::path).toList();
    assertThat(paths).isEqualTo(expected.isEmpty() ? List.of() : List.of(expected.split(",")));
  }

  @Test
  void theContextRootAndADirectoryStandForTheirContents() {
    assertThat(CopySources.select(CONTEXT, ".")).containsExactly(CopySources.ROOT);
    assertThat(CopySources.contents(CONTEXT, CopySources.ROOT)).isEqualTo(CONTEXT);
    ContextEntry app = CopySources.select(CONTEXT, "app").get(0);
    assertThat(CopySources.contents(CONTEXT, app)).extracting(ContextEntry::path)
        .containsExactly("app/main.c", "app/lib", "app/lib/x.c");
  }

  @Test
  void aMissingPlainSourceIsAnError() {
    assertThatThrownBy(() -> CopySources.select(CONTEXT, "nope/x.txt"))
        .isInstanceOf(SourceNotFoundException.class)
        .hasMessage("\"/nope/x.txt\": not found");
  }
}
