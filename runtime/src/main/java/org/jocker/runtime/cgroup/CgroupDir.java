package org.jocker.runtime.cgroup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.OptionalLong;

/**
 * One cgroup directory as seen by one controller: reads and writes its control files and turns
 * kernel errors into one-line messages naming the controller, file, value and directory.
 */
record CgroupDir(String controller, Path path) {

  /** Writes the value with a single write(2), as the kernel parses each write on its own. */
  void write(String file, String value) {
    try {
      // No CREATE: a missing control file means the kernel lacks the feature, never a typo to paper over.
      Files.write(path.resolve(file), value.getBytes(StandardCharsets.UTF_8), StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING);
    } catch (IOException e) {
      throw new CgroupException(
          "cgroup " + controller + ": cannot set " + file + " to " + value + " in " + path + ": "
              + reason(e), e);
    }
  }

  String read(String file) {
    try {
      return Files.readString(path.resolve(file)).trim();
    } catch (IOException e) {
      throw new CgroupException(
          "cgroup " + controller + ": cannot read " + file + " in " + path + ": " + reason(e), e);
    }
  }

  boolean has(String file) {
    return Files.exists(path.resolve(file));
  }

  /** A number file; "max" (v2's unlimited) reads as Long.MAX_VALUE. */
  long readLong(String file) {
    String text = read(file);
    if (text.equals("max")) {
      return Long.MAX_VALUE;
    }
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new CgroupException(
          "cgroup " + controller + ": " + file + " in " + path + " is not a number: " + text);
    }
  }

  OptionalLong readLongIfPresent(String file) {
    return has(file) ? OptionalLong.of(readLong(file)) : OptionalLong.empty();
  }

  /** The value of a "key value" line in a flat-keyed file (memory.stat, cpu.stat, cgroup.events...). */
  OptionalLong keyed(String file, String key) {
    if (!has(file)) {
      return OptionalLong.empty();
    }
    for (String line : read(file).split("\n")) {
      String[] kv = line.trim().split("\\s+");
      if (kv.length == 2 && kv[0].equals(key)) {
        return OptionalLong.of(Long.parseLong(kv[1]));
      }
    }
    return OptionalLong.empty();
  }

  CgroupDir child(String name) {
    return new CgroupDir(controller, path.resolve(name));
  }

  /**
   * Whether the error means the cgroup was removed: ENOENT, or ENODEV for a control file opened
   * just before its directory was removed (as systemd does with a scope as soon as it is empty).
   */
  static boolean removed(IOException e) {
    return e instanceof NoSuchFileException || "No such device".equals(reason(e))
        || "No such device".equals(e.getMessage());
  }

  /** The errno text without the path Java prepends (the message already names file and dir). */
  static String reason(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "No such file or directory";
    }
    if (e instanceof AccessDeniedException) {
      return "Permission denied";
    }
    if (e instanceof FileSystemException fse && fse.getReason() != null) {
      return fse.getReason();
    }
    return e.getMessage();
  }
}
