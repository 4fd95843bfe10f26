package org.jocker.build.context;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** COPY --parents sources split as BuildKit splits them, with the reference's examples. */
class ParentsSourceTest {

  /** Each row: the source, its pivot, a path below the pivot, whether the pattern takes it. */
  @ParameterizedTest(name = "{0}: {1} / {2} -> {3}")
  @CsvSource(delimiter = '|', value = {
      "./x/a.txt         | /     | x/a.txt        | true",
      "./x/a.txt         | /     | y/a.txt        | false",
      "./x/./y/*.txt     | ./x   | y/a.txt        | true",
      "./x/./y/*.txt     | ./x   | y/z/a.txt      | false",
      "./src/**/*.txt    | /     | src/a.txt      | true",
      "./src/**/*.txt    | /     | src/x/y/c.txt  | true",
      "./src/**/*.txt    | /     | src/x/y/c.go   | false",
      "./a/./b/c         | ./a   | b/c/anything   | true",
      "/app/./dist       | /app  | dist/main.js   | true",
      "./a/./            | ./a   | anything/at/all | true",
  })
  void splitsAtThePivotAndMatchesBelowIt(String source, String pivot, String path, boolean taken) {
    ParentsSource split = ParentsSource.parse(source);

    assertThat(split.pivot()).isEqualTo(pivot);
    assertThat(split.pattern().matches(path)).isEqualTo(taken);
  }

  @Test
  void onlyAPathWithoutWildcardsMustExist() {
    assertThat(ParentsSource.parse("./a/./b/c").required()).isEqualTo(Optional.of("./a/b/c"));
    assertThat(ParentsSource.parse("./x/a.txt").required()).isEqualTo(Optional.of("/x/a.txt"));
    assertThat(ParentsSource.parse("./src/**/*.go").required()).isEmpty();
    assertThat(ParentsSource.parse("./*/./b").required()).isEmpty();
  }
}
