package org.jocker.cli.container;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.jocker.cli.testing.CliTestBase;
import org.jocker.cli.testing.Jocker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** --log-driver/--log-opt, --device, --shm-size, --volumes-from and --init, as a user types them. */
class ContainerOptionsCliTest extends CliTestBase {
  private static final ObjectMapper JSON = new ObjectMapper();

  @AfterEach
  void cleanUp() {
    jocker.removeAllContainers("-v");
  }

  private void refused(String expected, String... args) {
    Jocker.Result r = jocker.run(args);
    assertThat(r.code()).as(String.join(" ", args)).isEqualTo(125);
    assertThat(r.err()).as(String.join(" ", args)).isEqualTo("jocker: " + expected + "\n");
  }

  /** The permission bits of a host file, in octal as stat -c %a prints them. */
  private static String hostMode(String path) {
    try {
      return Integer.toOctalString((Integer) Files.getAttribute(Path.of(path), "unix:mode") & 07777);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private List<String> logFiles(String name) throws Exception {
    String id = jocker.ok("inspect", "-f", "{{.Id}}", name).out().strip();
    try (Stream<Path> files = Files.list(jocker.root().resolve("containers").resolve(id))) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("container.log")).sorted().toList();
    }
  }

  private long logBytes(String name, String file) throws Exception {
    String id = jocker.ok("inspect", "-f", "{{.Id}}", name).out().strip();
    return Files.size(jocker.root().resolve("containers").resolve(id).resolve(file));
  }

  @Test
  void logOptsLimitEachContainerAtEveryStartAndShowInInspect() throws Exception {
    String script = "i=0; while [ $i -lt 300 ]; do echo line-$i; i=$((i+1)); done";
    jocker.ok("run", "-d", "--name", "small", "--log-opt", "max-size=2k", "--log-opt", "max-file=2", "busybox",
        "sh", "-c", script);
    assertThat(jocker.ok("wait", "small").out()).isEqualTo("0\n");
    assertThat(logFiles("small")).containsExactly("container.log", "container.log.1");
    assertThat(logBytes("small", "container.log")).isLessThanOrEqualTo(2000); // k is 1000, as Docker's json-file
    assertThat(jocker.ok("logs", "small").out()).endsWith("line-299\n");
    // The limit is the container's: applied again when it is started again.
    jocker.ok("start", "small"); // (not -a: a follower may fall behind so small a rotation)
    assertThat(jocker.ok("wait", "small").out()).isEqualTo("0\n");
    assertThat(jocker.ok("logs", "small").out()).endsWith("line-299\n");
    assertThat(logFiles("small")).containsExactly("container.log", "container.log.1");
    assertThat(logBytes("small", "container.log.1")).isLessThanOrEqualTo(2000);
    assertThat(jocker.ok("inspect", "-f", "{{json .HostConfig.LogConfig}}", "small").out())
        .isEqualTo("{\"Type\":\"json-file\",\"Config\":{\"max-file\":\"2\",\"max-size\":\"2k\"}}\n");

    // Without options: the engine's defaults, recorded with the container; one option keeps the other default.
    jocker.ok("create", "--name", "plain", "busybox", "true");
    assertThat(jocker.ok("inspect", "-f", "{{.HostConfig.LogConfig.Type}} {{json .HostConfig.LogConfig.Config}}",
        "plain").out()).isEqualTo("json-file {\"max-file\":\"3\",\"max-size\":\"10m\"}\n");
    jocker.ok("create", "--name", "files", "--log-opt", "max-file=5", "busybox", "true");
    assertThat(jocker.ok("inspect", "-f", "{{json .HostConfig.LogConfig.Config}}", "files").out())
        .isEqualTo("{\"max-file\":\"5\",\"max-size\":\"10m\"}\n");
  }

  @Test
  void badLogOptionsAreRefusedBeforeAnythingIsMade() {
    refused("failed to initialize logging driver: invalid size: 'abc'", "run", "--log-opt", "max-size=abc",
        "busybox", "true");
    refused("failed to initialize logging driver: max-size must be a positive number", "create", "--log-opt",
        "max-size=0", "busybox", "true");
    refused("failed to initialize logging driver: max-file cannot be less than 1", "run", "--log-opt",
        "max-size=1m", "--log-opt", "max-file=0", "busybox", "true");
    refused("failed to initialize logging driver: strconv.Atoi: parsing \"x\": invalid syntax", "run",
        "--log-opt", "max-file=x", "busybox", "true");
    refused("unknown log opt 'colour' for json-file log driver", "run", "--log-opt", "colour=red", "busybox", "true");
    refused("logger: no log driver named 'syslog' is registered", "run", "--log-driver", "syslog", "busybox", "true");
    refused("invalid logging opts for driver none", "run", "--log-driver", "none", "--log-opt", "max-size=1m",
        "busybox", "true");
    assertThat(jocker.ok("ps", "-aq").out()).isEmpty();
  }

