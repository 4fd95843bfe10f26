package org.jocker.cli.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jocker.cli.testing.Jocker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `jocker runtime` as a user (or an engine) calls it: output, errors, exit codes. */
class RuntimeCliTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;

  private RuntimeCli cli;

  @BeforeEach
  void setUp() {
    cli = new RuntimeCli(tmp);
  }

  private Jocker.Result jocker(String... args) {
    return cli.jocker(args);
  }

  private Jocker.Result runtime(String... args) {
    return cli.runtime(args);
  }

  @AfterEach
  void deleteAll() {
    cli.deleteAll();
  }

  private Path bundle(List<String> args) throws Exception {
    return cli.bundle("bundle", args, false);
  }

  @Test
  void specWritesDockerDefaultsAndRefusesToOverwrite() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("b"));
    assertThat(runtime("spec", "-b", dir.toString()).code()).isZero();
    JsonNode spec = JSON.readTree(dir.resolve("config.json").toFile());
    assertThat(spec.at("/process/capabilities/bounding").toString()).contains("CAP_CHOWN").doesNotContain("CAP_SYS_ADMIN");
    assertThat(spec.at("/linux/maskedPaths").toString()).contains("/proc/kcore");
    assertThat(spec.at("/linux/seccomp/defaultAction").asText()).isEqualTo("SCMP_ACT_ERRNO");
    Jocker.Result again = runtime("spec", "-b", dir.toString());
    assertThat(again.code()).isEqualTo(1);
    assertThat(again.err()).contains("exists");
  }

  /**
   * runc 1.1's `runc spec` has no cgroup namespace: guides add one, which must then be listed once.
   * A type listed twice is refused in runc's words.
   */
  @Test
  void specHasRuncsNamespacesAndATypeListedTwiceIsRefused() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("b"));
    Files.createDirectories(dir.resolve("rootfs"));
    assertThat(runtime("spec", "-b", dir.toString()).code()).isZero();
    Path config = dir.resolve("config.json");
    ObjectNode spec = (ObjectNode) JSON.readTree(config.toFile());
    assertThat(spec.at("/linux/namespaces").toString())
        .isEqualTo("[{\"type\":\"pid\"},{\"type\":\"network\"},{\"type\":\"ipc\"},{\"type\":\"uts\"},{\"type\":\"mount\"}]");
    ArrayNode namespaces = spec.withArray("/linux/namespaces");
    namespaces.addObject().put("type", "cgroup");
    namespaces.addObject().put("type", "cgroup");
    spec.withObject("/process").put("terminal", false);
    Files.write(config, JSON.writeValueAsBytes(spec));
    Jocker.Result twice = runtime("create", "-b", dir.toString(), "twice");
    assertThat(twice.code()).isEqualTo(1);
    assertThat(twice.err()).contains("malformed spec file: duplicated ns \"cgroup\"");
  }

  @Test
  void lifecycleThroughTheCommandLine() throws Exception {
    Path bundle = bundle(List.of("sleep", "60"));
    Path pidFile = tmp.resolve("pid");
    assertThat(runtime("create", "-b", bundle.toString(), "--pid-file", pidFile.toString(), "c1").code()).isZero();
    JsonNode created = JSON.readTree(runtime("state", "c1").out());
    assertThat(created.get("status").asText()).isEqualTo("created");
    assertThat(created.get("pid").asInt()).isEqualTo(Integer.parseInt(Files.readString(pidFile).trim()));
    assertThat(created.get("ociVersion").asText()).isNotEmpty();
    assertThat(created.get("bundle").asText()).isEqualTo(bundle.toString());

    assertThat(runtime("start", "c1").code()).isZero();
    assertThat(JSON.readTree(runtime("state", "c1").out()).get("status").asText()).isEqualTo("running");
    assertThat(runtime("list").out()).contains("c1").contains("running");
    assertThat(JSON.readTree(runtime("ps", "--format", "json", "c1").out()).get(0).asInt())
        .isEqualTo(created.get("pid").asInt());

    Jocker.Result refused = runtime("delete", "c1");
    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.err()).contains("not stopped");

    assertThat(runtime("kill", "c1", "KILL").code()).isZero();
    awaitStatus("c1", "stopped");
    assertThat(runtime("delete", "c1").code()).isZero();
    assertThat(runtime("list", "-q").out()).isBlank();
  }

  /** The runtime spec: delete of a container that is not stopped is an error; created is not stopped. */
  @Test
  void deleteOfACreatedContainerNeedsForceAndForceOfAMissingOneIsQuiet() throws Exception {
    Path bundle = bundle(List.of("sleep", "60"));
    assertThat(runtime("create", "-b", bundle.toString(), "d1").code()).isZero();
    Jocker.Result refused = runtime("delete", "d1");
    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.err().strip()).isEqualTo("jocker-runtime: cannot delete container d1 that is not stopped: created");
    assertThat(JSON.readTree(runtime("state", "d1").out()).get("status").asText()).isEqualTo("created");
    assertThat(runtime("delete", "--force", "d1").code()).isZero();
    assertThat(runtime("list", "-q").out()).isBlank();

    // as runc 1.1: forcing away what is already gone succeeds without a word; unforced it is an error
    Jocker.Result gone = runtime("delete", "--force", "nosuch");
    assertThat(gone).isEqualTo(new Jocker.Result(0, "", ""));
    Jocker.Result missing = runtime("delete", "nosuch");
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.err()).contains("\"nosuch\" does not exist");
  }

  @Test
  void execJoinsTheRunningContainer() throws Exception {
    Path bundle = bundle(List.of("sh", "-c", "echo $$ > /tmp/init-pid; sleep 60"));
    assertThat(runtime("run", "-d", "-b", bundle.toString(), "x1").code()).isZero();
    awaitStatus("x1", "running");
    // Same mount, pid and uts namespaces: it sees the init's file, pid 1 (sh exec'd sleep) and the hostname.
    String script = "while [ ! -s /tmp/init-pid ]; do sleep 0.05; done; "
        + "echo \"$(cat /tmp/init-pid) $(cat /proc/1/comm) $(hostname) $(id -u):$(id -g)\" > /tmp/exec; exit 9";
    Jocker.Result exec = runtime("exec", "-u", "0:0", "x1", "sh", "-c", script);
    assertThat(exec.code()).isEqualTo(9);
    assertThat(Files.readString(bundle.resolve("rootfs/tmp/exec")).strip()).isEqualTo("1 sleep jocker 0:0");
    Jocker.Result asNobody =
        runtime("exec", "-u", "65534:65534", "x1", "sh", "-c", "id -u > /proc/self/fd/1; exit $(id -u)");
    assertThat(asNobody.code()).isEqualTo(65534 % 256);

    // runc's exec fails with 255, apart from the codes of a process that ran
    Jocker.Result unknown = runtime("exec", "nope", "true");
    assertThat(unknown.code()).isEqualTo(255);
    assertThat(unknown.err()).contains("\"nope\" does not exist");
    Jocker.Result notFound = runtime("exec", "x1", "no-such-program");
    assertThat(notFound.code()).isEqualTo(255);
    assertThat(runtime("exec", "--pid-file", "/non-existent/directory", "x1", "true").code()).isEqualTo(255);
    assertThat(runtime("exec", "--no-such-flag", "x1", "true").code()).isEqualTo(1);
    assertThat(notFound.err()).contains("executable file not found in $PATH");
    runtime("kill", "x1", "KILL");
    awaitStatus("x1", "stopped");
    assertThat(runtime("exec", "x1", "true").err()).contains("is not running");
  }

  /**
   * CVE-2024-21626 through `runtime exec --cwd` and `runtime run` with process.cwd: a descriptor the
   * init might have inherited leads nowhere; the command would climb to the host's root and write
   * into a host directory no container sees.
   */
  @Test
  void cwdThroughADescriptorIsRefused() throws Exception {
    Path hostDir = Files.createDirectories(tmp.resolve("host-only"));
    Files.setPosixFilePermissions(hostDir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
    String climb = "cd ../../../../../../../../../../../..; echo x > ." + hostDir + "/escaped";
    Path bundle = bundle(List.of("sleep", "60"));
    assertThat(runtime("run", "-d", "-b", bundle.toString(), "w1").code()).isZero();
    awaitStatus("w1", "running");
    for (int fd = 3; fd <= 64; fd++) {
      String cwd = "/proc/self/fd/" + fd;
      Jocker.Result exec = runtime("exec", "--cwd", cwd, "w1", "sh", "-c", climb);
      assertThat(hostDir.resolve("escaped")).as(cwd).doesNotExist();
      assertThat(exec.code()).as(cwd).isEqualTo(255); // runc's exec failures
      assertThat(exec.err()).as(cwd).startsWith("jocker-runtime: chdir " + cwd + ": ").hasLineCount(1);
    }
    runtime("kill", "w1", "KILL");
    awaitStatus("w1", "stopped");

    var config = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(bundle.resolve("config.json").toFile());
    ((com.fasterxml.jackson.databind.node.ObjectNode) config.get("process")).put("cwd", "/proc/self/fd/5")
        .set("args", JSON.valueToTree(List.of("sh", "-c", climb)));
    JSON.writeValue(bundle.resolve("config.json").toFile(), config);
    Jocker.Result run = runtime("run", "-b", bundle.toString(), "w2");
    assertThat(hostDir.resolve("escaped")).doesNotExist();
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("jocker-runtime: chdir /proc/self/fd/5: No such file or directory\n");
  }

  @Test
  void runWaitsAndExitsWithTheContainersCode() throws Exception {
    Path bundle = bundle(List.of("sh", "-c", "exit 42"));
    assertThat(runtime("run", "-b", bundle.toString(), "r1").code()).isEqualTo(42);
    assertThat(runtime("list", "-q").out()).isBlank();
  }

  @Test
  void errorsAreOneLineWithExitCodeOneAndGoToTheJsonLog() throws Exception {
    Path log = tmp.resolve("log.json");
    Jocker.Result r = Jocker.main("runtime", "--root", tmp.resolve("state").toString(), "--log", log.toString(),
        "--log-format", "json", "state", "nope");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err().strip()).isEqualTo("jocker-runtime: container \"nope\" does not exist");
    JsonNode entry = JSON.readTree(Files.readAllLines(log).get(0));
    assertThat(entry.get("level").asText()).isEqualTo("error");
    assertThat(entry.get("msg").asText()).contains("does not exist");

    Jocker.Result badSignal = runtime("kill", "nope", "SIGFOO");
    assertThat(badSignal.code()).isEqualTo(1);
    assertThat(badSignal.err()).contains("unknown signal \"SIGFOO\"");

    Jocker.Result noBundle = runtime("create", "-b", tmp.resolve("missing").toString(), "x");
    assertThat(noBundle.code()).isEqualTo(1);
    assertThat(noBundle.err()).contains("config.json not found").doesNotContain("Exception");
    assertThat(noBundle.err().lines().count()).isEqualTo(1);
  }

  @Test
  void featuresDescribeTheRuntime() throws Exception {
    JsonNode f = JSON.readTree(runtime("features").out());
    assertThat(f.get("ociVersionMax").asText()).isEqualTo("1.3.0");
    assertThat(f.at("/linux/namespaces").toString()).contains("user", "cgroup", "network");
    assertThat(f.at("/linux/seccomp/enabled").asBoolean()).isTrue();
    List<String> mountOptions = new ArrayList<>();
    f.get("mountOptions").forEach(o -> mountOptions.add(o.asText()));
    assertThat(mountOptions).endsWith("rbind", "private", "rprivate", "rshared", "rslave", "runbindable",
        "shared", "slave", "unbindable"); // the propagation options, sorted
  }

  private void awaitStatus(String id, String status) throws Exception {
    cli.awaitStatus(id, status);
  }
}
