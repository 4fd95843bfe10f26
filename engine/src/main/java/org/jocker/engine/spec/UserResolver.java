package org.jocker.engine.spec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jocker.engine.EngineException;

/**
 * Turns Docker's user strings (name, uid, name:group, uid:gid) into ids, using the image's
 * /etc/passwd and /etc/group. Those files are read only if they are regular files: a symlink in
 * an image could point anywhere on the host.
 */
public final class UserResolver {
  /** uid, gid, the supplementary groups the user is listed in, and the home directory. */
  public record ResolvedUser(long uid, long gid, List<Long> additionalGids, String home) {}

  private final Path rootfs;

  public UserResolver(Path rootfs) {
    this.rootfs = rootfs;
  }

  public ResolvedUser resolve(String spec) {
    String user = spec == null || spec.isEmpty() ? "0" : spec;
    String[] parts = user.split(":", 2);
    List<String[]> passwd = entries("etc/passwd");
    Optional<String[]> entry = passwd.stream()
        .filter(e -> e.length >= 7 && (e[0].equals(parts[0]) || e[2].equals(parts[0])))
        .findFirst();
    long uid;
    long gid;
    String home = "/";
    String name = parts[0];
    if (entry.isPresent()) {
      uid = Long.parseLong(entry.get()[2]);
      gid = Long.parseLong(entry.get()[3]);
      home = entry.get()[5];
      name = entry.get()[0];
    } else if (isNumber(parts[0])) {
      uid = Long.parseLong(parts[0]);
      gid = uid == 0 ? 0 : uid;
      home = uid == 0 ? "/root" : "/";
    } else {
      throw EngineException.notFound("unable to find user " + parts[0] + ": no matching entries in passwd file");
    }
    if (parts.length > 1) {
      gid = group(parts[1]);
    }
    List<Long> groups = new ArrayList<>();
    for (String[] g : entries("etc/group")) {
      if (g.length >= 4 && List.of(g[3].split(",")).contains(name)) {
        long id = Long.parseLong(g[2]);
        if (id != gid && !groups.contains(id)) {
          groups.add(id);
        }
      }
    }
    return new ResolvedUser(uid, gid, groups, home);
  }

  private long group(String spec) {
    if (isNumber(spec)) {
      return Long.parseLong(spec);
    }
    return entries("etc/group").stream().filter(g -> g.length >= 3 && g[0].equals(spec))
        .map(g -> Long.parseLong(g[2])).findFirst()
        .orElseThrow(() -> EngineException.notFound("unable to find group " + spec
            + ": no matching entries in group file"));
  }

  private List<String[]> entries(String file) {
    Path p = rootfs.resolve(file);
    if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
      return List.of();
    }
    try {
      List<String[]> out = new ArrayList<>();
      for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
        if (!line.isBlank() && !line.startsWith("#")) {
          out.add(line.split(":", -1));
        }
      }
      return out;
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
  }

  private static boolean isNumber(String s) {
    return !s.isEmpty() && s.chars().allMatch(Character::isDigit);
  }
}
