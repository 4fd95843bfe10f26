package org.jocker.cli.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jocker.cli.Main;

/**
 * `jocker --root ROOT ...` for tests: in-process through Main.run (output captured), or as a
 * separate java process of this build (for what a container prints on the real fd 1, and for
 * killing it). Its containers default to --network none (`--bridge none`), so that tests that are
 * not about networking never touch the host's network; {@link #networked} is the engine's default.
 */
public final class Jocker {
  public record Result(int code, String out, String err) {}

  /** Global options of every command: no default bridge. */
  public static final List<String> NO_BRIDGE = List.of("--bridge", "none");

  private final Path root;
  private final List<String> engineOptions;
  private Path wrapper;

  public Jocker(Path root) {
    this(root, NO_BRIDGE);
  }

  private Jocker(Path root, List<String> engineOptions) {
    this.root = root;
    this.engineOptions = List.copyOf(engineOptions);
  }

  /** A jocker whose containers default to the bridge network (to be run in a test's network namespace). */
  public static Jocker networked(Path root) {
    return new Jocker(root, List.of());
  }

  public Path root() {
    return root;
  }

  public Result run(String... args) {
    List<String> all = new ArrayList<>(List.of("--root", root.toString()));
    all.addAll(engineOptions);
    all.addAll(List.of(args));
    return main(all.toArray(String[]::new));
  }

  /** `jocker ARGS` in-process, with no --root of ours, its stdout and stderr captured. */
  public static Result main(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
    try {
      int code = Main.run(args);
      return new Result(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  /** Like {@link #run}, asserting exit code 0. */
  public Result ok(String... args) {
    Result r = run(args);
    assertThat(r.code()).as("jocker %s: %s", String.join(" ", args), r.err()).isZero();
    return r;
  }

  /** An executable script running `jocker --root ROOT "$@"` with this build's classes. */
  public Path wrapper() {
    if (wrapper == null) {
      try {
        String java = ProcessHandle.current().info().command().orElse("java");
        String script = "#!/bin/sh\nexec '" + java + "' --enable-native-access=ALL-UNNAMED -XX:TieredStopAtLevel=1"
            + " -Djocker.launcher='" + System.getProperty("jocker.launcher") + "'"
            + " -cp '" + System.getProperty("java.class.path") + "'"
            + " org.jocker.cli.Main --root '" + root + "' " + String.join(" ", engineOptions) + " \"$@\"\n";
        Files.createDirectories(root);
        Path file = Files.createTempFile(root.getParent(), "jocker", ".sh");
        Files.writeString(file, script);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        wrapper = file;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return wrapper;
  }

  public ProcessBuilder process(String... args) {
    return processIn(List.of(), args);
  }

  /** jocker run by {@code prefix} (e.g. nsenter --net=NS, to run it in a network namespace). */
  public ProcessBuilder processIn(List<String> prefix, String... args) {
    List<String> all = new ArrayList<>(prefix);
    all.add(wrapper().toString());
    all.addAll(List.of(args));
    return new ProcessBuilder(all).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
  }

  /** Runs jocker as a separate process; stdout captured, stderr to a file. */
  public Result exec(String... args) {
    return execIn(List.of(), args);
  }

  /** Like {@link #exec}, run by {@code prefix} (see {@link #processIn}). */
  public Result execIn(List<String> prefix, String... args) {
    try {
      Path stderr = Files.createTempFile(root.getParent(), "stderr", ".txt");
      Process p = processIn(prefix, args).redirectError(stderr.toFile()).start();
      String out;
      try (InputStream in = p.getInputStream()) {
        out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      String err = Files.readString(stderr);
      Files.delete(stderr);
      return new Result(p.exitValue(), out, err);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * `rm -f` (with {@code rmOptions}, e.g. -v) of every container in the root, asserting that each
   * is removed.
   */
  public void removeAllContainers(String... rmOptions) {
    for (String id : ok("ps", "-aq").out().lines().toList()) {
      List<String> rm = new ArrayList<>(List.of("rm", "-f"));
      rm.addAll(List.of(rmOptions));
      rm.add(id);
      ok(rm.toArray(String[]::new));
    }
  }

  /** The `container cleanup` processes (containers' exit commands) of this root still running. */
  public List<Long> cleanups() {
    String rootPath = root.toAbsolutePath().toString();
    return ProcessHandle.allProcesses().filter(p -> {
      try {
        String cmdline = Files.readString(Path.of("/proc/" + p.pid() + "/cmdline"), StandardCharsets.UTF_8);
        return cmdline.contains(rootPath) && cmdline.contains("cleanup");
      } catch (IOException e) {
        return false;
      }
    }).map(ProcessHandle::pid).toList();
  }

  /** The aardvark-dns servers (names on user-defined networks) of this root still running. */
  public List<ProcessHandle> aardvarks() {
    String config = root.resolve("network/aardvark-dns").toString();
    return ProcessHandle.allProcesses().filter(p -> {
      try {
        String cmdline = Files.readString(Path.of("/proc/" + p.pid() + "/cmdline"), StandardCharsets.UTF_8);
        return cmdline.contains("aardvark-dns") && cmdline.contains(config);
      } catch (IOException e) {
        return false;
      }
    }).toList();
  }

  /** Waits (up to a minute, polling every 100 ms) until {@code condition} holds; fails naming {@code what}. */
  public static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waiting for: " + what).isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  /**
   * The names in {@code dir}, sorted; none if it does not exist or goes while listed (the tests
   * read directories that the commands they kill are changing).
   */
  public static List<String> children(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (java.util.stream.Stream<Path> list = Files.list(dir)) {
      return list.map(p -> p.getFileName().toString()).sorted().toList();
    } catch (java.nio.file.NoSuchFileException | UncheckedIOException removedMeanwhile) {
      return List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The host's links a network test could leave behind (jocker*, veth*): each must find them as they were. */
  public static List<String> hostLinks() {
    return tool(Path.of("/"), "ip", "-o", "link").lines()
        .map(l -> l.split(":")[1].trim()).filter(n -> n.startsWith("jocker") || n.startsWith("veth")).sorted().toList();
  }

  /** Mount points under the root still in this mount namespace. */
  public List<String> mountsLeft() {
    try {
      return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
          .map(l -> l.split(" ")[4]).filter(m -> m.startsWith(root.toString())).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs a tool (tar, skopeo, umoci), asserting it succeeds; returns its stdout. */
  public static String tool(Path dir, String... command) {
    try {
      Path stderr = Files.createTempFile("tool", ".err");
      Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectError(stderr.toFile()).start();
      String out;
      try (InputStream in = p.getInputStream()) {
        out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as("%s: %s", String.join(" ", command), Files.readString(stderr)).isZero();
      Files.delete(stderr);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
