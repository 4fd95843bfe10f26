package org.jocker.engine.operations;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jocker.engine.EngineException;

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
      throw EngineException.internal("ps produced no output");
    }
    List<String> titles = List.of(lines.get(0).trim().split("\\s+"));
    int pidIndex = titles.indexOf("PID");
    if (pidIndex < 0) {
      throw EngineException.internal("Couldn't find PID field in ps output");
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
        throw EngineException.internal("Unexpected pid '" + fields[pidIndex] + "'");
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
        throw EngineException.internal("ps timed out");
      }
      if (p.exitValue() != 0) {
        throw EngineException.internal("ps: " + out.strip());
      }
      return out;
    } catch (IOException e) {
      throw EngineException.internal(e, "cannot run ps: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw EngineException.internal(e, "interrupted");
    }
  }
}
