package org.jocker.build.dockerfile;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The value of {@code RUN --mount=}: comma-separated {@code key=value} options (CSV, so a value
 * may be quoted), {@code type} bind (the default), cache, tmpfs, secret or ssh, and the defaults
 * Docker documents for each.
 */
final class MountParser {
  /** Thrown for an option Docker would refuse; the caller names the line. */
  static final class MountException extends Exception {
    MountException(String message) {
      super(message, null, false, false);
    }
  }

  private static final Set<String> BARE = Set.of("readonly", "ro", "readwrite", "rw", "required");
  private static final Pattern SIZE = Pattern.compile("(?i)(\\d+(?:\\.\\d+)?)\\s*([kmgtp]?)i?b?");

  private MountParser() {}

  static Mount parse(String spec) throws MountException {
    Map<String, String> options = options(spec);
    String type = options.getOrDefault("type", "bind");
    String target = first(options, "target", "dst", "destination");
    String source = first(options, "source", "src");
    Optional<String> from = Optional.ofNullable(options.get("from"));
    if (from.isPresent() && from.get().contains("$")) {
      throw new MountException("'from' doesn't support variable expansion, define alias stage instead");
    }
    Set<String> allowed =
        switch (type) {
          case "bind" -> Set.of("type", "target", "source", "from", "readonly", "readwrite");
          case "cache" ->
              Set.of("type", "target", "source", "from", "readonly", "id", "sharing", "mode", "uid", "gid");
          case "tmpfs" -> Set.of("type", "target", "size");
          case "secret" -> Set.of("type", "target", "source", "id", "env", "required", "mode", "uid", "gid");
          case "ssh" -> Set.of("type", "target", "id", "required", "mode", "uid", "gid");
          default -> throw new MountException("unsupported mount type \"" + type + "\"");
        };
    for (String key : options.keySet()) {
      if (!allowed.contains(key)) {
        throw new MountException("unexpected key '" + key + "' for mount type " + type);
      }
    }
    boolean readOnly = bool(options, "readonly", false);
    boolean required = bool(options, "required", false);
    return switch (type) {
      case "bind" -> new Mount.Bind(
          needTarget(target), source == null ? "/" : source, from, bool(options, "readwrite", false));
      case "cache" -> new Mount.Cache(
          needTarget(target),
          options.getOrDefault("id", needTarget(target)),
          sharing(options.getOrDefault("sharing", "shared")),
          from,
          source == null ? "/" : source,
          readOnly,
          octal(options, "mode", 0755),
          number(options, "uid", 0),
          number(options, "gid", 0));
      case "tmpfs" -> new Mount.Tmpfs(needTarget(target), size(options.get("size")));
      case "secret" -> secret(options, target, source, required);
      default -> new Mount.Ssh(
          target == null ? "/run/buildkit/ssh_agent.0" : target,
          options.getOrDefault("id", "default"),
          required,
          octal(options, "mode", 0600),
          number(options, "uid", 0),
          number(options, "gid", 0));
    };
  }

  private static Mount.Secret secret(
      Map<String, String> options, String target, String source, boolean required) throws MountException {
    String id = options.getOrDefault("id", source);
    if (id == null && target != null) {
      id = target.substring(target.lastIndexOf('/') + 1);
    }
    Optional<String> env = Optional.ofNullable(options.get("env"));
    if (id == null) {
      id = env.orElse(null);
    }
    if (id == null || id.isEmpty()) {
      throw new MountException("secret mount requires an id, a source or a target");
    }
    String path = target != null ? target : env.isPresent() ? "" : "/run/secrets/" + id;
    return new Mount.Secret(
        path, id, env, required, octal(options, "mode", 0400), number(options, "uid", 0), number(options, "gid", 0));
  }

  /** The options, aliases folded onto one name ({@code ro} is readonly, {@code dst} target...). */
  private static Map<String, String> options(String spec) throws MountException {
    Map<String, String> options = new LinkedHashMap<>();
    for (String field : csvFields(spec)) {
      int eq = field.indexOf('=');
      String key = (eq < 0 ? field : field.substring(0, eq)).strip().toLowerCase(Locale.ROOT);
      String value = eq < 0 ? null : field.substring(eq + 1);
      if (value == null && !BARE.contains(key)) {
        throw new MountException("invalid field '" + field + "' must be a key=value pair");
      }
      key = switch (key) {
        case "ro" -> "readonly";
        case "rw" -> "readwrite";
        case "dst", "destination" -> "target";
        case "src" -> "source";
        default -> key;
      };
      options.put(key, value == null ? "true" : value);
    }
    return options;
  }

  private static List<String> csvFields(String spec) {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < spec.length(); i++) {
      char c = spec.charAt(i);
      if (c == '"') {
        if (quoted && i + 1 < spec.length() && spec.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else {
          quoted = !quoted;
        }
      } else if (c == ',' && !quoted) {
        fields.add(field.toString());
        field.setLength(0);
      } else {
        field.append(c);
      }
    }
    fields.add(field.toString());
    fields.removeIf(String::isEmpty);
    return fields;
  }

  private static String first(Map<String, String> options, String... keys) {
    for (String key : keys) {
      if (options.containsKey(key)) {
        return options.get(key);
      }
    }
    return null;
  }

  private static String needTarget(String target) throws MountException {
    if (target == null || target.isEmpty()) {
      throw new MountException("mount target is required");
    }
    if (target.equals("/")) {
      throw new MountException("invalid mount target \"/\"");
    }
    return target;
  }

  private static Mount.Sharing sharing(String value) throws MountException {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "shared" -> Mount.Sharing.SHARED;
      case "private" -> Mount.Sharing.PRIVATE;
      case "locked" -> Mount.Sharing.LOCKED;
      default -> throw new MountException("unsupported sharing value \"" + value + "\"");
    };
  }

  private static boolean bool(Map<String, String> options, String key, boolean otherwise)
      throws MountException {
    String value = options.get(key);
    if (value == null) {
      return otherwise;
    }
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "true", "1" -> true;
      case "false", "0" -> false;
      default -> throw new MountException("invalid value for " + key + ": " + value);
    };
  }

  private static int octal(Map<String, String> options, String key, int otherwise) throws MountException {
    String value = options.get(key);
    try {
      return value == null ? otherwise : Integer.parseInt(value, 8);
    } catch (NumberFormatException e) {
      throw new MountException("invalid value for " + key + ": " + value);
    }
  }

  private static int number(Map<String, String> options, String key, int otherwise) throws MountException {
    String value = options.get(key);
    try {
      return value == null ? otherwise : Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new MountException("invalid value for " + key + ": " + value);
    }
  }

  /** {@code size=64m}: bytes, binary units as Docker's go-units reads them; 0 for no limit. */
  private static long size(String value) throws MountException {
    if (value == null) {
      return 0;
    }
    Matcher m = SIZE.matcher(value.strip());
    if (!m.matches()) {
      throw new MountException("invalid value for size: " + value);
    }
    int power = "kmgtp".indexOf(m.group(2).toLowerCase(Locale.ROOT)) + 1;
    return (long) (Double.parseDouble(m.group(1)) * Math.pow(1024, power));
  }
}
