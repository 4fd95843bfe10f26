package org.jocker.engine.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jocker.engine.EngineException;
import org.jocker.engine.container.HostConfig;
import org.jocker.runtime.launch.LogConfig;
import org.junit.jupiter.api.Test;

/** --log-driver and --log-opt: Docker's json-file rules, with the engine's limits as defaults. */
class LogSettingsTest {
  private static final Path LOG = Path.of("/x/container.log");

  @Test
  void nothingGivenIsTheEnginesDefaultsRecordedAsOptions() {
    assertThat(LogSettings.parse(null, List.of())).isNull();
    HostConfig.LogConfig merged = LogSettings.withDefaults(null, 10_000_000, 3);
    assertThat(merged).isEqualTo(new HostConfig.LogConfig("json-file", Map.of("max-size", "10m", "max-file", "3")));
    assertThat(LogSettings.runtimeConfig(merged, LOG)).isEqualTo(new LogConfig(LOG, 10_000_000, 3));
    assertThat(LogSettings.withDefaults(null, 1024, 2).config()).containsEntry("max-size", "1024");
  }

  @Test
  void givenOptionsWinOptionByOptionAndUseDecimalUnits() {
    HostConfig.LogConfig given = LogSettings.parse(null, List.of("max-size=1.5k", "max-file=5"));
    assertThat(given).isEqualTo(new HostConfig.LogConfig("json-file", Map.of("max-size", "1.5k", "max-file", "5")));
    assertThat(LogSettings.runtimeConfig(LogSettings.withDefaults(given, 10_000_000, 3), LOG))
        .isEqualTo(new LogConfig(LOG, 1500, 5));
    HostConfig.LogConfig size = LogSettings.withDefaults(LogSettings.parse("json-file", List.of("max-size=2MB")),
        10_000_000, 3);
    assertThat(LogSettings.runtimeConfig(size, LOG)).isEqualTo(new LogConfig(LOG, 2_000_000, 3));
    assertThat(LogSettings.maxSize("1g")).isEqualTo(1_000_000_000L);
  }

  @Test
  void theNoneDriverHasNoLog() {
    HostConfig.LogConfig none = LogSettings.withDefaults(LogSettings.parse("none", List.of()), 10_000_000, 3);
    assertThat(none).isEqualTo(new HostConfig.LogConfig("none", Map.of()));
    assertThat(LogSettings.runtimeConfig(none, LOG)).isEqualTo(org.jocker.runtime.launch.LogConfig.discard());
    assertThatThrownBy(() -> LogSettings.parse("none", List.of("max-size=1m")))
        .hasMessage("invalid logging opts for driver none");
  }

  @Test
  void badValuesFailWithDockersMessages() {
    assertThatThrownBy(() -> withDefaults("max-size=ten")).hasMessage(
        "failed to initialize logging driver: invalid size: 'ten'");
    assertThatThrownBy(() -> withDefaults("max-size=-1")).hasMessage(
        "failed to initialize logging driver: invalid size: '-1'");
    assertThatThrownBy(() -> withDefaults("max-size=0")).hasMessage(
        "failed to initialize logging driver: max-size must be a positive number");
    assertThatThrownBy(() -> withDefaults("max-file=0")).hasMessage(
        "failed to initialize logging driver: max-file cannot be less than 1");
    assertThatThrownBy(() -> withDefaults("compress=true")).hasMessage(
        "unknown log opt 'compress' for json-file log driver");
    assertThatThrownBy(() -> LogSettings.withDefaults(LogSettings.parse("journald", List.of()), 1, 1))
        .hasMessage("logger: no log driver named 'journald' is registered")
        .extracting(e -> ((EngineException) e).kind()).isEqualTo(EngineException.Kind.INVALID_ARGUMENT);
  }

  private static HostConfig.LogConfig withDefaults(String opt) {
    return LogSettings.withDefaults(LogSettings.parse(null, List.of(opt)), 10_000_000, 3);
  }
}