  @Test
  void theNoneDriverKeepsNoLogButAnAttachedRunStillShowsTheOutput() throws Exception {
    Jocker.Result r = jocker.run("run", "--name", "quiet", "--log-driver", "none", "busybox", "sh", "-c",
        "echo out; echo err >&2; exit 4");
    assertThat(r.code()).isEqualTo(4);
    assertThat(r.out()).isEqualTo("out\n");
    assertThat(r.err()).isEqualTo("err\n");
    assertThat(logFiles("quiet")).isEmpty();
    refused("configured logging driver does not support reading", "logs", "quiet");
    assertThat(jocker.ok("inspect", "-f", "{{json .HostConfig.LogConfig}}", "quiet").out())
        .isEqualTo("{\"Type\":\"none\",\"Config\":{}}\n");
  }

  @Test
  void deviceGivesTheNodeAndTheCgroupAccessAsked() {
    Jocker.Result r = jocker.ok("run", "--rm", "--device", "/dev/fuse", "busybox", "sh", "-c",
        "stat -c '%F %t:%T %a' /dev/fuse; exec 3<>/dev/fuse && echo rw-ok");
    // The node gets the host's mode (installing fuse3 makes it 666, Debian's default is 600).
    assertThat(r.out()).isEqualTo("character special file a:e5 " + hostMode("/dev/fuse") + "\nrw-ok\n");
    r = jocker.ok("run", "--rm", "--device", "/dev/fuse:/dev/myfuse:r", "busybox", "sh", "-c",
        "exec 3</dev/myfuse && echo r-ok; (exec 4>/dev/myfuse) 2>/dev/null || echo w-refused; ls /dev/fuse 2>&1; true");
    assertThat(r.out()).isEqualTo("r-ok\nw-refused\nls: /dev/fuse: No such file or directory\n");
    jocker.ok("create", "--name", "dev", "--device", "/dev/fuse:/dev/f:rw", "busybox", "true");
    assertThat(jocker.ok("inspect", "-f", "{{json .HostConfig.Devices}}", "dev").out()).isEqualTo(
        "[{\"PathOnHost\":\"/dev/fuse\",\"PathInContainer\":\"/dev/f\",\"CgroupPermissions\":\"rw\"}]\n");

    refused("error gathering device information while adding custom device \"/dev/nope\": no such file or directory",
        "run", "--device", "/dev/nope", "busybox", "true");
    refused("error gathering device information while adding custom device \"/etc/passwd\": not a device node",
        "run", "--device", "/etc/passwd", "busybox", "true");
    refused("invalid argument \"/dev/fuse:rel\" for \"--device\" flag: rel is not an absolute path",
        "run", "--device", "/dev/fuse:rel", "busybox", "true");
    refused("invalid argument \"/dev/fuse:/f:rwx\" for \"--device\" flag: bad mode specified: rwx",
        "run", "--device", "/dev/fuse:/f:rwx", "busybox", "true");
  }

  @Test
  void shmSizeSetsTheSizeOfDevShm() {
    assertThat(jocker.ok("run", "--rm", "--shm-size", "8m", "busybox", "sh", "-c",
        "df -k /dev/shm | tail -1 | awk '{print $2}'").out()).isEqualTo("8192\n");
    assertThat(jocker.ok("run", "--rm", "busybox", "sh", "-c", "df -k /dev/shm | tail -1 | awk '{print $2}'")
        .out()).isEqualTo("65536\n");
    jocker.ok("create", "--name", "shm", "--shm-size", "1g", "busybox", "true");
    assertThat(jocker.ok("inspect", "-f", "{{.HostConfig.ShmSize}}", "shm").out()).isEqualTo("1073741824\n");
    refused("invalid argument \"lots\" for \"--shm-size\" flag: invalid size: 'lots'", "run", "--shm-size", "lots",
        "busybox", "true");
  }

