package org.jocker.cli;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of this jocker over a root, for what must call it back later without us: the
 * exit command a container's monitor runs when the container exits. It is the running JVM's own
 * (java, the class path, the CLI's main class and the JVM options that matter), so it works the
 * same from ./jocker and from tests that run the CLI in-process; the system property
 * {@code jocker.command} names an executable to use instead. With {@code jocker.client} (set by
 * ./jocker) it goes through the native client, so that a resident engine runs it.
 */
public final class SelfCommand {
  /** JVM options passed on: the class-data archive of ./jocker makes the start faster. */
  private static final List<String> INHERITED = List.of("-XX:SharedArchiveFile=", "-XX:+AutoCreateSharedArchive",
      "-Xlog:cds", "-Xshare:");

  private SelfCommand() {}

  public static List<String> argv(Path root) {
    List<String> argv = new ArrayList<>();
    String command = System.getProperty("jocker.command");
    String client = System.getProperty("jocker.client");
    boolean viaClient = client != null && Files.isExecutable(Path.of(client));
    if (command != null && !command.isBlank()) {
      argv.add(Path.of(command).toAbsolutePath().toString());
    } else {
      if (viaClient) {
        // Through the resident engine when one runs (no JVM start); the JVM that follows is the fallback.
        argv.add(Path.of(client).toAbsolutePath().toString());
        String socket = System.getenv("JOCKER_ENGINE_SOCKET"); // the exit command runs without our env
        if (socket != null && !socket.isBlank()) {
          argv.addAll(List.of("-s", Path.of(socket).toAbsolutePath().toString()));
        }
        argv.add("--");
      }
      argv.add(ProcessHandle.current().info().command()
          .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
      argv.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
      for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
        if (INHERITED.stream().anyMatch(option::startsWith)) {
          argv.add(option);
        }
      }
      for (String property : List.of("jocker.launcher", "jocker.client")) {
        String value = System.getProperty(property);
        if (value != null) {
          argv.add("-D" + property + "=" + Path.of(value).toAbsolutePath());
        }
      }
      argv.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
      if (viaClient) {
        argv.add("--");
      }
    }
    argv.addAll(List.of("--root", root.toAbsolutePath().toString()));
    return argv;
  }
}
