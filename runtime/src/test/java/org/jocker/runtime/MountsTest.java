package org.jocker.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jocker.runtime.testing.CgroupFiles;
import org.junit.jupiter.api.Test;

/** The container's filesystem: configured mounts, devices, masked and read-only paths. */
class MountsTest extends KernelTestBase {

  @Test
  void bindMountsReadOnlyAndReadWrite() throws Exception {
    Path ro = Files.createDirectories(tmp.resolve("ro-src"));
    Files.writeString(ro.resolve("f"), "host data");
    Result r = sh("cat /ro/f; echo x > /ro/g || echo ro-refused; echo y > /out/w && echo rw-ok;"
        + " grep ' /ro ' /proc/mounts", j -> addMount(j, "/ro", "bind", ro.toString(), "rbind", "ro"));
    assertThat(r.out()).contains("host data", "ro-refused", "rw-ok").containsPattern(" /ro \\S+ ro[,\\s]");
    assertThat(r.err()).contains("Read-only file system");
    assertThat(ro.resolve("g")).doesNotExist();
  }

  @Test
  void relativeBindSourceIsResolvedAgainstTheBundle() throws Exception {
    Bundle b = shBundle("cat /data/f", j -> addMount(j, "/data", "bind", "data", "bind"));
    Files.createDirectories(b.dir().resolve("data"));
    Files.writeString(b.dir().resolve("data/f"), "from bundle");
    assertThat(run(b).out()).isEqualTo("from bundle");
  }

  @Test
  void bindMountOfAFile() throws Exception {
    Path f = Files.writeString(tmp.resolve("single"), "one file");
    Result r = sh("cat /etc/single; [ -f /etc/single ] && echo regular",
        j -> addMount(j, "/etc/single", "bind", f.toString(), "bind", "ro"));
    assertThat(r.out()).isEqualTo("one file" + "regular\n");
  }

  @Test
  void tmpfsWithOptions() throws Exception {
    Result r = sh("grep ' /scratch ' /proc/mounts; stat -c %a /scratch; df -k /scratch | tail -1",
        j -> addMount(j, "/scratch", "tmpfs", "tmpfs", "nosuid", "nodev", "noexec", "size=2m", "mode=1770"));
    assertThat(r.exit().code()).as(r.err()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines.get(0)).startsWith("tmpfs /scratch tmpfs rw,nosuid,nodev,noexec").contains("size=2048k", "mode=1770");
    assertThat(lines.get(1)).isEqualTo("1770");
    assertThat(lines.get(2).split("\\s+")[1]).isEqualTo("2048");
  }

  @Test
  void defaultMountsAreThere() throws Exception {
    Result r = sh("for m in /proc /sys /dev /dev/pts /dev/shm /dev/mqueue /sys/fs/cgroup; do"
        + " awk -v m=$m '$2==m {print $2, $3, $4}' /proc/mounts; done");
    assertThat(r.exit().code()).as(r.err()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines).anyMatch(l -> l.startsWith("/proc proc rw"));
    assertThat(lines).anyMatch(l -> l.startsWith("/sys sysfs ro,nosuid,nodev,noexec"));
    assertThat(lines).anyMatch(l -> l.startsWith("/dev tmpfs rw,nosuid"));
    assertThat(lines).anyMatch(l -> l.startsWith("/dev/pts devpts rw,nosuid,noexec") && l.contains("ptmxmode=666"));
    assertThat(lines).anyMatch(l -> l.startsWith("/dev/shm tmpfs rw,nosuid,nodev,noexec"));
    assertThat(lines).anyMatch(l -> l.startsWith("/dev/mqueue mqueue rw,nosuid,nodev,noexec"));
    assertThat(lines).anyMatch(l -> l.startsWith("/sys/fs/cgroup tmpfs ro"));
  }

  @Test
  void cgroupMountShowsTheContainersOwnCgroups() throws Exception {
    CgroupFiles files = new CgroupFiles();
    Result r = sh("echo $(cat " + files.inside(CgroupFiles.File.procs("memory")) + ");"
        + " echo $(cat " + files.inside(CgroupFiles.File.procs("pids")) + ");"
        + " echo 1 > " + files.inside(CgroupFiles.PIDS_MAX) + " || echo refused; ls /sys/fs/cgroup");
    assertThat(r.exit().code()).as(r.err()).isZero();
    List<String> lines = r.out().lines().toList();
    // sh (1) and the cat in the $(...) subshell: only the container's own processes
    assertThat(lines.subList(0, 2)).allMatch(l -> l.matches("1 \\d+"));
    assertThat(lines).contains("refused").containsAll(files.insideEntries());
  }

