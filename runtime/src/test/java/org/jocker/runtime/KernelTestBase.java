package org.jocker.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jocker.runtime.cgroup.CgroupLayout;
import org.jocker.runtime.cgroup.Hierarchy;
import org.jocker.runtime.kernel.LinuxKernel;
import org.jocker.runtime.launch.Launcher;
import org.jocker.runtime.state.ExitStatus;
import org.jocker.runtime.testing.TestBundle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real-kernel container tests: a runtime with its own state root, busybox bundles whose config is
 * edited as a JSON tree, a host directory bind-mounted at /out for the container to write results,
 * and a clean-up that force-deletes every container and checks nothing is left in the cgroupfs.
 */
abstract class KernelTestBase {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @TempDir Path tmp;
  ContainerRuntime rt;
  private int seq;
  private final List<String> ids = new ArrayList<>();

  /** What a container run left behind: its exit and what it wrote to stdout and stderr. */
  record Result(ExitStatus exit, String out, String err) {}

  /** A bundle plus the host directory it sees at /out. */
  record Bundle(Path dir, Path out) {
    String read(String name) throws IOException {
      return Files.readString(out.resolve(name));
    }
  }

  @BeforeEach
  void setUpRuntime() throws IOException {
    // uid-mapped and non-root containers must reach the bundle and the /out directories
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
    rt = new ContainerRuntime(tmp.resolve("state"), new LinuxKernel(), Launcher.locate());
  }

  @AfterEach
  void deleteEverything() {
    for (var s : rt.list()) {
      rt.delete(s.id(), true);
    }
    assertThat(rt.list()).isEmpty();
    assertThat(leftoverCgroups()).as("cgroups left behind").isEmpty();
    assertThat(awaitNoLauncherProcesses()).as("launcher processes left behind").isEmpty();
  }

  /**
   * Launcher processes (monitors, inits not yet exec'd) started by this test: they run the sealed
   * launcher and either keep our working directory (monitors, inits before pivot_root) or sit in
   * one of our containers' cgroups. Other users' launchers on the host have neither.
   */
  List<Long> ourLauncherProcesses() {
    Path cwd = Path.of("").toAbsolutePath();
    List<Long> found = new ArrayList<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        try {
          if (Files.readSymbolicLink(p.resolve("exe")).toString().contains("jocker-launcher")
              && (Files.readSymbolicLink(p.resolve("cwd")).equals(cwd) || inOurCgroup(p))) {
            found.add(Long.parseLong(p.getFileName().toString()));
          }
        } catch (IOException e) {
          // exited meanwhile, or a kernel thread
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return found;
  }

  private boolean inOurCgroup(Path proc) throws IOException {
    String cgroups = Files.readString(proc.resolve("cgroup"));
    return ids.stream().anyMatch(id -> cgroups.contains("/jocker/" + id + "\n"));
  }

  List<Long> awaitNoLauncherProcesses() {
    List<Long> left = ourLauncherProcesses();
    for (int i = 0; i < 200 && !left.isEmpty(); i++) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      left = ourLauncherProcesses();
    }
    return left;
  }

  /** Cgroup directories of this test's containers that still exist, in any hierarchy (v1 or cgroup2). */
  List<Path> leftoverCgroups() {
    List<Path> left = new ArrayList<>();
    for (Hierarchy h : CgroupLayout.detect().hierarchies()) {
      for (String id : ids) {
        Path d = h.mountPoint().resolve("jocker").resolve(id);
        if (Files.exists(d)) {
          left.add(d);
        }
      }
    }
    return left;
  }

  /** A fresh container id, unique across runs (cgroup paths are host-wide). */
  String newId(String name) {
    String id = name + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
    ids.add(id);
    return id;
  }

  /** A busybox bundle running {@code sh -c script} with stdout/stderr in /out, config edited by {@code edit}. */
  Bundle shBundle(String script, Consumer<ObjectNode> edit) throws IOException {
    return bundle(List.of("sh", "-c", "exec >/out/stdout 2>/out/stderr; " + script), edit);
  }

