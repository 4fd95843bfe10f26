package org.jocker.images.layer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** A comparable description of a directory tree: one line per path with lstat fields and content. */
public final class TreeListing {
  private TreeListing() {}

  public static List<String> of(Path root, boolean withTimes) throws IOException {
    List<String> lines = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted().toList()) {
        if (p.equals(root)) {
          continue;
        }
        Map<String, Object> a = Files.readAttributes(p, "unix:*", LinkOption.NOFOLLOW_LINKS);
        StringBuilder line = new StringBuilder(root.relativize(p).toString());
        line.append(' ').append(Integer.toOctalString((Integer) a.get("mode")))
            .append(' ').append(a.get("uid")).append(':').append(a.get("gid"))
            .append(" rdev=").append(a.get("rdev"));
        if (withTimes && !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          // commons-compress writes PAX times to 100 ns; compare to the microsecond
          line.append(" mtime=").append(((java.nio.file.attribute.FileTime) a.get("lastModifiedTime"))
              .toInstant().truncatedTo(java.time.temporal.ChronoUnit.MICROS));
        }
        if (Files.isSymbolicLink(p)) {
          line.append(" -> ").append(Files.readSymbolicLink(p));
        } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          line.append(" nlink=").append(a.get("nlink")).append(" sha=").append(sha(p));
        }
        Map<String, byte[]> xattrs = new TreeMap<>(FileSystemCalls.linux().xattrs(p));
        xattrs.forEach((k, v) -> line.append(' ').append(k).append('=').append(HexFormat.of().formatHex(v)));
        lines.add(line.toString());
      }
    }
    return lines;
  }

  private static String sha(Path p) throws IOException {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))).substring(0, 12);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
