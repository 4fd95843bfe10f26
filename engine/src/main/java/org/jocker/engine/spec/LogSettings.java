package org.jocker.engine.spec;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jocker.engine.EngineException;
import org.jocker.engine.container.HostConfig;
import org.jocker.runtime.launch.LogConfig;

/**
 * A container's log driver by Docker's rules: `--log-driver json-file|none` and the json-file
 * options `max-size` (decimal units: 10m = 10,000,000 bytes) and `max-file`. The engine's own
 * limits act as Docker's daemon-wide log-opts: merged, option by option, into what the container
 * was not given, and recorded with it, so a container keeps its limits at every start.
 */
public final class LogSettings {
  public static final String JSON_FILE = "json-file";
  public static final String NONE = "none";
  private static final String MAX_SIZE = "max-size";
  private static final String MAX_FILE = "max-file";

  private LogSettings() {}

  /** What `--log-driver` and `--log-opt` say (null when neither was given); checked at create. */
  public static HostConfig.LogConfig parse(String driver, List<String> opts) {
    if (driver == null && opts.isEmpty()) {
      return null;
    }
    String type = driver == null || driver.isEmpty() ? JSON_FILE : driver;
    if (type.equals(NONE) && !opts.isEmpty()) {
      throw EngineException.invalidArgument("invalid logging opts for driver none");
    }
    Map<String, String> config = new LinkedHashMap<>();
    for (String opt : opts) {
      int eq = opt.indexOf('=');
      config.put(eq < 0 ? opt : opt.substring(0, eq), eq < 0 ? "" : opt.substring(eq + 1));
    }
    return new HostConfig.LogConfig(type, config);
  }

  /**
   * The container's log config with the engine's defaults ({@code maxSize} bytes × {@code maxFiles})
   * for the options it was not given; fails (an invalid argument) on a bad driver or value, with Docker's words.
   */
  public static HostConfig.LogConfig withDefaults(HostConfig.LogConfig given, long maxSize, int maxFiles) {
    String type = given == null ? JSON_FILE : given.type();
    if (type.equals(NONE)) {
      return new HostConfig.LogConfig(NONE, Map.of());
    }
    if (!type.equals(JSON_FILE)) {
      throw EngineException.invalidArgument("logger: no log driver named '" + type + "' is registered");
    }
    Map<String, String> config = new LinkedHashMap<>(given == null ? Map.of() : given.config());
    for (String key : config.keySet()) {
      if (!key.equals(MAX_SIZE) && !key.equals(MAX_FILE)) {
        throw EngineException.invalidArgument("unknown log opt '" + key + "' for json-file log driver");
      }
    }
    if (maxSize > 0) { // 0: the engine keeps logs unbounded, as Docker by default
      config.putIfAbsent(MAX_SIZE, humanSize(maxSize));
    }
    config.putIfAbsent(MAX_FILE, Integer.toString(maxFiles));
    HostConfig.LogConfig merged = new HostConfig.LogConfig(JSON_FILE, config);
    runtimeConfig(merged, Path.of("/")); // checks the values now, not at the first start
    return merged;
  }

  /** 10000000 → "10m", as a user would write it; other values in bytes. */
  private static String humanSize(long bytes) {
    if (bytes > 0 && bytes % 1_000_000_000 == 0) {
      return bytes / 1_000_000_000 + "g";
    }
    if (bytes > 0 && bytes % 1_000_000 == 0) {
      return bytes / 1_000_000 + "m";
    }
    if (bytes > 0 && bytes % 1_000 == 0) {
      return bytes / 1_000 + "k";
    }
    return Long.toString(bytes);
  }

  /**
   * The monitor's log settings for a container; for the none driver, no file (the monitor still
   * reads the output, for attach clients).
   */
  public static LogConfig runtimeConfig(HostConfig.LogConfig config, Path path) {
    if (config.type().equals(NONE)) {
      return LogConfig.discard();
    }
    long maxSize = maxSize(config.config().get(MAX_SIZE));
    int maxFiles = maxFiles(config.config().get(MAX_FILE));
    // Docker: without max-size there is no rotation, so max-file has nothing to count.
    return new LogConfig(path, maxSize, maxSize == 0 ? 1 : maxFiles);
  }

  /** go-units FromHumanSize (decimal: k = 1000), which json-file's max-size uses; 0 when unset. */
  static long maxSize(String value) {
    if (value == null) {
      return 0;
    }
    long bytes = HostConfigParser.decimalSize(value)
        .orElseThrow(() -> failed("invalid size: '" + value + "'"));
    if (bytes <= 0) {
      throw failed("max-size must be a positive number");
    }
    return bytes;
  }

  private static int maxFiles(String value) {
    if (value == null) {
      return 1;
    }
    int n;
    try {
      n = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw failed("strconv.Atoi: parsing \"" + value + "\": invalid syntax");
    }
    if (n < 1) {
      throw failed("max-file cannot be less than 1");
    }
    return n;
  }

  private static EngineException failed(String why) {
    return EngineException.invalidArgument("failed to initialize logging driver: " + why);
  }
}
