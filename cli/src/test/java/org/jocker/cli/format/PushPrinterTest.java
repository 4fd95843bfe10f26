package org.jocker.cli.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.jocker.images.push.LayerPushProgress;
import org.jocker.images.push.PushState;
import org.junit.jupiter.api.Test;

class PushPrinterTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  private static void pushTwoLayers(PushPrinter printer) {
    printer.message("The push refers to repository [127.0.0.1:5000/app]");
    printer.layer(LayerPushProgress.of("aaaaaaaaaaaa", PushState.PREPARING));
    printer.layer(LayerPushProgress.of("bbbbbbbbbbbb", PushState.PREPARING));
    printer.layer(new LayerPushProgress("aaaaaaaaaaaa", PushState.PUSHING, 1_200_000, 3_400_000, null));
    printer.layer(LayerPushProgress.of("aaaaaaaaaaaa", PushState.PUSHED));
    printer.layer(new LayerPushProgress("bbbbbbbbbbbb", PushState.MOUNTED, 0, 0, "library/base"));
    printer.message("v1: digest: sha256:0123 size: 528");
  }

  @Test
  void plainOutputHasALinePerStateAndNoProgress() {
    pushTwoLayers(new PushPrinter(out, false, false));

    assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("""
        The push refers to repository [127.0.0.1:5000/app]
        aaaaaaaaaaaa: Preparing
        bbbbbbbbbbbb: Preparing
        aaaaaaaaaaaa: Pushed
        bbbbbbbbbbbb: Mounted from library/base
        v1: digest: sha256:0123 size: 528
        """);
  }

  @Test
  void aTerminalRedrawsEachLayersLineInPlace() {
    pushTwoLayers(new PushPrinter(out, true, false));

    String bar = "[" + "=".repeat(17) + ">" + " ".repeat(33) + "]    1.2MB/3.4MB";
    assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(
        "The push refers to repository [127.0.0.1:5000/app]\n"
        + "aaaaaaaaaaaa: Preparing\n"
        + "bbbbbbbbbbbb: Preparing\n"
        + "\033[2A\033[2K\raaaaaaaaaaaa: Pushing " + bar + "\r\033[2B"
        + "\033[2A\033[2K\raaaaaaaaaaaa: Pushed\r\033[2B"
        + "\033[1A\033[2K\rbbbbbbbbbbbb: Mounted from library/base\r\033[1B"
        + "v1: digest: sha256:0123 size: 528\n");
  }

  @Test
  void quietPrintsNothing() {
    pushTwoLayers(new PushPrinter(out, true, true));

    assertThat(bytes.toString(StandardCharsets.UTF_8)).isEmpty();
  }
}
