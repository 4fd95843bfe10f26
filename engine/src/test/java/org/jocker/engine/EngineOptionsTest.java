package org.jocker.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jocker.engine.container.ContainerRecord;
import org.jocker.engine.container.HostConfig;
import org.jocker.engine.spec.HostConfigParser;
import org.jocker.engine.spec.RunOptions;
import org.jocker.engine.volume.Volume;
import org.jocker.runtime.cgroup.Hierarchy;
import org.jocker.runtime.testing.CgroupFiles;
import org.junit.jupiter.api.Test;

/** run's HostConfig on the real kernel: mounts and volumes, cgroup limits, rlimits, capabilities, seccomp. */
class EngineOptionsTest extends EngineTestBase {
  private final CgroupFiles files = new CgroupFiles();

  private Captured run(Consumer<HostConfig.Builder> host, String... command) {
    return run("busybox", true, null, host, command);
  }

  private Captured run(String image, boolean remove, String name, Consumer<HostConfig.Builder> host, String... command) {
    HostConfig.Builder b = HostConfig.builder();
    host.accept(b);
    RunOptions options = new RunOptions(image, List.of(command), null, List.of(), null, null, null, name, remove,
        false, b.build());
    return Captured.of(kernel, io -> engine().run(options, io));
  }

  private String sh(Consumer<HostConfig.Builder> host, String script) {
    Captured r = run(host, "sh", "-c", script);
    assertThat(r.code()).as(r.out()).isZero();
    return r.out();
  }

  private static String status(String out, String field) {
    return out.lines().filter(l -> l.startsWith(field + ":")).map(l -> l.substring(field.length() + 1).strip())
        .findFirst().orElseThrow(() -> new AssertionError(field + " not in " + out));
  }

  @Test
  void bindMountsAreReadOnlyOrWritableAndMissingSourcesAreMadeForDashV() throws Exception {
    Path host = Files.createDirectories(tmp.resolve("host"));
    Files.writeString(host.resolve("in"), "from host\n");
    Path made = tmp.resolve("made/by/v");
    String out = sh(h -> {
      h.binds.add(host + ":/h");
      h.binds.add(host + ":/ro:ro");
      h.binds.add(made + ":/made");
    }, "cat /h/in; echo out > /h/out; (echo x > /ro/x) 2>/dev/null || echo refused; ls -d /made");
    assertThat(out).isEqualTo("from host\nrefused\n/made\n");
    assertThat(Files.readString(host.resolve("out"))).isEqualTo("out\n");
    assertThat(made).isDirectory();
    assertThatThrownBy(() -> run(h -> h.mounts.add(HostConfigParser.mount("type=bind,source=" + tmp.resolve("nope")
        + ",target=/x")), "true"))
        .hasMessage("invalid mount config for type \"bind\": bind source path does not exist: " + tmp.resolve("nope"));
    assertThat(sh(h -> h.mounts.add(HostConfigParser.mount("type=bind,src=" + host + ",dst=/m,readonly")),
        "cat /m/in; touch /m/y 2>/dev/null || echo refused")).isEqualTo("from host\nrefused\n");
  }

  @Test
  void namedVolumesAreMadeOnDemandFilledFromTheImageAndOutliveContainers() throws Exception {
    assertThat(sh(h -> h.binds.add("etcvol:/etc"), "grep -c root /etc/passwd; echo kept > /etc/kept"))
        .isEqualTo("1\n");
    Volume v = engine().volumes().inspect("etcvol");
    assertThat(v.driver()).isEqualTo("local");
    assertThat(v.mountpoint()).isEqualTo(tmp.resolve("root/volumes/etcvol/_data").toString());
    Path passwd = Path.of(v.mountpoint(), "passwd");
    assertThat(passwd).exists();
    assertThat(Files.getAttribute(passwd, "unix:uid")).isEqualTo(0);
    // a second container sees the first one's writes (a non-empty volume is not filled again)
    assertThat(sh(h -> h.mounts.add(HostConfigParser.mount("type=volume,source=etcvol,target=/etc")),
        "cat /etc/kept")).isEqualTo("kept\n");
    assertThat(engine().volumes().list()).extracting(Volume::name).containsExactly("etcvol");
    // volume-nocopy leaves a new volume empty (but for the mount points of the container's own /etc files)
    assertThat(sh(h -> h.mounts.add(HostConfigParser.mount("type=volume,source=empty,target=/etc,volume-nocopy")),
        "ls /etc | grep -vxE 'hosts|hostname|resolv.conf' | wc -l")).isEqualTo("0\n");
    // --rm does not remove named volumes
    engine().volumes().remove("empty", false);
    engine().volumes().remove("etcvol", false);
    assertThat(tmp.resolve("root/volumes/etcvol")).doesNotExist();
  }

