package org.jocker.kernel;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * One line of /proc/[pid]/mountinfo (proc(5)):
 * {@code id parent major:minor root mountpoint options [optional fields...] - fstype source superoptions}.
 * {@code root}, {@code mountPoint} and {@code source} are decoded (the kernel writes space, tab,
 * newline and backslash as {@code \ooo} octal); the two option lists stay as written, since their
 * values are escaped one by one and decoding the whole list could invent separators.
 */
public record Mount(
    int id,
    int parentId,
    int major,
    int minor,
    String root,
    String mountPoint,
    String options,
    List<String> optionalFields,
    String fsType,
    String source,
    String superOptions) {

  public Mount {
    optionalFields = List.copyOf(optionalFields);
  }

  /** The line's mount, or empty if it is not a mountinfo line (blank, truncated, no separator). */
  public static Optional<Mount> parse(String line) {
    String[] f = line.strip().split(" ", -1);
    int dash = Arrays.asList(f).indexOf("-");
    if (dash < 6 || dash + 3 >= f.length) {
      return Optional.empty();
    }
    try {
      String[] device = f[2].split(":", 2);
      if (device.length != 2) {
        return Optional.empty();
      }
      return Optional.of(new Mount(Integer.parseInt(f[0]), Integer.parseInt(f[1]),
          Integer.parseInt(device[0]), Integer.parseInt(device[1]), decode(f[3]), decode(f[4]), f[5],
          Arrays.asList(f).subList(6, dash), f[dash + 1], decode(f[dash + 2]), f[dash + 3]));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** Undoes the kernel's {@code \ooo} octal escapes. */
  static String decode(String s) {
    if (s.indexOf('\\') < 0) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 3 < s.length() && isOctal(s, i + 1) && isOctal(s, i + 2) && isOctal(s, i + 3)) {
        out.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static boolean isOctal(String s, int i) {
    char c = s.charAt(i);
    return c >= '0' && c <= '7';
  }
}