  @Test
  void volumesFromSharesAnotherContainersVolumesAndBinds() throws Exception {
    Path host = Files.createDirectories(tmp.resolve("host"));
    Files.writeString(host.resolve("hello"), "from the host\n");
    jocker.ok("create", "--name", "data", "-v", "/vol", "-v", host + ":/host:ro", "busybox", "true");
    assertThat(jocker.ok("run", "--rm", "--volumes-from", "data", "busybox", "sh", "-c",
        "echo shared > /vol/f && cat /vol/f /host/hello; touch /host/x 2>/dev/null || echo host-ro").out())
        .isEqualTo("shared\nfrom the host\nhost-ro\n");
    // :ro makes every one read-only; the volume outlived the --rm container, which did not own it.
    assertThat(jocker.ok("run", "--rm", "--volumes-from", "data:ro", "busybox", "sh", "-c",
        "cat /vol/f; touch /vol/g 2>/dev/null || echo vol-ro").out()).isEqualTo("shared\nvol-ro\n");
    // The container's own mount at the same path wins.
    assertThat(jocker.ok("run", "--rm", "--volumes-from", "data", "--tmpfs", "/vol", "busybox", "ls", "/vol").out())
        .isEmpty();
    assertThat(jocker.ok("volume", "ls", "-q").out().lines().count()).isEqualTo(1);
    jocker.ok("create", "--name", "user", "--volumes-from", "data", "busybox", "true");
    JsonNode from = JSON.readTree(jocker.ok("inspect", "-f", "{{json .HostConfig.VolumesFrom}}", "user").out());
    assertThat(from.toString()).isEqualTo("[\"data\"]");

    refused("No such container: nope", "run", "--volumes-from", "nope", "busybox", "true");
    refused("invalid mode: rx", "run", "--volumes-from", "data:rx", "busybox", "true");
  }

  @Test
  void initIsPid1AndRunsTheCommandAsItsChild() {
    Jocker.Result r = jocker.ok("run", "--name", "ps", "--init", "busybox", "ps", "-o", "pid,ppid,comm");
    List<String> lines = r.out().lines().map(l -> l.trim().replaceAll("\\s+", " ")).toList();
    assertThat(lines).hasSize(3);
    assertThat(lines.get(1)).isEqualTo("1 0 docker-init");
    assertThat(lines.get(2)).matches("\\d+ 1 ps");
    assertThat(jocker.ok("inspect", "-f", "{{.HostConfig.Init}} {{.Path}} {{json .Args}} {{json .Config.Cmd}}", "ps")
        .out()).isEqualTo("true ps [\"-o\",\"pid,ppid,comm\"] [\"ps\",\"-o\",\"pid,ppid,comm\"]\n");
    assertThat(jocker.ok("run", "--rm", "--init", "busybox", "sh", "-c",
        "echo x >> /sbin/docker-init 2>/dev/null || echo read-only").out()).isEqualTo("read-only\n");
    assertThat(jocker.run("run", "--rm", "--init", "busybox", "sh", "-c", "exit 7").code()).isEqualTo(7);
    assertThat(jocker.run("run", "--rm", "--init", "busybox", "sh", "-c", "kill -USR1 $$").code()).isEqualTo(138);
    Jocker.Result missing = jocker.run("run", "--rm", "--init", "busybox", "no-such-program");
    assertThat(missing.code()).isEqualTo(127);
  }

  @Test
  void initReapsOrphansWhereACommandAsPid1LeavesZombies() throws Exception {
    String script = "(sleep 0.1 &); exec sleep 30"; // the orphan's parent becomes PID 1
    jocker.ok("run", "-d", "--name", "with-init", "--init", "busybox", "sh", "-c", script);
    jocker.ok("run", "-d", "--name", "without", "busybox", "sh", "-c", script);
    Thread.sleep(1000);
    // exec in a process of its own: the program writes to the real stdout
    String withInit = jocker.exec("exec", "with-init", "ps", "-o", "stat,comm").out();
    assertThat(withInit).contains("sleep").doesNotContain("Z ");
    assertThat(jocker.exec("exec", "without", "ps", "-o", "stat,comm").out()).contains("Z ");
  }

  @Test
  void stopReachesTheCommandThroughInit() {
    jocker.ok("run", "-d", "--name", "sleeper", "--init", "busybox", "sleep", "60");
    long start = System.nanoTime();
    jocker.ok("stop", "sleeper");
    // sleep as PID 1 ignores SIGTERM (137 after the timeout); under init it dies of it at once.
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5000);
    assertThat(jocker.ok("inspect", "-f", "{{.State.ExitCode}}", "sleeper").out()).isEqualTo("143\n");
  }

  @Test
  void killSignalsReachTheCommandThroughInit() throws Exception {
    jocker.ok("run", "-d", "--name", "trap", "--init", "busybox", "sh", "-c",
        "trap 'echo got-usr1; exit 3' USR1; echo ready; while :; do sleep 0.1; done");
    for (int i = 0; i < 200 && !jocker.ok("logs", "trap").out().contains("ready"); i++) {
      Thread.sleep(50);
    }
    jocker.ok("kill", "-s", "USR1", "trap");
    assertThat(jocker.exec("wait", "trap").out()).isEqualTo("3\n"); // bounded: 60 s
    assertThat(jocker.ok("logs", "trap").out()).isEqualTo("ready\ngot-usr1\n");
  }
}