  @Test
  void anImagesVolumesGetAnonymousVolumesThatRmVolumesRemoves() throws Exception {
    Captured made = run("busybox", false, "maker", h -> { }, "sh", "-c", "mkdir /data && echo seed > /data/seed");
    assertThat(made.code()).isZero();
    engine().commit("maker", "withvol:latest", List.of("VOLUME /data"), null, null);
    engine().remove("maker", false);

    Captured first = run("withvol", false, "user1", h -> { }, "sh", "-c", "cat /data/seed; echo mine > /data/mine");
    assertThat(first.out()).isEqualTo("seed\n");
    ContainerRecord record = engine().find("user1");
    assertThat(record.volumes()).hasSize(1);
    String anon = record.volumes().get(0);
    assertThat(engine().volumes().inspect(anon).anonymous()).isTrue();
    assertThat(Path.of(engine().volumes().inspect(anon).mountpoint(), "mine")).hasContent("mine");
    assertThatThrownBy(() -> engine().volumes().remove(anon, true))
        .hasMessageContaining("volume is in use - [" + record.id() + "]");
    // container.json keeps the volumes and the options
    Map<?, ?> json = new ObjectMapper().readValue(tmp.resolve("root/containers/" + record.id() + "/container.json")
        .toFile(), Map.class);
    assertThat(json.get("volumes")).isEqualTo(List.of(anon));
    engine().remove("user1", false, true);
    assertThat(engine().volumes().list()).isEmpty();

    // --rm removes the anonymous volume too; -v /data:... with a name keeps it
    assertThat(run("withvol", true, null, h -> { }, "cat", "/data/seed").out()).isEqualTo("seed\n");
    assertThat(engine().volumes().list()).isEmpty();
    assertThat(run("withvol", true, null, h -> h.binds.add("named:/data"), "cat", "/data/seed").out())
        .isEqualTo("seed\n");
    assertThat(engine().volumes().list()).extracting(Volume::name).containsExactly("named");
    // a plain -v /path is anonymous; the image's own volume is then mounted over by it
    assertThat(run("busybox", true, null, h -> h.binds.add("/anon"), "ls", "-d", "/anon").out()).isEqualTo("/anon\n");
    assertThat(engine().volumes().prune(false).deleted()).isEmpty();
    assertThat(engine().volumes().prune(true).deleted()).containsExactly("named");
    engine().imageManager().remove("withvol", false);
  }

  @Test
  void tmpfsAndReadOnlyRoot() {
    String out = sh(h -> {
      h.readonlyRootfs = true;
      h.tmpfs.put("/scratch", "size=1m");
      h.mounts.add(HostConfigParser.mount("type=tmpfs,target=/t2,tmpfs-size=2m"));
    }, "touch /x 2>/dev/null || echo ro; touch /scratch/y /t2/y && grep -E ' /(scratch|t2) ' /proc/mounts");
    assertThat(out).startsWith("ro\n")
        .contains("tmpfs /scratch tmpfs rw,nosuid,nodev,noexec,relatime,size=1024k")
        .contains("tmpfs /t2 tmpfs rw,nosuid,nodev,noexec,relatime,size=2048k");
  }

  @Test
  void cgroupLimitsAreThoseOfTheContainersCgroup() {
    List<CgroupFiles.File> limits = List.of(CgroupFiles.MEMORY_LIMIT, CgroupFiles.MEMORY_RESERVATION,
        CgroupFiles.CPU_QUOTA, CgroupFiles.CPU_PERIOD, CgroupFiles.CPU_SHARES, CgroupFiles.PIDS_MAX,
        CgroupFiles.CPUSET_CPUS);
    String cpuMax = "150000 100000"; // cgroup2's cpu.max holds both quota and period
    // cgroup2 has cpu.weight: runc's mapping of 512 shares is 1 + (512 - 2) * 9999 / 262142
    List<String> expected = List.of("67108864", "33554432", files.pick(CgroupFiles.CPU_QUOTA, "150000", cpuMax),
        files.pick(CgroupFiles.CPU_PERIOD, "100000", cpuMax), files.pick(CgroupFiles.CPU_SHARES, "512", "20"),
        "42", "0");
    String out = sh(h -> {
      h.memory = HostConfigParser.size("-m, --memory", "64m");
      h.memoryReservation = HostConfigParser.size("--memory-reservation", "32m");
      h.nanoCpus = HostConfigParser.nanoCpus("1.5");
      h.cpuShares = 512L;
      h.pidsLimit = 42L;
      h.cpusetCpus = "0";
    }, "cat " + String.join(" ", limits.stream().map(files::inside).toList()));
    assertThat(out.lines().toList()).isEqualTo(expected);
  }

