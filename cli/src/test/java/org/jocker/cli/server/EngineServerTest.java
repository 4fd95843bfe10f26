package org.jocker.cli.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.attribute.PosixFilePermissions;
import org.jocker.cli.testing.Jocker;
import org.jocker.images.registry.Htpasswd;
import org.jocker.images.registry.RegistryServer;
import org.jocker.runtime.ContainerRuntime;
import org.jocker.runtime.CreateOptions;
import org.jocker.runtime.kernel.LinuxKernel;
import org.jocker.runtime.launch.Launcher;
import org.jocker.runtime.testing.TestBundle;
import org.jocker.cli.testing.TestTerminal;
import org.jocker.images.registry.RegistryPush;
import org.jocker.images.registry.RegistryServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The native client and the resident engine as real processes: each test has its own socket,
 * --root and engine, and stops the engine and removes its containers at the end.
 */
class EngineServerTest {
  /** What the client runs when it falls back to a fresh JVM, in tests that must not fall back. */
  private static final List<String> NO_FALLBACK = List.of("/bin/sh", "-c", "echo FELL BACK >&2; exit 99", "sh");

  @TempDir Path tmp;
  private Path socket;
  private Path root;
  private Path cwd;
  private Process engine;

  @BeforeEach
  void paths() throws IOException {
    socket = tmp.resolve("engine/engine.sock");
    root = tmp.resolve("root");
    cwd = Files.createDirectories(tmp.resolve("cwd"));
  }

  @AfterEach
  void cleanUp() throws Exception {
    stopEngines();
    Jocker jocker = new Jocker(root);
    for (String id : jocker.run("ps", "-aq", "--no-trunc").out().lines().toList()) {
      jocker.run("rm", "-f", id);
    }
    assertThat(jocker.mountsLeft()).isEmpty();
  }

