package org.jocker.engine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * `top`: as Docker does it, the host's `ps` (with `-ef` or the given options) filtered to the
 * container's pids, found through the PID column of its header.
 */
public final class ContainerTop {
  /** The header's titles and, per process, its fields (the last one holds the rest of the line). */
  public record Listing(List<String> titles, List<List<String>> processes) {}

  private ContainerTop() {}

  public static Listing list(List<Long> pids, List<String> psArgs) {
    List<String> command = new ArrayList<>(List.of("ps"));
    command.addAll(psArgs == null || psArgs.isEmpty() ? List.of("-ef") : psArgs);
    String output = run(command);
    return parse(output, pids, psArgs);
  }

  static Listing parse(String output, List<Long> pids, List<String> psArgs) {
    List<String> lines = output.lines().filter(l -> !l.isBlank()).toList();
    if (lines.isEmpty()) {
      throw new EngineException("Error response from daemon: ps produced no output", 1);
    }
    List<String> titles = List.of(lines.get(0).trim().split("\\s+"));
    int pidIndex = titles.indexOf("PID");
    if (pidIndex < 0) {
      throw new EngineException("Error response from daemon: Couldn't find PID field in ps output", 1);
    }
    Set<Long> wanted = new HashSet<>(pids);
    List<List<String>> rows = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] fields = line.trim().split("\\s+", titles.size());
      if (fields.length <= pidIndex) {
        continue;
      }
      long pid;
      try {
        pid = Long.parseLong(fields[pidIndex]);
      } catch (NumberFormatException e) {
        throw new EngineException("Error response from daemon: Unexpected pid '" + fields[pidIndex] + "'", 1);
      }
      if (wanted.contains(pid)) {
        rows.add(List.of(fields));
      }
    }
    return new Listing(titles, rows);
  }

  private static String run(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getOutputStream().close();
      String out;
      try (InputStream in = p.getInputStream()) {
        out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new EngineException("Error response from daemon: ps timed out", 1);
      }
      if (p.exitValue() != 0) {
        throw new EngineException("Error response from daemon: ps: " + out.strip(), 1);
      }
      return out;
    } catch (IOException e) {
      throw new EngineException("Error response from daemon: cannot run ps: " + e.getMessage(), 1, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineException("interrupted", 1, e);
    }
  }
}
