package org.jocker.cli.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.jocker.images.pull.LayerProgress;
import org.jocker.images.pull.LayerState;
import org.junit.jupiter.api.Test;

class PullPrinterTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  private String printed() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static void pullTwoLayers(PullPrinter printer) {
    printer.message("latest: Pulling from library/busybox");
    printer.layer(LayerProgress.of("aaaaaaaaaaaa", LayerState.PULLING_FS_LAYER));
    printer.layer(LayerProgress.of("bbbbbbbbbbbb", LayerState.PULLING_FS_LAYER));
    printer.layer(new LayerProgress("aaaaaaaaaaaa", LayerState.DOWNLOADING, 1_200_000, 3_400_000));
    printer.layer(LayerProgress.of("aaaaaaaaaaaa", LayerState.DOWNLOAD_COMPLETE));
    printer.layer(LayerProgress.of("bbbbbbbbbbbb", LayerState.PULL_COMPLETE));
    printer.message("Digest: sha256:0123");
  }

  @Test
  void plainOutputHasALinePerStateAndNoProgress() {
    pullTwoLayers(new PullPrinter(out, false, false));

    assertThat(printed()).isEqualTo("""
        latest: Pulling from library/busybox
        aaaaaaaaaaaa: Pulling fs layer
        bbbbbbbbbbbb: Pulling fs layer
        aaaaaaaaaaaa: Download complete
        bbbbbbbbbbbb: Pull complete
        Digest: sha256:0123
        """);
  }

  @Test
  void aTerminalRedrawsEachLayersLineInPlace() {
    pullTwoLayers(new PullPrinter(out, true, false));

    String bar = "[" + "=".repeat(17) + ">" + " ".repeat(33) + "]    1.2MB/3.4MB";
    assertThat(printed()).isEqualTo("latest: Pulling from library/busybox\n"
        + "aaaaaaaaaaaa: Pulling fs layer\n"
        + "bbbbbbbbbbbb: Pulling fs layer\n"
        + "\033[2A\033[2K\raaaaaaaaaaaa: Downloading " + bar + "\r\033[2B"
        + "\033[2A\033[2K\raaaaaaaaaaaa: Download complete\r\033[2B"
        + "\033[1A\033[2K\rbbbbbbbbbbbb: Pull complete\r\033[1B"
        + "Digest: sha256:0123\n");
  }

  @Test
  void quietPrintsNothing() {
    pullTwoLayers(new PullPrinter(out, true, true));

    assertThat(printed()).isEmpty();
  }

  @Test
  void theBarIsDockersFiftyWide() {
    assertThat(PullPrinter.bar(0, 100)).isEqualTo("[>" + " ".repeat(50) + "]       0B/100B");
    assertThat(PullPrinter.bar(100, 100)).isEqualTo("[" + "=".repeat(50) + ">] " + "    100B/100B");
    assertThat(PullPrinter.bar(32_770, 2_150_000)).isEqualTo("[>" + " ".repeat(50) + "]  32.77kB/2.15MB");
  }
}