  private void stopEngines() throws Exception {
    if (engine != null) {
      engine.destroy();
      assertThat(engine.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    Optional<ProcessHandle> other = enginePid().flatMap(ProcessHandle::of);
    if (other.isPresent()) {
      other.get().destroy();
      other.get().onExit().get(30, TimeUnit.SECONDS);
    }
  }

  private Optional<Long> enginePid() throws IOException {
    Path pid = socket.resolveSibling("engine.pid");
    return Files.exists(pid) ? Optional.of(Long.parseLong(Files.readString(pid).strip())) : Optional.empty();
  }

  /** This build's `java ... org.jocker.cli.Main`. */
  private static List<String> java() {
    return List.of(ProcessHandle.current().info().command().orElse("java"), "--enable-native-access=ALL-UNNAMED",
        "-XX:TieredStopAtLevel=1", "-Djocker.launcher=" + System.getProperty("jocker.launcher"),
        "-cp", System.getProperty("java.class.path"), "org.jocker.cli.Main");
  }

  private static Path client() {
    return Path.of(System.getProperty("jocker.launcher")).resolveSibling("jocker-client");
  }

  private void startEngine(String idleSeconds) throws Exception {
    List<String> command = new ArrayList<>(java());
    command.addAll(List.of("engine", "serve", "--socket", socket.toString(), "--idle-timeout", idleSeconds));
    engine = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(tmp.resolve("engine.log").toFile()).start();
    awaitSocket();
  }

  private void awaitSocket() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (!Files.exists(socket) || enginePid().isEmpty()) {
      assertThat(System.nanoTime()).as("engine did not come up").isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  private ProcessBuilder clientProcess(List<String> fallback, Map<String, String> env, String... args) {
    List<String> command = new ArrayList<>(List.of(client().toString(), "--"));
    command.addAll(fallback);
    command.add("--");
    command.addAll(List.of("--root", root.toString()));
    command.addAll(Jocker.NO_BRIDGE);
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
    pb.environment().put("JOCKER_ENGINE_SOCKET", socket.toString());
    pb.environment().putAll(env);
    return pb;
  }

  private Jocker.Result client(String stdin, Map<String, String> env, List<String> fallback, String... args)
      throws Exception {
    Process p = clientProcess(fallback, env, args).start();
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
    CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
    try (OutputStream in = p.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("jocker %s", String.join(" ", args)).isTrue();
    return new Jocker.Result(p.exitValue(), out.get(), err.get());
  }

  /** Through the running engine (a fallback to a fresh JVM fails the test). */
  private Jocker.Result remote(String... args) throws Exception {
    return client("", Map.of(), NO_FALLBACK, args);
  }

  private static String readAll(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void aPullAndAPushInTheEngineShowTheirProgressOnTheCallersStreams() throws Exception {
    assumeTrue(RegistryServer.installed(), "docker-registry is not installed (scripts/install-deps)");
    assumeTrue(RegistryPush.skopeoInstalled(), "skopeo is not installed (scripts/install-deps)");
    startEngine("600");
    try (RegistryServer registry = RegistryServer.start()) {
      assertThat(remote("run", "--rm", "busybox", "true").code()).isZero();
      assertThat(remote("save", "-o", "busybox.tar", "busybox").code()).isZero();
      RegistryPush.copy("docker-archive:" + cwd.resolve("busybox.tar"), registry, "lib/box:1");
      assertThat(remote("rmi", "busybox").code()).isZero();
      String image = registry.host() + "/lib/box:1";

      Jocker.Result run = remote("run", "--rm", image, "echo", "hi");

      assertThat(run.code()).as(run.err()).isZero();
      assertThat(run.out()).isEqualTo("hi\n");
      assertThat(run.err()).startsWith("Unable to find image '" + image + "' locally\n1: Pulling from lib/box\n")
          .contains(": Pull complete\n").endsWith("Status: Downloaded newer image for " + image + "\n");
      Jocker.Result pull = remote("pull", image);
      assertThat(pull.out()).startsWith("1: Pulling from lib/box\nDigest: sha256:")
          .endsWith("\nStatus: Image is up to date for " + image + "\n" + image + "\n");

      String copy = registry.host() + "/lib/copy:1";
      assertThat(remote("tag", image, copy).code()).isZero();
      Jocker.Result push = remote("push", copy);
      assertThat(push.code()).as(push.err()).isZero();
      assertThat(push.out()).startsWith("The push refers to repository [" + registry.host() + "/lib/copy]\n")
          .contains(": Mounted from lib/box\n").contains("\n1: digest: sha256:");
    }
  }

  @Test
  void exitCodesAndStreamsComeBack() throws Exception {
    startEngine("600");
    assertThat(remote("run", "--rm", "busybox", "true").code()).isZero();
    Jocker.Result one = remote("run", "--rm", "busybox", "sh", "-c", "echo out; echo err >&2; exit 1");
    assertThat(one.code()).isEqualTo(1);
    assertThat(one.out()).isEqualTo("out\n");
    assertThat(one.err()).isEqualTo("err\n");
    Jocker.Result usage = remote("no-such-command");
    assertThat(usage.code()).isEqualTo(125);
    assertThat(usage.out()).isEmpty();
    assertThat(usage.err()).contains("Unmatched argument").doesNotContain("FELL BACK");
    Jocker.Result notFound = remote("run", "--rm", "busybox", "no-such-program");
    assertThat(notFound.code()).isEqualTo(127);
    assertThat(notFound.err()).contains("executable file not found");
    assertThat(remote("ps", "-a", "-q").out()).isEmpty();
  }

  @Test
  void stdinEnvAndRelativePathsAreTheClients() throws Exception {
    startEngine("600");
    Jocker.Result cat = client("hello from stdin\n", Map.of(), NO_FALLBACK, "run", "-i", "--rm", "busybox", "cat");
    assertThat(cat.code()).as(cat.err()).isZero();
    assertThat(cat.out()).isEqualTo("hello from stdin\n");

    Files.writeString(cwd.resolve("vars.env"), "FROM_FILE=file\nFROM_CLIENT\n");
    Jocker.Result env = client("", Map.of("FROM_CLIENT", "client"), NO_FALLBACK, "run", "--rm",
        "--env-file", "vars.env", "-e", "ALSO", "busybox", "sh", "-c", "echo $FROM_FILE $FROM_CLIENT ${ALSO-unset}");
    assertThat(env.out()).as(env.err()).isEqualTo("file client unset\n");
    Jocker.Result direct = client("", Map.of("ALSO", "also"), NO_FALLBACK, "run", "--rm", "-e", "ALSO", "busybox",
        "sh", "-c", "echo $ALSO");
    assertThat(direct.out()).isEqualTo("also\n");

    assertThat(remote("save", "-o", "busybox.tar", "busybox").code()).isZero();
    assertThat(cwd.resolve("busybox.tar")).isNotEmptyFile();
    Jocker.Result missing = remote("load", "-i", "no-such.tar");
    assertThat(missing.code()).isEqualTo(125);
    assertThat(missing.err()).isEqualTo("jocker: open no-such.tar: no such file or directory\n");
  }

  @Test
  void loginInTheEngineStoresInTheClientsDockerConfig() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(RegistryServer.installed(), "docker-registry is not installed");
    try (RegistryServer registry = RegistryServer.start(Htpasswd.registryConfig(tmp, "alice", "s3cret"), null)) {
      startEngine("600");
      String configFile = tmp.resolve("etc/daemon.json").toString();
      Jocker.Result login = client("s3cret\n", Map.of("DOCKER_CONFIG", "callers-docker"), NO_FALLBACK,
          "--config-file", configFile, "login", "-u", "alice", "--password-stdin", registry.host());
      assertThat(login.code()).as(login.err()).isZero();
      assertThat(login.out()).isEqualTo("Login Succeeded\n");
      assertThat(Files.readString(cwd.resolve("callers-docker/config.json"))).as("relative to the client's cwd")
          .contains("\"" + registry.host() + "\"");

      Path home = Files.createDirectories(tmp.resolve("home"));
      Map<String, String> byHome = Map.of("DOCKER_CONFIG", "", "HOME", home.toString());
      assertThat(client("s3cret", byHome, NO_FALLBACK, "--config-file", configFile, "login", "-u", "alice",
          "--password-stdin", registry.host()).code()).isZero();
      assertThat(home.resolve(".docker/config.json")).isNotEmptyFile();
      Jocker.Result logout = client("", byHome, NO_FALLBACK, "logout", registry.host());
      assertThat(logout.out()).isEqualTo("Removing login credentials for " + registry.host() + "\n");
    }
  }

  @Test
  void concurrentCommandsFromSeveralClients() throws Exception {
    startEngine("600");
    assertThat(remote("run", "--rm", "busybox", "true").code()).isZero(); // the image exists before the race
    List<CompletableFuture<Jocker.Result>> runs = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      String n = Integer.toString(i);
      runs.add(CompletableFuture.supplyAsync(() -> {
        try {
          return client("", Map.of("N", n), NO_FALLBACK, "run", "--rm", "-e", "N", "busybox", "sh", "-c",
              "echo out $N; echo err $N >&2; exit $N");
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }));
    }
    for (int i = 0; i < runs.size(); i++) {
      Jocker.Result r = runs.get(i).get(180, TimeUnit.SECONDS);
      assertThat(r.code()).as(r.err()).isEqualTo(i);
      assertThat(r.out()).isEqualTo("out " + i + "\n");
      assertThat(r.err()).isEqualTo("err " + i + "\n");
    }
    // One name, claimed by four commands at once: one wins, the others get Docker's conflict.
    List<CompletableFuture<Jocker.Result>> creates = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      creates.add(CompletableFuture.supplyAsync(() -> {
        try {
          return remote("create", "--name", "same", "busybox", "true");
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }));
    }
    List<Jocker.Result> results = new ArrayList<>();
    for (CompletableFuture<Jocker.Result> c : creates) {
      results.add(c.get(180, TimeUnit.SECONDS));
    }
    assertThat(results).filteredOn(r -> r.code() == 0).hasSize(1);
    assertThat(results).filteredOn(r -> r.code() == 125)
        .allSatisfy(r -> assertThat(r.err()).contains("Conflict. The container name \"/same\" is already in use"))
        .hasSize(3);
    assertThat(remote("ps", "-a", "--format", "{{.Names}}").out()).isEqualTo("same\n");
  }

  @Test
  void anUnhandledSignalEndsTheCommandAndWinchDoesNot() throws Exception {
    startEngine("600");
    // `logs -f` of a running container follows until interrupted, and nothing subscribes to signals.
    String id = remote("run", "-d", "busybox", "sleep", "1000").out().strip();
    Process follow = clientProcess(NO_FALLBACK, Map.of(), "logs", "-f", id).start();
    Thread.sleep(1000);
    new ProcessBuilder("kill", "-WINCH", Long.toString(follow.pid())).start().waitFor();
    assertThat(follow.waitFor(1, TimeUnit.SECONDS)).as("WINCH must not end it").isFalse();
    new ProcessBuilder("kill", "-TERM", Long.toString(follow.pid())).start().waitFor();
    assertThat(follow.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(follow.exitValue()).isEqualTo(128 + 15);
  }

  @Test
  void containersOutliveAKilledEngineAndTheNextCommandStartsANewOne() throws Exception {
    // The client starts the engine itself and runs this first command in a fresh JVM.
    Jocker.Result first = client("", Map.of(), java(), "run", "-d", "--name", "survivor", "busybox", "sleep", "1000");
    assertThat(first.code()).as(first.err()).isZero();
    awaitSocket();
    long oldEngine = enginePid().orElseThrow();
    assertThat(remote("ps", "--format", "{{.Names}} {{.Status}}").out()).startsWith("survivor Up");

    ProcessHandle old = ProcessHandle.of(oldEngine).orElseThrow();
    new ProcessBuilder("kill", "-KILL", Long.toString(oldEngine)).start().waitFor();
    old.onExit().get(30, TimeUnit.SECONDS);
    assertThat(new Jocker(root).run("inspect", "-f", "{{.State.Running}}", "survivor").out()).isEqualTo("true\n");

    // The socket is left behind, refusing: the client starts a new engine and falls back meanwhile.
    Jocker.Result next = client("", Map.of(), java(), "ps", "--format", "{{.Names}} {{.Status}}");
    assertThat(next.out()).startsWith("survivor Up");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (enginePid().filter(p -> p != oldEngine).isEmpty()) {
      assertThat(System.nanoTime()).as("no new engine").isLessThan(deadline);
      Thread.sleep(100);
    }
    awaitSocket();
    assertThat(remote("ps", "--format", "{{.Names}} {{.Status}}").out()).startsWith("survivor Up");
  }

  /**
   * The engine the client starts keeps none of the client's descriptors beyond stdio: a pipe the
   * caller handed down (bats gives every command its fd 3) reaches EOF once the command is done,
   * instead of when the engine exits minutes later.
   */
  @Test
  void anEngineTheClientStartsKeepsNoneOfItsDescriptors() throws Exception {
    List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", "exec 3>&1 1>/dev/null; exec \"$@\"", "sh"));
    command.addAll(clientProcess(java(), Map.of(), "ps", "-q").command());
    ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD);
    pb.environment().put("JOCKER_ENGINE_SOCKET", socket.toString());
    Process p = pb.start();
    CompletableFuture<String> fd3 = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
    awaitSocket(); // the engine it started is up, and would hold the pipe
    assertThat(fd3).succeedsWithin(Duration.ofSeconds(30));
    // a long-lived engine gets the full compilers (the one-off command JVM's C1-only flag dropped)
    List<String> engineArgs = List.of(Files.readString(Path.of("/proc/" + enginePid().orElseThrow() + "/cmdline"))
        .split("\0"));
    assertThat(engineArgs).contains("serve").doesNotContain("-XX:TieredStopAtLevel=1");
  }

  @Test
  void theEngineExitsWhenIdleAndOnEngineStop() throws Exception {
    startEngine("2");
    assertThat(remote("ps").code()).isZero();
    assertThat(engine.waitFor(30, TimeUnit.SECONDS)).as("idle exit").isTrue();
    assertThat(engine.exitValue()).isZero();
    assertThat(socket).doesNotExist();
    engine = null;

    startEngine("600");
    List<String> stop = new ArrayList<>(java());
    stop.addAll(List.of("engine", "stop", "--socket", socket.toString()));
    Process p = new ProcessBuilder(stop).redirectErrorStream(true).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
    assertThat(engine.waitFor(1, TimeUnit.SECONDS)).isTrue();
    assertThat(socket).doesNotExist();
    engine = null;
  }

  /** `run -it` served by the engine: raw mode, window size and signals come through the client. */
  @Test
  void aTerminalThroughTheEngine() throws Exception {
    startEngine("600");
    List<String> argv = new ArrayList<>(List.of(client().toString(), "-s", socket.toString(), "--"));
    argv.addAll(NO_FALLBACK);
    argv.addAll(List.of("--", "--root", root.toString(), "--bridge", "none", "run", "-it", "--rm", "busybox", "sh"));
    try (TestTerminal t = TestTerminal.start(24, 80, argv)) {
      t.expect("# ", Duration.ofSeconds(60));
      t.type("stty size\r");
      t.expect("24 80", Duration.ofSeconds(30));
      t.resize(40, 120);
      Thread.sleep(300);
      t.type("stty size\r");
      t.expect("40 120", Duration.ofSeconds(30));
      t.type("exit 3\r");
      assertThat(t.waitFor(Duration.ofSeconds(60))).isEqualTo(3);
    }
  }

  /**
   * runc's callers (podman's conmon) are the subreaper of what `create` starts and reap the
   * container: served by the engine, the launcher is still the caller's child (the client spawns
   * it), and no JVM starts (a fallback fails the test). Relative paths are the caller's.
   */
  @Test
  void runtimeCreateIsServedAndTheContainerDescendsFromTheCaller() throws Exception {
    startEngine("600");
    TestBundle.create(cwd.resolve("bundle"), List.of("sleep", "100"));
    String state = tmp.resolve("rt").toString();
    // As conmon: a subreaper runs `create`, then says who the container's monitor's parent is.
    ProcessBuilder create = clientProcess(NO_FALLBACK, Map.of(), "runtime", "--root", state, "create",
        "-b", "bundle", "--pid-file", "c.pid", "c");
    create.command().addAll(0, List.of("python3", "-c", SUBREAPER));
    // A file, not a pipe: the container keeps the caller's stdio (as with runc), so a pipe stays open.
    Path output = tmp.resolve("create.out");
    Process p = create.redirectErrorStream(true).redirectOutput(output.toFile()).start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String out = Files.readString(output);
    try {
      assertThat(p.exitValue()).as(out).isZero();
      String[] words = out.strip().split(" ");
      assertThat(words).as(out).hasSize(2);
      assertThat(words[1]).as("the monitor's parent is the caller's subreaper").isEqualTo(words[0]);
      assertThat(Long.parseLong(words[0])).isNotEqualTo(enginePid().orElseThrow());
    } finally {
      Jocker.Result delete = remote("runtime", "--root", state, "delete", "-f", "c");
      assertThat(delete.code()).as(delete.err()).isZero();
    }
    Jocker.Result list = remote("runtime", "--root", state, "list", "-q");
    assertThat(list.out()).isEmpty();
  }

  /** Runs ARGV as a subreaper; prints its pid and the parent of the monitor of the pid in c.pid. */
  private static final String SUBREAPER = """
      import ctypes, os, subprocess, sys
      ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
      code = subprocess.call(sys.argv[1:])
      if code != 0:
          sys.exit(code)
      def ppid(pid):
          with open("/proc/%d/stat" % pid) as f:
              return int(f.read().rsplit(")", 1)[1].split()[1])
      init = int(open("c.pid").read())
      print(os.getpid(), ppid(ppid(init)))
      """;

  /**
   * `runtime run` through the engine: the caller's descriptors to preserve reach the container,
   * its exit code comes back, and a signal the caller gets goes to the container, as with runc.
   */
  @Test
  void runtimeRunIsServedWithTheCallersDescriptorsAndSignals() throws Exception {
    startEngine("600");
    Files.writeString(cwd.resolve("shared.txt"), "from the caller\n");
    TestBundle.create(cwd.resolve("bundle"), List.of("sh", "-c", "cat <&3; exit 7"));
    String state = tmp.resolve("rt").toString();
    ProcessBuilder run = clientProcess(NO_FALLBACK, Map.of(), "runtime", "--root", state, "run", "-b", "bundle",
        "--preserve-fds", "1", "r1");
    run.command().addAll(0, List.of("/bin/sh", "-c", "exec 3<shared.txt; exec \"$@\"", "sh"));
    Process p = run.start();
    p.getOutputStream().close();
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
    String out = readAll(p.getInputStream());
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(err.get()).isEqualTo(7);
    assertThat(out).isEqualTo("from the caller\n");

    TestBundle.create(cwd.resolve("bundle2"), List.of("sh", "-c", "trap 'exit 42' TERM; echo ready; while :; do sleep 0.1; done"));
    Process signalled = clientProcess(NO_FALLBACK, Map.of(), "runtime", "--root", state, "run", "-b", "bundle2", "r2")
        .redirectErrorStream(true).start();
    signalled.getOutputStream().close();
    try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(signalled.getInputStream()))) {
      assertThat(lines.readLine()).isEqualTo("ready");
      signalled.destroy(); // SIGTERM to the client
      assertThat(signalled.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(signalled.exitValue()).isEqualTo(42);
    assertThat(remote("runtime", "--root", state, "list", "-q").out()).isEmpty();
  }

  /**
   * Where the host has a cgroup v2 hierarchy, the init is born in its cgroup there (clone3
   * CLONE_INTO_CGROUP, Linux 5.7) instead of being moved after the clone; strace shows the call.
   */
  @Test
  void theInitIsBornInItsCgroupV2() throws Exception {
    assumeTrue(Files.readString(Path.of("/proc/self/mountinfo")).contains(" - cgroup2 "), "no cgroup2 mount");
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/strace")), "strace is not installed");
    startEngine("600");
    TestBundle.create(cwd.resolve("bundle"), List.of("true"));
    Path trace = tmp.resolve("clone.trace");
    ProcessBuilder run = clientProcess(NO_FALLBACK, Map.of(), "runtime", "--root", tmp.resolve("rt").toString(), "run",
        "-b", "bundle", "born");
    run.command().addAll(0, List.of("strace", "-f", "-qq", "-e", "trace=clone3", "-o", trace.toString()));
    Process p = run.redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = readAll(p.getInputStream());
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(Files.readAllLines(trace)).anyMatch(l -> l.contains("CLONE_INTO_CGROUP") && l.matches(".*\\) = [1-9][0-9]*$"));
  }

  /** `exec -p <(...)`: a caller's /dev/fd/N names the caller's descriptor, not the engine's. */
  @Test
  void runtimeExecReadsTheProcessFromTheCallersDescriptor() throws Exception {
    startEngine("600");
    TestBundle.create(cwd.resolve("bundle"), List.of("sleep", "600"));
    String state = tmp.resolve("rt").toString();
    // Files, not pipes: a detached container keeps the caller's stdio (as with runc).
    Process run = clientProcess(NO_FALLBACK, Map.of(), "runtime", "--root", state, "run", "-d", "-b", "bundle", "x1")
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .redirectErrorStream(true).redirectOutput(tmp.resolve("run.out").toFile()).start();
    assertThat(run.waitFor(120, TimeUnit.SECONDS)).isTrue();
    try {
      assertThat(run.exitValue()).as(Files.readString(tmp.resolve("run.out"))).isZero();
      Files.writeString(cwd.resolve("process.json"),
          "{\"args\":[\"sh\",\"-c\",\"echo from the process file\"],\"cwd\":\"/\",\"env\":[\"PATH=/bin\"]}");
      ProcessBuilder exec = clientProcess(NO_FALLBACK, Map.of(), "runtime", "--root", state, "exec", "-p", "/dev/fd/3",
          "x1");
      exec.command().addAll(0, List.of("/bin/sh", "-c", "exec \"$@\" 3<process.json", "sh"));
      Process p = exec.start();
      p.getOutputStream().close();
      CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
      String out = readAll(p.getInputStream());
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(err.get()).isZero();
      assertThat(out).isEqualTo("from the process file\n");
    } finally {
      assertThat(remote("runtime", "--root", state, "delete", "-f", "x1").code()).isZero();
    }
  }

  /**
   * The container's rlimits start from the caller's, not the engine's: a hard limit above the
   * caller's (and below the engine's) is refused before anything starts, as a fresh JVM would.
   */
  @Test
  void theCallersRlimitsAreTheCeilingThroughTheEngine() throws Exception {
    startEngine("600");
    Path bundle = TestBundle.create(cwd.resolve("bundle"), List.of("sh", "-c", "ulimit -n"));
    String state = tmp.resolve("rt").toString();
    for (int limit : new int[] {150, 300}) {
      ObjectMapper json = new ObjectMapper();
      ObjectNode config = (ObjectNode) json.readTree(bundle.resolve("config.json").toFile());
      ArrayNode rlimits = ((ObjectNode) config.get("process")).putArray("rlimits");
      rlimits.addObject().put("type", "RLIMIT_NOFILE").put("soft", limit).put("hard", limit);
      json.writeValue(bundle.resolve("config.json").toFile(), config);
      ProcessBuilder run = clientProcess(NO_FALLBACK, Map.of(), "runtime", "--root", state, "run", "-b", "bundle",
          "r" + limit);
      run.command().addAll(0, List.of("prlimit", "--nofile=100:200", "--"));
      Process p = run.start();
      p.getOutputStream().close();
      CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
      String out = readAll(p.getInputStream());
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
      if (limit == 150) {
        assertThat(p.exitValue()).as(err.get()).isZero();
        assertThat(out).isEqualTo("150\n");
      } else {
        assertThat(p.exitValue()).isNotZero();
        assertThat(err.get()).contains("hard limit 300 is above this host's limit 200");
      }
    }
    assertThat(remote("runtime", "--root", state, "list", "-q").out()).isEmpty();
  }

  /**
   * A fake engine: binds SOCKET as root (in a root-only directory), then becomes UID and listens
   * (SO_PEERCRED reports the listener's credentials at listen()), accepts one client and reports
   * what its first message held.
   */
  private static final String FAKE_ENGINE = """
      import os, socket, sys
      path, uid = sys.argv[1], int(sys.argv[2])
      s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
      s.bind(path)
      os.chmod(path, 0o600)
      if uid != 0:
          os.setgroups([]); os.setgid(uid); os.setuid(uid)
      s.listen(1)
      print("listening", flush=True)
      s.settimeout(60)
      c, _ = s.accept()
      data, ancillary, _, _ = c.recvmsg(65536, socket.CMSG_SPACE(16 * 4))
      fds = sum(len(d) // 4 for level, kind, d in ancillary if kind == socket.SCM_RIGHTS)
      print(f"uid={os.getuid()} bytes={len(data)} fds={fds}", flush=True)
      """;

  /**
   * The client hands its terminal, stdio, argv and env only to root's engine: a listener of another
   * uid gets nothing at all, and the client says why. Root's fake gets the request (the control).
   */
  @ParameterizedTest
  @ValueSource(ints = {65534, 0})
  void theClientSendsNothingToAnEngineThatIsNotRoot(int uid) throws Exception {
    Path fake = Files.writeString(tmp.resolve("fake-engine.py"), FAKE_ENGINE);
    Path fakeSocket = Files.createDirectories(tmp.resolve("fake")).resolve("engine.sock");
    Process listener = new ProcessBuilder("python3", fake.toString(), fakeSocket.toString(), Integer.toString(uid))
        .redirectErrorStream(true).start();
    try {
      var lines = new java.io.BufferedReader(new java.io.InputStreamReader(listener.getInputStream(), StandardCharsets.UTF_8));
      assertThat(lines.readLine()).isEqualTo("listening");
      List<String> argv = new ArrayList<>(List.of(client().toString(), "-s", fakeSocket.toString(), "--"));
      argv.addAll(NO_FALLBACK);
      argv.addAll(List.of("--", "ps"));
      Process c = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.PIPE).start();
      assertThat(c.waitFor(60, TimeUnit.SECONDS)).isTrue();
      String err = readAll(c.getErrorStream());
      String report = lines.readLine();
      assertThat(c.exitValue()).isEqualTo(125);
      if (uid == 0) {
        assertThat(report).startsWith("uid=0 bytes=").endsWith(" fds=3").doesNotContain("bytes=0 ");
        assertThat(err).isEqualTo("jocker: lost the connection to the engine\n");
      } else {
        assertThat(report).isEqualTo("uid=" + uid + " bytes=0 fds=0");
        assertThat(err).isEqualTo("jocker: refusing the engine at " + fakeSocket + ": it runs as uid " + uid + ", not root\n");
      }
    } finally {
      listener.destroyForcibly().waitFor();
    }
  }

  /**
   * Connects to each socket given, as UID (0: as root), and prints the errno it got or "connected".
   * Through an O_PATH descriptor of its directory: a monitor's path is longer than sun_path.
   */
  private static final String CONNECT_AS = """
      import errno, os, socket, sys
      uid = int(sys.argv[1])
      if uid != 0:
          os.setgroups([]); os.setgid(uid); os.setuid(uid)
      for path in sys.argv[2:]:
          s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
          try:
              directory = os.open(os.path.dirname(path), os.O_PATH)
              s.connect("/proc/self/fd/%d/%s" % (directory, os.path.basename(path)))
              print("connected")
          except OSError as e:
              print(errno.errorcode[e.errno])
          finally:
              s.close()
      """;

  /**
   * The engine's socket and a monitor's are path sockets in root-only directories: another user on
   * the host gets EACCES, and a container that shares the host's network namespace (where abstract
   * sockets would be reachable) sees them listed in /proc/net/unix but cannot reach their paths.
   */
  @Test
  void theSocketsAreOutOfReachOfOtherUsersAndOfContainers() throws Exception {
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x")); // nobody may walk to root/
    startEngine("600");
    Jocker.Result run = remote("run", "-d", "busybox", "sleep", "1000");
    assertThat(run.code()).as(run.err()).isZero();
    Path monitorSocket = root.resolve("run").resolve(run.out().strip()).resolve("monitor.sock");
    for (Path privateDir : List.of(socket.getParent(), root.resolve("run"), monitorSocket.getParent())) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(privateDir))).as(privateDir.toString())
          .isEqualTo("rwx------");
    }
    for (Path s : List.of(socket, monitorSocket)) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(s))).as(s.toString()).matches("rw.------");
    }

    Path connect = Files.writeString(tmp.resolve("connect-as.py"), CONNECT_AS);
    assertThat(host("python3", connect.toString(), "0", socket.toString(), monitorSocket.toString()))
        .as("root reaches both (the control)").isEqualTo("connected\nconnected\n");
    assertThat(host("python3", connect.toString(), "65534", socket.toString(), monitorSocket.toString()))
        .isEqualTo("EACCES\nEACCES\n");

    Path out = Files.createDirectories(tmp.resolve("attacker-out"));
    Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxrwxrwx"));
    String script = "exec >/out/result 2>&1;"
        + " echo listed $(grep -c -F \"$1\" /proc/net/unix);"
        + " echo abstract $(grep -c -E ' @.*(jocker|monitor|engine)' /proc/net/unix);"
        + " for p in \"$1\" \"$2\" \"${1%/*}\" \"${2%/*}\"; do if [ -e \"$p\" ]; then echo seen $p; else echo absent; fi; done";
    Path bundle = TestBundle.create(tmp.resolve("attacker"),
        List.of("sh", "-c", script, "sh", socket.toString(), monitorSocket.toString()));
    ObjectMapper json = new ObjectMapper();
    ObjectNode config = (ObjectNode) json.readTree(bundle.resolve("config.json").toFile());
    ArrayNode namespaces = (ArrayNode) config.at("/linux/namespaces");
    for (int i = namespaces.size() - 1; i >= 0; i--) {
      if (namespaces.get(i).path("type").asText().equals("network")) {
        namespaces.remove(i);
      }
    }
    ObjectNode bind = ((ArrayNode) config.get("mounts")).addObject();
    bind.put("destination", "/out").put("type", "bind").put("source", out.toString());
    bind.putArray("options").add("rbind").add("rw");
    json.writeValue(bundle.resolve("config.json").toFile(), config);

    ContainerRuntime runtime = new ContainerRuntime(tmp.resolve("attacker-state"), new LinuxKernel(), Launcher.locate());
    try {
      runtime.create("attacker", bundle, CreateOptions.DEFAULT);
      runtime.start("attacker");
      assertThat(runtime.awaitExit("attacker").code()).isZero();
    } finally {
      runtime.delete("attacker", true);
    }
    assertThat(Files.readString(out.resolve("result")).lines().toList())
        .as("the host's network namespace: the engine's socket is listed").first().isEqualTo("listed 1");
    assertThat(Files.readString(out.resolve("result")).lines().skip(1).toList())
        .containsExactly("abstract 0", "absent", "absent", "absent", "absent");
  }

  private static String host(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = readAll(p.getInputStream());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return out;
  }
}
