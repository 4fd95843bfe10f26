package org.jocker.engine.network;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jocker.engine.EngineException;
import org.jocker.kernel.Durable;
import org.jocker.kernel.LockFile;

/**
 * Name resolution on user-defined networks with Podman's DNS server, aardvark-dns (Debian's
 * package): one daemon for all networks of this root, listening on each network's gateway, port
 * 53, reading one file per network from {@code network/aardvark-dns/}. It daemonizes (its own
 * session), so it lives on without any jocker process; it rereads its files on SIGHUP.
 *
 * <p>Its files are derived from the endpoints, never edited by hand: each update (under
 * {@code aardvark-dns.lock}, so the last writer saw every change before it) writes what the
 * endpoints say, then reloads the server, starts it if none runs, or stops it when no file is
 * left. Files are written in a staging directory and renamed in: aardvark parses every file of
 * its directory, and one half written would stop it.
 */
final class AardvarkDns {
  static final int PORT = 53;
  private static final String PID_FILE = "aardvark.pid";
  private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);
  private final Path configDir;
  private final Path stagingDir;
  private final Path lockFile;

  AardvarkDns(Path networkDir) {
    this.configDir = networkDir.resolve("aardvark-dns");
    this.stagingDir = networkDir.resolve("aardvark-dns.staging");
    this.lockFile = networkDir.resolve("aardvark-dns.lock");
  }

  /** Brings the server's names in line with {@code endpoints} (read under the lock). */
  void update(Supplier<List<Endpoint>> endpoints) {
    try {
      Files.createDirectories(configDir);
      Files.createDirectories(stagingDir);
      try (LockFile.Held held = LockFile.lock(lockFile)) {
        Map<String, String> wanted = AardvarkConfig.files(endpoints.get());
        boolean changed = writeFiles(wanted);
        Optional<ProcessHandle> server = running();
        if (wanted.isEmpty()) {
          server.ifPresent(this::stop);
          Files.deleteIfExists(configDir.resolve(PID_FILE));
        } else if (server.isEmpty()) {
          start(wanted);
        } else if (changed) {
          reload(server.get(), wanted);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot update the DNS server's configuration in " + configDir, e);
    }
  }

  /**
   * {@link #update} where names were ever served (a root that never had any has no directory and
   * costs nothing): a process killed between an endpoint's change and its names' left the files,
   * or the server, out of step.
   */
  void repair(Supplier<List<Endpoint>> endpoints) {
    if (Files.isDirectory(configDir)) {
      update(endpoints);
    }
  }

  /** The server's pid while it runs (checked to be our aardvark-dns, not a reused pid). */
  Optional<ProcessHandle> running() {
    try {
      long pid = Long.parseLong(Files.readString(configDir.resolve(PID_FILE)).trim());
      String cmdline = Files.readString(Path.of("/proc/" + pid + "/cmdline"), StandardCharsets.UTF_8);
      return cmdline.contains("aardvark-dns") && cmdline.contains(configDir.toString())
          ? ProcessHandle.of(pid).filter(ProcessHandle::isAlive) : Optional.empty();
    } catch (NoSuchFileException | NumberFormatException e) {
      return Optional.empty();
    } catch (IOException e) {
      return Optional.empty(); // its /proc entry went away meanwhile
    }
  }

  /** Writes the files that differ, removes those of networks left without names; whether any changed. */
  private boolean writeFiles(Map<String, String> wanted) throws IOException {
    boolean changed = false;
    List<Path> present = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(configDir)) {
      files.forEach(present::add);
    }
    for (Path f : present) {
      String name = f.getFileName().toString();
      if (!name.equals(PID_FILE) && !wanted.containsKey(name)) {
        Files.deleteIfExists(f);
        changed = true;
      }
    }
    for (Map.Entry<String, String> file : wanted.entrySet()) {
      Path target = configDir.resolve(file.getKey());
      if (Files.exists(target) && Files.readString(target).equals(file.getValue())) {
        continue;
      }
      Path staged = stagingDir.resolve(file.getKey());
      Durable.write(staged, file.getValue().getBytes(StandardCharsets.UTF_8));
      Durable.rename(staged, target);
      changed = true;
    }
    return changed;
  }

  /**
   * Starts the daemon: {@code aardvark-dns --config DIR -p 53 run} returns once its child (the
   * server, in a session of its own) wrote its pid; then waits until it listens everywhere.
   */
  private void start(Map<String, String> wanted) throws IOException {
    Files.deleteIfExists(configDir.resolve(PID_FILE));
    Path binary = binary();
    Process p = new ProcessBuilder(binary.toString(), "--config", configDir.toString(), "-p", String.valueOf(PORT),
        "run").redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true).start();
    try {
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw EngineException.internal("failed to start the DNS server " + binary + ": exit status "
            + (p.isAlive() ? "(timed out)" : p.exitValue()));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    awaitListening(wanted, Map.of());
  }

  /** SIGHUP: the server rereads its files and binds its sockets again. */
  private void reload(ProcessHandle server, Map<String, String> wanted) throws IOException {
    Map<String, Set<Long>> before = UdpListeners.on(PORT);
    signal(server.pid(), "HUP");
    awaitListening(wanted, before);
  }

  /** SIGTERM (aardvark handles only SIGHUP, so it ends at once), then waits for it to be gone. */
  private void stop(ProcessHandle server) {
    server.destroy();
    try {
      server.onExit().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      server.destroyForcibly();
    }
  }

  /**
   * Until the server listens on every network's gateway with a socket other than those seen
   * before (the sockets it had before a reload), so names just added resolve once we return.
   */
  private void awaitListening(Map<String, String> wanted, Map<String, Set<Long>> before) {
    long deadline = System.nanoTime() + WAIT_NANOS;
    List<String> addresses = wanted.values().stream().map(AardvarkConfig::listenAddress).toList();
    while (true) {
      Map<String, Set<Long>> now = UdpListeners.on(PORT);
      List<String> missing = addresses.stream().filter(a -> !freshSocket(a, now, before)).toList();
      if (missing.isEmpty()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw EngineException.internal("the DNS server (aardvark-dns) does not listen on " + missing.get(0) + ":"
            + PORT + " (is another server bound to port " + PORT + "?)");
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
  }

  /** Bound again, and the sockets of before all closed (a packet one of those got would be lost). */
  private static boolean freshSocket(String address, Map<String, Set<Long>> now, Map<String, Set<Long>> before) {
    Set<Long> old = before.getOrDefault(address, Set.of());
    Set<Long> current = now.getOrDefault(address, Set.of());
    return !current.isEmpty() && current.stream().noneMatch(old::contains);
  }

  private static void signal(long pid, String signal) throws IOException {
    try {
      new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Debian's (and Fedora's) place for it; {@code jocker.aardvark} overrides. */
  private static Path binary() {
    String configured = System.getProperty("jocker.aardvark");
    List<Path> candidates = configured != null && !configured.isBlank() ? List.of(Path.of(configured))
        : List.of(Path.of("/usr/lib/podman/aardvark-dns"), Path.of("/usr/libexec/podman/aardvark-dns"));
    return candidates.stream().filter(Files::isExecutable).findFirst().orElseThrow(() -> EngineException.internal(
        "aardvark-dns not found at " + candidates + ": containers on user-defined networks need it for names"));
  }
}