  @Test
  void propagationOptionsAreApplied() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("prop"));
    Result r = sh("grep -E ' /(shared|private) ' /proc/self/mountinfo", j -> {
      addMount(j, "/shared", "bind", src.toString(), "rbind", "rshared");
      addMount(j, "/private", "bind", src.toString(), "rbind", "rprivate");
    });
    assertThat(r.exit().code()).as(r.err()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines).anyMatch(l -> l.contains(" /shared ") && l.contains("shared:"));
    assertThat(lines).anyMatch(l -> l.contains(" /private ") && !l.contains("shared:") && !l.contains("master:"));
  }

  @Test
  void readonlyRootRefusesWrites() throws Exception {
    Result r = sh("touch /newfile; echo rc=$?; touch /tmp/x; echo tmp=$?", j -> j.withObject("/root").put("readonly", true));
    assertThat(r.out()).contains("rc=1", "tmp=1");
    assertThat(r.err()).contains("Read-only file system");
    Result rw = sh("touch /newfile; echo rc=$?", j -> j.withObject("/root").put("readonly", false));
    assertThat(rw.out()).contains("rc=0");
  }

  @Test
  void defaultDevicesExistWithTheRightNumbersAndWork() throws Exception {
    Result r = sh("for d in null zero full random urandom tty; do stat -c '%n %F %t:%T %a' /dev/$d; done;"
        + " readlink /dev/ptmx; echo gone > /dev/null && echo null-ok;"
        + " head -c 4 /dev/zero | od -An -tx1; echo x > /dev/full || echo full-refused;"
        + " head -c 16 /dev/urandom | wc -c; echo shm > /dev/shm/f && cat /dev/shm/f; ls /dev/fd/ >/dev/null && echo fd-ok");
    assertThat(r.exit().code()).as(r.err()).isZero();
    assertThat(r.out().lines().toList()).startsWith(
        "/dev/null character special file 1:3 666", "/dev/zero character special file 1:5 666",
        "/dev/full character special file 1:7 666", "/dev/random character special file 1:8 666",
        "/dev/urandom character special file 1:9 666", "/dev/tty character special file 5:0 666",
        "pts/ptmx", "null-ok", " 00 00 00 00", "full-refused", "16", "shm", "fd-ok");
    assertThat(r.err()).contains("No space left on device");
  }

  @Test
  void linuxDevicesCreatesADevice() throws Exception {
    Result r = sh("stat -c '%F %t:%T %a %u:%g' /dev/mynull; echo data > /dev/mynull && echo written", j ->
        linux(j).putArray("devices").addObject().put("type", "c").put("path", "/dev/mynull")
            .put("major", 1).put("minor", 3).put("fileMode", 0620).put("uid", 7).put("gid", 8));
    assertThat(r.exit().code()).as(r.err()).isZero();
    assertThat(r.out().lines().toList()).containsExactly("character special file 1:3 620 7:8", "written");
  }

  @Test
  void linuxDevicesCreatesAFifoWhichNeedsNoDeviceRule() throws Exception {
    Result r = sh("stat -c '%F %a %u:%g' /dev/myfifo; (echo through > /dev/myfifo &); head -1 /dev/myfifo", j -> {
      linux(j).putArray("devices").addObject().put("type", "p").put("path", "/dev/myfifo")
          .put("fileMode", 0640).put("uid", 7).put("gid", 8);
      resources(j).putArray("devices").addObject().put("allow", false).put("access", "rwm"); // as runc spec
    });
    assertThat(r.exit().code()).as(r.err()).isZero();
    assertThat(r.out().lines().toList()).containsExactly("fifo 640 7:8", "through");
  }

  @Test
  void maskedAndReadonlyPaths() throws Exception {
    // This kernel has no /proc/kcore: check the masked files it does have (non-empty on the host).
    for (String f : List.of("/proc/timer_list", "/proc/interrupts", "/proc/keys")) {
      assertThat(Files.readString(Path.of(f))).as(f).isNotEmpty();
    }
    assertThat(Files.list(Path.of("/sys/firmware")).count()).isPositive();
    Result r = sh("for f in /proc/timer_list /proc/interrupts /proc/keys; do wc -c < $f; done;"
        + " ls -A /sys/firmware | wc -l; touch /sys/firmware/x; echo rc=$?;"
        + " echo 1 > /proc/sys/kernel/printk_ratelimit; echo rc=$?; echo c > /proc/sysrq-trigger; echo rc=$?");
    assertThat(r.out().lines().toList()).as(r.err()).containsExactly("0", "0", "0", "0", "rc=1", "rc=1", "rc=1");
    assertThat(r.err()).contains("/proc/sys/kernel/printk_ratelimit: Read-only file system");
  }
}
