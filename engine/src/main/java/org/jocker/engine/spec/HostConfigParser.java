package org.jocker.engine.spec;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jocker.engine.EngineException;
import org.jocker.engine.container.HostConfig;
import org.jocker.runtime.linux.Rlimit;

/**
 * The text of `run`'s options into {@link HostConfig} values, with Docker's formats and error
 * messages (an invalid argument). Shared by every front end (run, create).
 */
public final class HostConfigParser {
  private static final Pattern SIZE = Pattern.compile("^(\\d+(?:\\.\\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$");
  private static final Map<String, String> ULIMITS = Map.ofEntries(
      Map.entry("core", "RLIMIT_CORE"), Map.entry("cpu", "RLIMIT_CPU"), Map.entry("data", "RLIMIT_DATA"),
      Map.entry("fsize", "RLIMIT_FSIZE"), Map.entry("locks", "RLIMIT_LOCKS"),
      Map.entry("memlock", "RLIMIT_MEMLOCK"), Map.entry("msgqueue", "RLIMIT_MSGQUEUE"),
      Map.entry("nice", "RLIMIT_NICE"), Map.entry("nofile", "RLIMIT_NOFILE"), Map.entry("nproc", "RLIMIT_NPROC"),
      Map.entry("rss", "RLIMIT_RSS"), Map.entry("rtprio", "RLIMIT_RTPRIO"), Map.entry("rttime", "RLIMIT_RTTIME"),
      Map.entry("sigpending", "RLIMIT_SIGPENDING"), Map.entry("stack", "RLIMIT_STACK"));

  private HostConfigParser() {}

  private static EngineException invalid(String value, String flag, String why) {
    return EngineException.invalidArgument("invalid argument \"" + value + "\" for \"" + flag + "\" flag: " + why);
  }

  /** Docker's RAMInBytes: 512, 512b, 64k, 1.5g, 2GiB (binary units); null when value is null. */
  public static Long size(String flag, String value) {
    if (value == null) {
      return null;
    }
    Matcher m = SIZE.matcher(value);
    if (!m.matches()) {
      throw invalid(value, flag, "invalid size: '" + value + "'");
    }
    BigDecimal n = new BigDecimal(m.group(1).replaceAll("(\\.\\d+)\\..*", "$1"));
    int shift = m.group(2) == null ? 0 : 10 * ("kmgtp".indexOf(m.group(2).toLowerCase(Locale.ROOT)) + 1);
    return n.multiply(BigDecimal.valueOf(2).pow(shift)).longValue();
  }

  /** Docker's FromHumanSize: like {@link #size} in decimal units (10m = 10,000,000); empty if malformed. */
  public static java.util.Optional<Long> decimalSize(String value) {
    Matcher m = SIZE.matcher(value);
    if (!m.matches()) {
      return java.util.Optional.empty();
    }
    BigDecimal n = new BigDecimal(m.group(1).replaceAll("(\\.\\d+)\\..*", "$1"));
    int power = m.group(2) == null ? 0 : "kmgtp".indexOf(m.group(2).toLowerCase(Locale.ROOT)) + 1;
    return java.util.Optional.of(n.multiply(BigDecimal.TEN.pow(3 * power)).longValue());
  }

  /** --memory-swap: a size, or -1 for unlimited. */
  public static Long swap(String flag, String value) {
    return "-1".equals(value) ? Long.valueOf(-1) : size(flag, value);
  }

  /** --cpus 1.5 → 1_500_000_000 nano CPUs. */
  public static Long nanoCpus(String value) {
    if (value == null) {
      return null;
    }
    try {
      BigDecimal cpus = new BigDecimal(value);
      if (cpus.signum() < 0) {
        throw new NumberFormatException();
      }
      return cpus.movePointRight(9).longValueExact();
    } catch (NumberFormatException | ArithmeticException e) {
      throw invalid(value, "--cpus", "failed to parse " + value + " as a rational number");
    }
  }

  /** --ulimit name=soft[:hard]. */
  public static HostConfig.Ulimit ulimit(String value) {
    int eq = value.indexOf('=');
    if (eq < 0) {
      throw invalid(value, "--ulimit", "invalid ulimit argument: " + value);
    }
    String name = value.substring(0, eq);
    if (!ULIMITS.containsKey(name)) {
      throw invalid(value, "--ulimit", "invalid ulimit type: " + name);
    }
    String[] limits = value.substring(eq + 1).split(":", -1);
    if (limits.length > 2) {
      throw invalid(value, "--ulimit", "too many limit value arguments - " + value.substring(eq + 1)
          + ", can only have up to two, `soft[:hard]`");
    }
    try {
      long soft = Long.parseLong(limits[0]);
      long hard = limits.length == 2 ? Long.parseLong(limits[1]) : soft;
      if (soft != -1 && (hard == -1 ? false : soft > hard)) {
        throw invalid(value, "--ulimit", "ulimit soft limit must be less than or equal to hard limit: "
            + soft + " > " + hard);
      }
      return new HostConfig.Ulimit(name, soft, hard);
    } catch (NumberFormatException e) {
      throw invalid(value, "--ulimit", "invalid ulimit value: " + value.substring(eq + 1));
    }
  }

