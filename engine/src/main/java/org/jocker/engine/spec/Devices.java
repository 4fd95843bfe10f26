package org.jocker.engine.spec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.jocker.engine.EngineException;
import org.jocker.engine.container.HostConfig;
import org.jocker.runtime.spec.Spec;

/**
 * `--device HOST[:CONTAINER][:PERMISSIONS]` by Docker's rules: the host's node (a symlink is
 * followed; a directory gives every device under it) becomes a node at the container path with the
 * host's type, numbers, mode and owner, and a device-cgroup rule with the permissions (default rwm).
 */
public final class Devices {
  /** The nodes to make in the container and the cgroup rules that let it use them. */
  public record Resolved(List<Spec.Device> nodes, List<Spec.DeviceRule> rules) {}

  private Devices() {}

  /** The flag's text, checked as Docker's CLI does (`bad format for path`, `bad mode specified`). */
  public static HostConfig.DeviceMapping parse(String value) {
    String[] parts = value.split(":", -1);
    if (parts.length > 3 || parts[0].isEmpty()) {
      throw invalid(value, "bad format for path: " + value);
    }
    String host = parts[0];
    String container = host;
    String permissions = "rwm";
    if (parts.length == 2) {
      if (validMode(parts[1])) {
        permissions = parts[1];
      } else {
        container = parts[1];
      }
    } else if (parts.length == 3) {
      container = parts[1];
      permissions = parts[2];
      if (!validMode(permissions)) {
        throw invalid(value, "bad mode specified: " + permissions);
      }
    }
    if (!container.startsWith("/")) {
      throw invalid(value, container + " is not an absolute path");
    }
    return new HostConfig.DeviceMapping(host, Path.of(container).normalize().toString(), permissions);
  }

  /** The devices of --device, read from the host now; fails (an invalid argument) on a path that holds none. */
  public static Resolved resolve(List<HostConfig.DeviceMapping> mappings) {
    List<Spec.Device> nodes = new ArrayList<>();
    List<Spec.DeviceRule> rules = new ArrayList<>();
    for (HostConfig.DeviceMapping m : mappings) {
      Path host = Path.of(m.pathOnHost());
      try {
        if (Files.isSymbolicLink(host)) {
          host = host.toRealPath();
        }
        Optional<Spec.Device> node = node(host, m.pathInContainer());
        if (node.isPresent()) {
          add(node.get(), m.cgroupPermissions(), nodes, rules);
          continue;
        }
        int before = nodes.size();
        if (Files.isDirectory(host)) {
          try (Stream<Path> walk = Files.walk(host)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
              String inside = Path.of(m.pathInContainer()).resolve(host.relativize(p).toString()).toString();
              node(p, inside).ifPresent(d -> add(d, m.cgroupPermissions(), nodes, rules));
            }
          }
        }
        if (nodes.size() == before) {
          throw gathering(m, "not a device node");
        }
      } catch (IOException e) {
        throw gathering(m, reason(e));
      } catch (UncheckedIOException e) {
        throw gathering(m, reason(e.getCause())); // from the walk of a directory
      }
    }
    return new Resolved(nodes, rules);
  }

  /** A block or character device at {@code host} as the spec describes it at {@code path}; empty if not one. */
  static Optional<Spec.Device> node(Path host, String path) throws IOException {
    int mode = (Integer) Files.getAttribute(host, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    int kind = mode & 0170000;
    if (kind != 0020000 && kind != 0060000) {
      return Optional.empty();
    }
    long rdev = (Long) Files.getAttribute(host, "unix:rdev", LinkOption.NOFOLLOW_LINKS);
    long major = ((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL);
    long minor = (rdev & 0xff) | ((rdev >>> 12) & ~0xffL);
    int uid = (Integer) Files.getAttribute(host, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    int gid = (Integer) Files.getAttribute(host, "unix:gid", LinkOption.NOFOLLOW_LINKS);
    return Optional.of(new Spec.Device(kind == 0020000 ? "c" : "b", path, major, minor, mode & 07777,
        (long) uid, (long) gid));
  }

  private static void add(Spec.Device d, String permissions, List<Spec.Device> nodes, List<Spec.DeviceRule> rules) {
    nodes.add(d);
    rules.add(new Spec.DeviceRule(true, d.type(), d.major(), d.minor(), permissions));
  }

  /** r, w and m, each at most once. */
  private static boolean validMode(String mode) {
    if (mode.isEmpty() || mode.length() > 3) {
      return false;
    }
    for (char c : mode.toCharArray()) {
      if ("rwm".indexOf(c) < 0 || mode.indexOf(c) != mode.lastIndexOf(c)) {
        return false;
      }
    }
    return true;
  }

  /** Go's words for the usual errors. */
  private static String reason(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file or directory";
    }
    if (e instanceof AccessDeniedException a) {
      return "open " + a.getFile() + ": permission denied";
    }
    return e.getMessage();
  }

  private static EngineException invalid(String value, String why) {
    return EngineException.invalidArgument("invalid argument \"" + value + "\" for \"--device\" flag: " + why);
  }

  private static EngineException gathering(HostConfig.DeviceMapping m, String why) {
    return EngineException.invalidArgument("error gathering device information while adding custom device \""
        + m.pathOnHost() + "\": " + why);
  }
}
