package org.jocker.cli.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jocker.cli.testing.Jocker;
import org.jocker.runtime.testing.TestBundle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The resident engine (`jocker engine serve`, the process the native client talks to) killed with
 * SIGKILL at random moments of `load`, `tag`, `rmi -f` and `import`: fresh commands then list no
 * nameless image the killed command was adding or removing, no temp file of the image store
 * outlives the next command, and each command run again through a new engine succeeds.
 * {@value #TRIALS} trials, most of them killed (about 35 s).
 */
class ResidentEngineCrashTest {
  private static final int TRIALS = 24;
  /** What the client runs when no engine answers: here a failure, so nothing runs outside the engine. */
  private static final List<String> NO_FALLBACK = List.of("/bin/sh", "-c", "echo FELL BACK >&2; exit 99", "sh");

  @TempDir Path tmp;
  private Path socket;
  private Jocker jocker;
  private Process engine;

  @AfterEach
  void stopEngine() throws Exception {
    if (engine != null && engine.isAlive()) {
      engine.destroy();
      assertThat(engine.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(jocker.mountsLeft()).isEmpty();
  }

  /** The commands killed, in turn. */
  private enum Command { LOAD, TAG, RMI, IMPORT }

  @Test
  void killedEngineLeavesNoNamelessImageNoTempFileAndEveryCommandWorks() throws Exception {
    socket = tmp.resolve("engine/engine.sock");
    jocker = new Jocker(tmp.resolve("root"));
    Path rootfsTar = rootfsTar();
    Path archive = tmp.resolve("big.tar");
    jocker.ok("import", rootfsTar.toString(), "big:1");
    jocker.ok("save", "-o", archive.toString(), "big:1");
    startEngine();
    long[] millis = new long[Command.values().length];
    for (Command c : Command.values()) {
      prepare(c, archive);
      long start = System.nanoTime();
      Jocker.Result r = remote(args(c, 0, archive, rootfsTar));
      assertThat(r.code()).as("%s: %s", c, r.err()).isZero();
      millis[c.ordinal()] = (System.nanoTime() - start) / 1_000_000;
    }

    Random random = new Random();
    int killed = 0;
    String imported = null;
    for (int trial = 1; trial <= TRIALS; trial++) {
      Command c = Command.values()[trial % millis.length];
      prepare(c, archive);
      List<String> args = args(c, trial, archive, rootfsTar);
      Process client = clientProcess(args).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      if (!client.waitFor(random.nextLong(millis[c.ordinal()] + 1), TimeUnit.MILLISECONDS)) {
        engine.destroyForcibly(); // SIGKILL, in the middle of the command
        engine.waitFor();
        killed++;
        assertThat(client.waitFor(30, TimeUnit.SECONDS)).isTrue();
        checkStore("trial " + trial + ": killed " + args);
        startEngine();
      }
      prepare(c, archive); // rmi -f again needs the image that it may have removed
      Jocker.Result again = remote(args(c, trial, archive, rootfsTar));
      assertThat(again.code()).as("trial %d: %s again: %s", trial, args, again.err()).isZero();
      checkStore("trial " + trial + ": after " + args);
      imported = c == Command.IMPORT ? args.get(2) : imported;
    }
    assertThat(killed).as("commands killed before they ended").isGreaterThanOrEqualTo(TRIALS / 2);
    assertThat(remote("run", "--rm", "big:1", "test", "-s", "/data/f0").code()).isZero();
    assertThat(remote("run", "--rm", imported, "true").code()).isZero();
  }

  private static List<String> args(Command c, int trial, Path archive, Path rootfsTar) {
    return switch (c) {
      case LOAD -> List.of("load", "-i", archive.toString());
      case TAG -> List.of("tag", "big:1", "big:t" + trial);
      case RMI -> List.of("rmi", "-f", "big:1");
      case IMPORT -> List.of("import", rootfsTar.toString(), "small:" + trial);
    };
  }

  /** Through a fresh JVM: load and rmi need big:1 absent and present, tag needs it present. */
  private void prepare(Command c, Path archive) {
    boolean present = jocker.run("image", "inspect", "big:1").code() == 0;
    if (c == Command.LOAD && present) {
      jocker.ok("rmi", "-f", "big:1");
    } else if ((c == Command.RMI || c == Command.TAG) && !present) {
      jocker.ok("load", "-i", archive.toString());
    }
  }

  /**
   * A fresh command sees no nameless image (every image here has a name, and no container uses
   * one), every listed image inspects, and the store holds no temp file and no unfinished change.
   */
  private void checkStore(String when) throws IOException {
    String images = jocker.ok("images").out();
    assertThat(images).as(when).doesNotContain("<none>");
    for (String id : jocker.ok("images", "-q").out().lines().toList()) {
      jocker.ok("image", "inspect", id);
    }
    Path store = jocker.root().resolve("images");
    try (Stream<Path> files = Files.walk(store)) {
      assertThat(files.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".tmp") || n.equals("intent.json"))).as(when).isEmpty();
    }
  }

  /** busybox plus 8 MB of incompressible files, as a tar, so that load and import take a while. */
  private Path rootfsTar() throws IOException {
    Path rootfs = TestBundle.createRootfs(tmp.resolve("rootfs"));
    Random random = new Random(42);
    byte[] chunk = new byte[1 << 20];
    for (int i = 0; i < 8; i++) {
      Path dir = Files.createDirectories(rootfs.resolve("data"));
      random.nextBytes(chunk);
      Files.write(dir.resolve("f" + i), chunk);
    }
    Path tar = tmp.resolve("rootfs.tar");
    Jocker.tool(rootfs, "tar", "-cf", tar.toString(), ".");
    return tar;
  }

  private void startEngine() throws Exception {
    List<String> command = new ArrayList<>(java());
    command.addAll(List.of("engine", "serve", "--socket", socket.toString(), "--idle-timeout", "600"));
    engine = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(tmp.resolve("engine.log").toFile())).start();
    // A killed engine left its socket and pid file: wait for this engine's.
    Path pidFile = socket.resolveSibling("engine.pid");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (!Files.exists(socket) || !Files.exists(pidFile)
        || !Files.readString(pidFile).strip().equals(Long.toString(engine.pid()))) {
      assertThat(engine.isAlive()).as("engine exited: %s", Files.readString(tmp.resolve("engine.log"))).isTrue();
      assertThat(System.nanoTime()).as("engine did not come up").isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  /** This build's `java ... org.jocker.cli.Main`. */
  private static List<String> java() {
    return List.of(ProcessHandle.current().info().command().orElse("java"), "--enable-native-access=ALL-UNNAMED",
        "-XX:TieredStopAtLevel=1", "-Djocker.launcher=" + System.getProperty("jocker.launcher"),
        "-cp", System.getProperty("java.class.path"), "org.jocker.cli.Main");
  }

  /** The native client, as users run it, on this test's socket and root. */
  private ProcessBuilder clientProcess(List<String> args) {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("jocker.launcher")).resolveSibling("jocker-client").toString(), "--"));
    command.addAll(NO_FALLBACK);
    command.add("--");
    command.addAll(List.of("--root", jocker.root().toString()));
    command.addAll(Jocker.NO_BRIDGE);
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.environment().put("JOCKER_ENGINE_SOCKET", socket.toString());
    return pb;
  }

  private Jocker.Result remote(String... args) throws Exception {
    return remote(List.of(args));
  }

  private Jocker.Result remote(List<String> args) throws Exception {
    Path err = tmp.resolve("client.err");
    Process p = clientProcess(args).redirectError(err.toFile()).start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("jocker %s", args).isTrue();
    return new Jocker.Result(p.exitValue(), "", Files.readString(err));
  }
}
