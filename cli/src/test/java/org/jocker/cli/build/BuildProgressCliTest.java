package org.jocker.cli.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jocker.cli.testing.CliTestBase;
import org.jocker.cli.testing.TestTerminal;
import org.junit.jupiter.api.Test;

/**
 * What `jocker build` shows: on a terminal BuildKit's display redrawn in place (cursor up, erase
 * line), cut to the terminal's width, ending with its FINISHED frame; into a pipe plain lines
 * without an escape; with -q only the image ID, on a terminal too.
 */
class BuildProgressCliTest extends CliTestBase {
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final int COLUMNS = 60;
  private static final String DOCKERFILE = """
      FROM busybox
      RUN for i in 1 2 3 4 5 6 7 8; do echo output-line-$i; sleep 0.2; done
      RUN echo a-line-much-wider-than-the-terminal-%s
      """.formatted("x".repeat(100));

  @Test
  void aTerminalGetsTheDisplayRedrawnInPlaceAndItsLastFrame() throws Exception {
    Path context = context(DOCKERFILE);

    String first = onTerminal(0, "build", "-t", "tty:1", context.toString());
    String again = onTerminal(0, "build", "-t", "tty:1", context.toString());

    assertThat(first).contains("[+] Building ", "\033[2K", " => => # output-line-")
        .containsPattern("\033\\[\\d+A"); // redrawn: the cursor goes back up over the last frame
    String last = lastFrame(first);
    assertThat(last).containsPattern("\\[\\+] Building \\d+\\.\\ds \\(\\d+/\\d+\\) FINISHED")
        .containsPattern(" => \\[2/3] RUN for i in .* +\\d+\\.\\ds\r\n")
        .contains(" => => naming to docker.io/library/tty:1 done")
        .doesNotContain("# output-line-"); // a step's output shows only while it runs
    for (String line : visibleLines(first)) {
      assertThat(line.length()).as("a line within the terminal's %d columns: %s", COLUMNS, line)
          .isLessThanOrEqualTo(COLUMNS);
    }
    assertThat(lastFrame(again)).containsPattern(" => CACHED \\[2/3] RUN for i in .* 0\\.0s\r\n");
  }

  @Test
  void aFailureEndsTheDisplayWithBuildKitsErrorBlock() throws Exception {
    Path context = context("FROM busybox\nRUN echo before-the-failure; exit 3\n");

    String screen = onTerminal(1, "build", context.toString());

    assertThat(lastFrame(screen)).contains(" => ERROR [2/2] RUN echo before-the-failure; exit 3")
        .contains("------\r\n > [2/2] RUN echo before-the-failure; exit 3:\r\n")
        .containsPattern("\\d+\\.\\d{3} before-the-failure\r\n")
        .endsWith("ERROR: failed to solve: process \"/bin/sh -c echo before-the-failure; exit 3\" did not complete"
            + " successfully: exit code: 3\r\n");
  }

  @Test
  void autoIsPlainWhenNotOnATerminal() throws IOException {
    Path context = context(DOCKERFILE);

    String err = jocker.ok("build", context.toString()).err();

    assertThat(err).contains("#1 [internal] load build definition from Dockerfile", " output-line-8\n")
        .doesNotContain("\033", "[+] Building");
  }

  @Test
  void quietStaysQuietOnATerminal() throws Exception {
    Path context = context(DOCKERFILE);

    String screen = onTerminal(0, "build", "-q", context.toString());

    assertThat(screen).matches("sha256:[0-9a-f]{64}\r\n");
  }

  // --- helpers --------------------------------------------------------------------------------

  /** What a terminal of 30 rows and COLUMNS columns shows while jocker ARGS runs, which exits with {@code code}. */
  private String onTerminal(int code, String... args) throws Exception {
    List<String> argv = new ArrayList<>(List.of(jocker.wrapper().toString()));
    argv.addAll(List.of(args));
    try (TestTerminal t = TestTerminal.start(30, COLUMNS, argv)) {
      int exit = t.waitFor(WAIT);
      String screen = t.rest(WAIT);
      assertThat(exit).as(screen).isEqualTo(code);
      return screen;
    }
  }

  /** From the last header on: the frame drawn once the build ended, and what follows it. */
  private static String lastFrame(String screen) {
    return screen.substring(screen.lastIndexOf("[+] Building"));
  }

  /** The screen's lines as the terminal shows them: escape sequences out, cut at each line end. */
  private static List<String> visibleLines(String screen) {
    return List.of(screen.replaceAll("\033\\[[0-9;]*[A-Za-z]", "").split("\r?\n|\r"));
  }

  private Path context(String dockerfile) throws IOException {
    Path context = Files.createDirectories(tmp.resolve("context"));
    Files.writeString(context.resolve("Dockerfile"), dockerfile);
    return context;
  }
}