  /** The OCI rlimit type of a Docker ulimit name (nofile → RLIMIT_NOFILE). */
  public static String rlimitType(String name) {
    String type = ULIMITS.get(name);
    if (type == null || Rlimit.parse(type).isEmpty()) {
      throw EngineException.invalidArgument("invalid ulimit type: " + name);
    }
    return type;
  }

  /** --tmpfs /path[:options]. */
  public static void tmpfs(String value, Map<String, String> into) {
    int colon = value.indexOf(':');
    String path = colon < 0 ? value : value.substring(0, colon);
    if (!path.startsWith("/")) {
      throw invalid(value, "--tmpfs", "invalid mount path: '" + path + "' mount path must be absolute");
    }
    into.put(path, colon < 0 ? "" : value.substring(colon + 1));
  }

  /** --mount type=bind|volume|tmpfs,source=...,target=...[,readonly][,tmpfs-size=...][,tmpfs-mode=...]. */
  public static HostConfig.MountSpec mount(String value) {
    String type = "volume";
    String source = null;
    String target = null;
    boolean readOnly = false;
    Long tmpfsSize = null;
    Integer tmpfsMode = null;
    boolean noCopy = false;
    for (String field : value.split(",")) {
      int eq = field.indexOf('=');
      String key = (eq < 0 ? field : field.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
      String val = eq < 0 ? null : field.substring(eq + 1);
      switch (key) {
        case "type" -> type = val;
        case "source", "src" -> source = val;
        case "target", "destination", "dst" -> target = val;
        case "readonly", "ro" -> {
          if (val == null || val.equals("1") || val.equalsIgnoreCase("true")) {
            readOnly = true;
          } else if (!val.equals("0") && !val.equalsIgnoreCase("false")) {
            throw invalid(value, "--mount", "invalid value for " + key + ": " + val);
          }
        }
        case "tmpfs-size" -> tmpfsSize = size("--mount", val);
        case "tmpfs-mode" -> {
          try {
            tmpfsMode = Integer.parseInt(val, 8);
          } catch (NumberFormatException | NullPointerException e) {
            throw invalid(value, "--mount", "invalid value for tmpfs-mode: " + val);
          }
        }
        case "volume-nocopy" -> noCopy = val == null || val.equals("1") || val.equalsIgnoreCase("true");
        case "bind-propagation", "consistency", "volume-driver", "volume-label", "volume-opt",
            "bind-recursive" -> { }
        default -> {
          if (eq < 0) {
            throw invalid(value, "--mount", "invalid field '" + field + "' must be a key=value pair");
          }
          throw invalid(value, "--mount", "unexpected key '" + key + "' in '" + field + "'");
        }
      }
    }
    if (type == null || !List.of("bind", "volume", "tmpfs").contains(type)) {
      throw invalid(value, "--mount", "invalid mount type: " + type);
    }
    if (target == null || target.isEmpty()) {
      throw invalid(value, "--mount", "target is required");
    }
    return new HostConfig.MountSpec(type, source, target, readOnly, tmpfsSize, tmpfsMode, noCopy);
  }

  /**
   * An --env-file or --label-file, Docker's format: one NAME=VALUE a line, blank lines and lines
   * starting with # skipped, a bare NAME kept as is (for --env-file it passes our value).
   */
  public static List<String> lines(String flag, Path file) {
    List<String> out = new ArrayList<>();
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (NoSuchFileException e) {
      throw EngineException.notFound("open " + file + ": no such file or directory");
    } catch (IOException e) {
      throw EngineException.invalidArgument("open " + file + ": " + e.getMessage());
    }
    for (String raw : lines) {
      String line = raw.stripLeading();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int eq = line.indexOf('=');
      String name = eq < 0 ? line.strip() : line.substring(0, eq);
      if (name.isEmpty()) {
        throw EngineException.invalidArgument("invalid " + flag.substring(2).replace("-file", "") + " file "
            + file + ": variable without name");
      }
      if (name.chars().anyMatch(Character::isWhitespace)) {
        throw EngineException.invalidArgument("variable '" + name + "' contains whitespaces");
      }
      out.add(eq < 0 ? name : line);
    }
    return out;
  }

  /** --label k=v (a bare k has an empty value), after the --label-file entries. */
  public static Map<String, String> labels(List<String> files, List<String> labels) {
    Map<String, String> out = new LinkedHashMap<>();
    List<String> all = new ArrayList<>();
    for (String f : files) {
      all.addAll(lines("--label-file", Path.of(f)));
    }
    all.addAll(labels);
    for (String l : all) {
      int eq = l.indexOf('=');
      out.put(eq < 0 ? l : l.substring(0, eq), eq < 0 ? "" : l.substring(eq + 1));
    }
    return out;
  }
}