  Bundle bundle(List<String> args, Consumer<ObjectNode> edit) throws IOException {
    int n = seq++;
    Path out = Files.createDirectories(tmp.resolve("out" + n));
    Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxrwxrwx"));
    Path dir = TestBundle.create(tmp.resolve("b" + n), args, s -> Specs.withBind(s, out, "/out"));
    editConfig(dir, edit);
    return new Bundle(dir, out);
  }

  static void editConfig(Path bundle, Consumer<ObjectNode> edit) throws IOException {
    Path config = bundle.resolve("config.json");
    ObjectNode tree = (ObjectNode) JSON.readTree(config.toFile());
    edit.accept(tree);
    JSON.writeValue(config.toFile(), tree);
  }

  /** create + start + awaitExit; the container stays (stopped) until clean-up. */
  Result run(Bundle b) throws IOException {
    String id = newId("c");
    rt.create(id, b.dir(), CreateOptions.DEFAULT);
    rt.start(id);
    ExitStatus exit = rt.awaitExit(id);
    return new Result(exit, readIfExists(b.out().resolve("stdout")), readIfExists(b.out().resolve("stderr")));
  }

  Result sh(String script, Consumer<ObjectNode> edit) throws IOException {
    return run(shBundle(script, edit));
  }

  Result sh(String script) throws IOException {
    return sh(script, j -> {});
  }

  static String readIfExists(Path p) throws IOException {
    return Files.exists(p) ? Files.readString(p) : "";
  }

  // ---- config tree edits ----

  static ArrayNode namespaces(ObjectNode j) {
    return j.withArray("/linux/namespaces");
  }

  static void removeNamespace(ObjectNode j, String type) {
    ArrayNode ns = namespaces(j);
    for (int i = ns.size() - 1; i >= 0; i--) {
      if (ns.get(i).path("type").asText().equals(type)) {
        ns.remove(i);
      }
    }
  }

  static void addNamespace(ObjectNode j, String type, String path) {
    removeNamespace(j, type);
    ObjectNode ns = namespaces(j).addObject().put("type", type);
    if (path != null) {
      ns.put("path", path);
    }
  }

  static ObjectNode process(ObjectNode j) {
    return j.withObject("/process");
  }

  static ObjectNode linux(ObjectNode j) {
    return j.withObject("/linux");
  }

  static ObjectNode resources(ObjectNode j) {
    return j.withObject("/linux/resources");
  }

  static ObjectNode addMount(ObjectNode j, String dest, String type, String source, String... options) {
    ObjectNode m = j.withArray("/mounts").addObject().put("destination", dest).put("type", type);
    if (source != null) {
      m.put("source", source);
    }
    ArrayNode o = m.putArray("options");
    for (String opt : options) {
      o.add(opt);
    }
    return m;
  }

  static void setCaps(ObjectNode j, List<String> caps, boolean ambient) {
    ObjectNode c = process(j).putObject("capabilities");
    for (String set : List.of("bounding", "effective", "permitted", "inheritable")) {
      caps.forEach(c.putArray(set)::add);
    }
    if (ambient) {
      caps.forEach(c.putArray("ambient")::add);
    }
  }

  static void setUser(ObjectNode j, long uid, long gid, long... extraGids) {
    ObjectNode u = process(j).putObject("user").put("uid", uid).put("gid", gid);
    ArrayNode a = u.putArray("additionalGids");
    for (long g : extraGids) {
      a.add(g);
    }
  }

  /** Runs a host command, returns its stdout; fails the test on a non-zero exit. */
  static String host(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    int rc = p.waitFor();
    if (rc != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + " failed (" + rc + "): " + out);
    }
    return out;
  }

  /** The monitor pid of a container, from its saved record. */
  int monitorPid(String id) throws IOException {
    return JSON.readTree(tmp.resolve("state").resolve(id).resolve("state.json").toFile())
        .path("monitorPid").asInt();
  }
}