  @Test
  void ulimitsReplaceTheDefaults() {
    assertThat(sh(h -> h.ulimits.add(HostConfigParser.ulimit("nofile=256:512")), "ulimit -n; ulimit -Hn"))
        .isEqualTo("256\n512\n");
    assertThat(sh(h -> h.ulimits.add(HostConfigParser.ulimit("nproc=77")), "ulimit -u")).isEqualTo("77\n");
  }

  @Test
  void capabilitiesSeccompAndNoNewPrivileges() {
    String defaults = sh(h -> { }, "cat /proc/self/status");
    assertThat(status(defaults, "CapEff")).isEqualTo("00000000a80425fb");
    assertThat(status(defaults, "Seccomp")).isEqualTo("2");
    assertThat(status(defaults, "NoNewPrivs")).isEqualTo("0");

    String netAdmin = sh(h -> h.capAdd.add("NET_ADMIN"), "cat /proc/self/status");
    assertThat(Long.parseLong(status(netAdmin, "CapEff"), 16)).isEqualTo(0xa80425fbL | (1L << 12));
    assertThat(sh(h -> h.capAdd.add("net_admin"), "ip link set lo up 2>&1 && echo up")).isEqualTo("up\n");
    assertThat(sh(h -> { }, "ip link set lo down 2>&1 || echo refused")).endsWith("refused\n");

    String none = sh(h -> h.capDrop.add("ALL"), "cat /proc/self/status");
    assertThat(status(none, "CapEff")).isEqualTo("0000000000000000");
    String onlyChown = sh(h -> {
      h.capDrop.add("ALL");
      h.capAdd.add("CAP_CHOWN");
    }, "cat /proc/self/status");
    assertThat(status(onlyChown, "CapEff")).isEqualTo("0000000000000001");

    String unconfined = sh(h -> {
      h.securityOpt.add("seccomp=unconfined");
      h.securityOpt.add("no-new-privileges");
    }, "cat /proc/self/status");
    assertThat(status(unconfined, "Seccomp")).isEqualTo("0");
    assertThat(status(unconfined, "NoNewPrivs")).isEqualTo("1");

    assertThatThrownBy(() -> run(h -> h.capAdd.add("FOO"), "true"))
        .hasMessage("invalid CapAdd: unknown capability: \"CAP_FOO\"")
        .satisfies(e -> assertThat(((EngineException) e).kind()).isEqualTo(EngineException.Kind.INVALID_ARGUMENT));
  }

  @Test
  void privilegedHasEveryCapabilityNoSeccompAndCanMount() {
    String out = sh(h -> h.privileged = true,
        "grep -E '^(Seccomp|CapEff):' /proc/self/status; mkdir -p /mnt/t && mount -t tmpfs t /mnt/t && echo mounted;"
            + " grep ' /sys ' /proc/mounts; grep -q ' /proc/sys ' /proc/mounts || echo unmasked");
    assertThat(status(out, "Seccomp")).isEqualTo("0");
    assertThat(out).contains("mounted\n").contains("sysfs /sys sysfs rw,").contains("unmasked");
    assertThat(Long.parseLong(status(out, "CapEff"), 16) & (1L << 21)).isNotZero(); // CAP_SYS_ADMIN
    assertThat(sh(h -> { }, "mkdir -p /mnt/t && mount -t tmpfs t /mnt/t 2>/dev/null || echo refused"))
        .isEqualTo("refused\n");
  }

  @Test
  void labelsAndStopSettingsAreKept() throws Exception {
    Captured r = run("busybox", false, "labelled", h -> {
      h.labels.put("a", "b");
      h.stopSignal = "SIGINT";
      h.stopTimeout = 3;
    }, "true");
    assertThat(r.code()).isZero();
    ContainerRecord record = engine().find("labelled");
    assertThat(record.labels()).containsEntry("a", "b");
    assertThat(record.stopSignal()).isEqualTo("SIGINT");
    assertThat(record.stopTimeout()).isEqualTo(3);
    assertThat(tmp.resolve("root/containers/" + record.id() + "/bundle/config.json")).content()
        .contains("\"annotations\":{\"a\":\"b\"}");
    engine().remove("labelled", false);
  }

