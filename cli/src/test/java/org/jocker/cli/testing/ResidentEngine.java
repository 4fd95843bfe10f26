package org.jocker.cli.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A resident engine (`jocker engine serve` of this build, on a socket of the test's) and the native
 * client talking to it, as users run them: commands for {@code root} go through the engine, and a
 * client that finds no engine fails instead of falling back to a fresh JVM. The engine can be
 * killed (SIGKILL) and started again; {@link #close()} stops it.
 */
public final class ResidentEngine implements AutoCloseable {
  /** What the client runs when no engine answers: here a failure, so nothing runs outside the engine. */
  private static final List<String> NO_FALLBACK = List.of("/bin/sh", "-c", "echo FELL BACK >&2; exit 99", "sh");

  private final Path dir;
  private final Path root;
  private final List<String> jvmOptions;
  private final List<String> prefix;
  private final List<String> globalOptions;
  private final Path socket;
  private Process engine;

  private ResidentEngine(Path dir, Path root, List<String> jvmOptions, List<String> prefix, List<String> globalOptions) {
    this.dir = dir;
    this.root = root;
    this.jvmOptions = jvmOptions;
    this.prefix = prefix;
    this.globalOptions = globalOptions;
    this.socket = dir.resolve("engine/engine.sock");
  }

  /**
   * An engine whose socket and log are under {@code dir}, serving commands for {@code root};
   * {@code jvmOptions} go to its JVM (-D properties).
   */
  public static ResidentEngine start(Path dir, Path root, String... jvmOptions) throws Exception {
    // containers default to none: the host's network stays untouched
    ResidentEngine engine = new ResidentEngine(dir, root, List.of(jvmOptions), List.of(), Jocker.NO_BRIDGE);
    engine.start();
    return engine;
  }

  /**
   * An engine run by {@code prefix} (nsenter --net=NS: the containers' networks are made in that
   * namespace) whose containers default to the bridge network, for the network tests.
   */
  public static ResidentEngine startNetworked(List<String> prefix, Path dir, Path root) throws Exception {
    ResidentEngine engine = new ResidentEngine(dir, root, List.of(), List.copyOf(prefix), List.of());
    engine.start();
    return engine;
  }

  public long pid() {
    return engine.pid();
  }

  /** Starts the engine again (after {@link #kill()}), waiting until it listens. */
  public void start() throws Exception {
    List<String> command = new ArrayList<>(prefix);
    command.addAll(List.of(ProcessHandle.current().info().command().orElse("java"),
        "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1",
        "-Djocker.launcher=" + System.getProperty("jocker.launcher")));
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.jocker.cli.Main",
        "engine", "serve", "--socket", socket.toString(), "--idle-timeout", "600"));
    Files.createDirectories(dir);
    Path log = dir.resolve("engine.log");
    engine = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    // A killed engine left its socket and pid file: wait for this engine's.
    Path pidFile = socket.resolveSibling("engine.pid");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (!Files.exists(socket) || !Files.exists(pidFile)
        || !Files.readString(pidFile).strip().equals(Long.toString(engine.pid()))) {
      assertThat(engine.isAlive()).as("engine exited: %s", Files.readString(log)).isTrue();
      assertThat(System.nanoTime()).as("engine did not come up").isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  /** SIGKILL, whatever it is doing. */
  public void kill() throws InterruptedException {
    engine.destroyForcibly();
    engine.waitFor();
  }

  /** The native client running {@code jocker --root ROOT ARGS} through this engine; stdin empty, output discarded. */
  public ProcessBuilder client(Map<String, String> env, List<String> args) {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("jocker.launcher")).resolveSibling("jocker-client").toString(), "--"));
    command.addAll(NO_FALLBACK);
    command.add("--");
    command.addAll(List.of("--root", root.toString()));
    command.addAll(globalOptions);
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD);
    pb.environment().put("JOCKER_ENGINE_SOCKET", socket.toString());
    pb.environment().putAll(env);
    return pb;
  }

  /** {@code jocker ARGS} through the engine, its output captured. */
  public Jocker.Result run(String... args) {
    return run(Map.of(), args);
  }

  public Jocker.Result run(Map<String, String> env, String... args) {
    try {
      Process p = client(env, List.of(args)).redirectOutput(ProcessBuilder.Redirect.PIPE)
          .redirectError(ProcessBuilder.Redirect.PIPE).start();
      CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
      String out = readAll(p.getInputStream());
      assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("jocker %s", String.join(" ", args)).isTrue();
      return new Jocker.Result(p.exitValue(), out, err.join());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Like {@link #run}, asserting exit code 0. */
  public Jocker.Result ok(String... args) {
    Jocker.Result r = run(args);
    assertThat(r.code()).as("jocker %s: %s", String.join(" ", args), r.err()).isZero();
    return r;
  }

  /** Like {@link #ok}, returning how long the command took, in milliseconds. */
  public long okMillis(String... args) {
    long start = System.nanoTime();
    ok(args);
    return (System.nanoTime() - start) / 1_000_000;
  }

  private static String readAll(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (engine != null && engine.isAlive()) {
      engine.destroy();
      if (!engine.waitFor(30, TimeUnit.SECONDS)) {
        kill();
      }
    }
  }
}
