package org.jocker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jocker.cli.EngineErrors.Report;
import org.jocker.cli.EngineErrors.Style;
import org.jocker.engine.EngineException;
import org.jocker.engine.EngineException.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EngineErrorsTest {
  private static final String DAEMON = "Error response from daemon: ";

  static Stream<Arguments> table() {
    List<Arguments> rows = new ArrayList<>();
    for (Kind kind : List.of(Kind.NOT_FOUND, Kind.CONFLICT, Kind.INVALID_ARGUMENT, Kind.NOT_MODIFIED,
        Kind.FORBIDDEN, Kind.INTERNAL)) {
      rows.add(Arguments.of(kind, false, Style.RUN, 125, ""));
      rows.add(Arguments.of(kind, false, Style.DAEMON_RESPONSE, 1, DAEMON));
      rows.add(Arguments.of(kind, true, Style.RUN, 1, ""));
      rows.add(Arguments.of(kind, true, Style.DAEMON_RESPONSE, 1, ""));
    }
    for (Style style : Style.values()) {
      for (boolean client : List.of(false, true)) {
        rows.add(Arguments.of(Kind.CANNOT_INVOKE, client, style, 126, ""));
        rows.add(Arguments.of(Kind.COMMAND_NOT_FOUND, client, style, 127, ""));
        rows.add(Arguments.of(Kind.START_FAILED, client, style, 125, ""));
      }
    }
    return rows.stream();
  }

  @ParameterizedTest(name = "{0} client={1} {2} -> {3} \"{4}\"")
  @MethodSource("table")
  void eachKindHasOneExitCodeAndPrefix(Kind kind, boolean client, Style style, int code, String prefix) {
    assertThat(EngineErrors.reportOf(kind, client, style)).isEqualTo(new Report(code, prefix));
  }

  @Test
  void theTableCoversEveryKind() {
    assertThat(table().map(a -> a.get()[0]).distinct()).containsExactlyInAnyOrder((Object[]) Kind.values());
  }

  @Test
  void aCommandPrintsOneLineWithThePrefixAndReturnsTheCode() {
    assertThat(printed(Style.DAEMON_RESPONSE, EngineException.notFound("No such container: %s", "nope")))
        .isEqualTo(new Printed(1, "jocker: Error response from daemon: No such container: nope\n"));
    assertThat(printed(Style.RUN, EngineException.notFound("No such container: %s", "nope")))
        .isEqualTo(new Printed(125, "jocker: No such container: nope\n"));
    assertThat(printed(Style.DAEMON_RESPONSE,
        EngineException.conflict("You cannot attach to a stopped container, start it first").checkedByClient()))
        .isEqualTo(new Printed(1, "jocker: You cannot attach to a stopped container, start it first\n"));
    assertThat(printed(Style.RUN, EngineException.commandNotFound(null, "exec: \"x\": executable file not found")))
        .isEqualTo(new Printed(127, "jocker: exec: \"x\": executable file not found\n"));
  }

  @Test
  void aMessageIsNotAFormatWithoutArguments() {
    assertThat(EngineException.invalidArgument("100% sure").getMessage()).isEqualTo("100% sure");
    EngineException e = EngineException.conflict("in use").checkedByClient();
    assertThat(e.kind()).isEqualTo(Kind.CONFLICT);
    assertThat(e.isCheckedByClient()).isTrue();
  }

  private record Printed(int code, String err) {}

  private static Printed printed(Style style, EngineException e) {
    PrintStream saved = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      int code = EngineErrors.handled(new JockerCommand(), style, () -> {
        throw e;
      });
      return new Printed(code, err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(saved);
    }
  }
}
