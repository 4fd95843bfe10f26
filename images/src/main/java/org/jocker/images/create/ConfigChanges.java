package org.jocker.images.create;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jocker.images.ImageException;
import org.jocker.images.manifest.ImageConfig.ContainerConfig;

/**
 * Applies Dockerfile instructions given with `import --change` and `commit --change` (CMD,
 * ENTRYPOINT, ENV, EXPOSE, LABEL, USER, VOLUME, WORKDIR, STOPSIGNAL) to an image's config.
 */
public final class ConfigChanges {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ConfigChanges() {}

  public static ContainerConfig apply(ContainerConfig base, List<String> changes) {
    Builder b = new Builder(base);
    for (String change : changes) {
      String trimmed = change.strip();
      int space = trimmed.indexOf(' ');
      String instruction = (space < 0 ? trimmed : trimmed.substring(0, space)).toUpperCase(Locale.ROOT);
      String arg = space < 0 ? "" : trimmed.substring(space + 1).strip();
      switch (instruction) {
        case "CMD" -> b.cmd = command(arg);
        case "ENTRYPOINT" -> b.entrypoint = command(arg);
        case "ENV" -> keyValues(arg).forEach((k, v) -> b.env.put(k, v));
        case "LABEL" -> b.labels.putAll(keyValues(arg));
        case "EXPOSE" -> {
          for (String port : arg.split("\\s+")) {
            b.exposed.put(port.contains("/") ? port : port + "/tcp", Map.of());
          }
        }
        case "USER" -> b.user = arg;
        case "WORKDIR" -> b.workdir = arg;
        case "STOPSIGNAL" -> b.stopSignal = arg;
        case "VOLUME" -> {
          for (String v : arg.startsWith("[") ? jsonArray(arg) : List.of(arg.split("\\s+"))) {
            b.volumes.put(v, Map.of());
          }
        }
        default -> throw new ImageException("--change: " + instruction + " is not supported (use CMD, ENTRYPOINT,"
            + " ENV, EXPOSE, LABEL, STOPSIGNAL, USER, VOLUME or WORKDIR)");
      }
    }
    return b.build();
  }

  /** JSON form as given; shell form runs under /bin/sh -c, as in a Dockerfile. */
  private static List<String> command(String arg) {
    if (arg.startsWith("[")) {
      return jsonArray(arg);
    }
    return List.of("/bin/sh", "-c", arg);
  }

  private static List<String> jsonArray(String arg) {
    try {
      return JSON.readValue(arg, new TypeReference<List<String>>() {});
    } catch (IOException e) {
      throw new ImageException("--change: " + arg + " is not a JSON array of strings");
    }
  }

  /** "K=V K2=V2", or the old "K V" form. Quotes around a value are removed. */
  private static Map<String, String> keyValues(String arg) {
    Map<String, String> out = new LinkedHashMap<>();
    if (!arg.contains("=")) {
      int space = arg.indexOf(' ');
      if (space < 0) {
        throw new ImageException("--change: " + arg + " needs a value");
      }
      out.put(arg.substring(0, space), arg.substring(space + 1).strip());
      return out;
    }
    for (String pair : arg.split("\\s+(?=[^\\s=]+=)")) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new ImageException("--change: " + pair + " is not KEY=VALUE");
      }
      String value = pair.substring(eq + 1);
      if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
        value = value.substring(1, value.length() - 1);
      }
      out.put(pair.substring(0, eq), value);
    }
    return out;
  }

  private static final class Builder {
    List<String> cmd;
    List<String> entrypoint;
    final Map<String, String> env = new LinkedHashMap<>();
    final Map<String, String> labels = new LinkedHashMap<>();
    final Map<String, Object> exposed = new LinkedHashMap<>();
    final Map<String, Object> volumes = new LinkedHashMap<>();
    String user;
    String workdir;
    String stopSignal;

    Builder(ContainerConfig c) {
      if (c == null) {
        return;
      }
      cmd = c.cmd();
      entrypoint = c.entrypoint();
      if (c.env() != null) {
        for (String e : c.env()) {
          int eq = e.indexOf('=');
          env.put(eq < 0 ? e : e.substring(0, eq), eq < 0 ? "" : e.substring(eq + 1));
        }
      }
      if (c.labels() != null) {
        labels.putAll(c.labels());
      }
      if (c.exposedPorts() != null) {
        exposed.putAll(c.exposedPorts());
      }
      if (c.volumes() != null) {
        volumes.putAll(c.volumes());
      }
      user = c.user();
      workdir = c.workingDir();
      stopSignal = c.stopSignal();
    }

    ContainerConfig build() {
      List<String> envList = new ArrayList<>();
      env.forEach((k, v) -> envList.add(k + "=" + v));
      return new ContainerConfig(user, exposed.isEmpty() ? null : exposed, envList.isEmpty() ? null : envList,
          entrypoint, cmd, volumes.isEmpty() ? null : volumes, workdir, labels.isEmpty() ? null : labels,
          stopSignal, null);
    }
  }
}