  @Test
  void memorySwapAndOomKillDisable() {
    Consumer<HostConfig.Builder> limits = h -> {
      h.memory = 32L << 20;
      h.memorySwap = 64L << 20;
      h.oomKillDisable = true;
    };
    Optional<Boolean> swapAccounting = files.swapAccounting();
    assumeTrue(swapAccounting.isPresent(), "cannot tell whether this host's kernel accounts swap");
    if (!swapAccounting.get()) {
      // --memory-swap is refused, not silently dropped
      assertThatThrownBy(() -> run(limits, "true")).hasMessageContaining("swap accounting is off");
    } else if (files.onV2("memory")) {
      // memory.swap.max is swap alone; cgroup2 has no switch to disable the OOM killer
      assertThat(sh(limits, "cat " + files.inside(CgroupFiles.MEMORY_LIMIT) + " " + files.inside(CgroupFiles.MEMORY_SWAP)))
          .isEqualTo("33554432\n33554432\n");
    } else {
      assertThat(sh(limits, "cat " + files.inside(CgroupFiles.MEMORY_LIMIT) + " " + files.inside(CgroupFiles.MEMORY_SWAP)
          + "; grep oom_kill_disable " + files.inside(new CgroupFiles.File("memory", "memory.oom_control", null))))
          .isEqualTo("33554432\n67108864\noom_kill_disable 1\n");
    }
    assertThatThrownBy(() -> run(h -> {
      h.memory = 64L << 20;
      h.memorySwap = 32L << 20;
    }, "true")).hasMessage("Minimum memoryswap limit should be larger than memory limit, see usage");
  }

  @Test
  void aSeccompProfileFileInDockersFormat() throws Exception {
    Path profile = tmp.resolve("profile.json");
    Files.writeString(profile, """
        {"defaultAction": "SCMP_ACT_ALLOW",
         "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1}]}
        """);
    String out = sh(h -> h.securityOpt.add("seccomp=" + profile), "mkdir /tmp/d 2>&1; grep Seccomp: /proc/self/status");
    assertThat(out).contains("Operation not permitted").contains("Seccomp:\t2");
  }

  @Test
  void aVolumeOverLinksKeepsThem() {
    // busybox's /bin is one binary and symlinks to it: copied as they are, the volume runs them
    assertThat(sh(h -> h.binds.add("binvol:/bin"), "ls -l /bin/sh | cut -c1; echo ok")).isEqualTo("l\nok\n");
    Path data = Path.of(engine().volumes().inspect("binvol").mountpoint());
    assertThat(Files.isSymbolicLink(data.resolve("sh"))).isTrue();
    engine().volumes().remove("binvol", false);
  }

  @Test
  void blkioWeightWhereTheSchedulerHasWeights() throws Exception {
    Optional<Hierarchy> v1 = files.find("blkio").filter(h -> !h.unified());
    if (v1.isPresent()) {
      // the root cgroup has no weight files, but BFQ's (or CFQ's) statistics show its children have them
      try (Stream<Path> list = Files.list(v1.get().mountPoint())) {
        assumeTrue(list.map(f -> f.getFileName().toString())
            .anyMatch(n -> n.startsWith("blkio.bfq.") || n.equals("blkio.time")), "no blkio weights on this host");
      }
    }
    String dir = files.insideDir(v1.isPresent() ? "blkio" : "io"); // skipped without io on cgroup2 either
    String out = sh(h -> h.blkioWeight = 300, v1.isPresent()
        ? "cat " + dir + "/blkio.weight 2>/dev/null || cat " + dir + "/blkio.bfq.weight"
        : "cat " + dir + "/io.bfq.weight 2>/dev/null || cat " + dir + "/io.weight");
    // cgroup2's io.weight is 1..10000: runc's mapping of 300 is 1 + (300 - 10) * 9999 / 990
    assertThat(out).isIn(v1.isPresent() ? List.of("300\n") : List.of("default 300\n", "default 2930\n"));
    assertThatThrownBy(() -> run(h -> h.blkioWeight = 5, "true")).hasMessage("Range of blkio weight is from 10 to 1000");
  }
}
