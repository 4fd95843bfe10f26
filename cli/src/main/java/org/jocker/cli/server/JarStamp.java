package org.jocker.cli.server;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The size and modification time of every class path entry when the engine started: when they
 * change (the jars were rebuilt), the engine is stale and makes way for a new one.
 */
record JarStamp(Map<Path, String> entries) {
  static JarStamp ofClassPath() {
    return of(System.getProperty("java.class.path", ""));
  }

  static JarStamp of(String classPath) {
    Map<Path, String> entries = new LinkedHashMap<>();
    for (String entry : classPath.split(File.pathSeparator)) {
      if (!entry.isEmpty()) {
        entries.put(Path.of(entry), describe(Path.of(entry)));
      }
    }
    return new JarStamp(entries);
  }

  private static String describe(Path entry) {
    try {
      return Files.size(entry) + " " + Files.getLastModifiedTime(entry).toMillis();
    } catch (java.io.IOException e) {
      return "missing";
    }
  }

  boolean changed() {
    return entries.entrySet().stream().anyMatch(e -> !describe(e.getKey()).equals(e.getValue()));
  }
}
