package org.jocker.runtime.spec;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The config.json that `jocker runtime spec` writes, with Docker's defaults for a container:
 * its capability set, seccomp profile, namespaces, mounts, and masked and read-only /proc and
 * /sys paths.
 */
public final class DefaultSpec {
  /** Docker's default capabilities. */
  public static final List<String> CAPABILITIES = List.of(
      "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW",
      "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE",
      "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE");

  public static final List<String> MASKED_PATHS = List.of(
      "/proc/asound", "/proc/acpi", "/proc/interrupts", "/proc/kcore", "/proc/keys",
      "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug",
      "/proc/scsi", "/sys/firmware", "/sys/devices/virtual/powercap");

  public static final List<String> READONLY_PATHS = List.of(
      "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");

  public static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private DefaultSpec() {}

  public static List<Spec.Mount> mounts() {
    return List.of(
        mount("/proc", "proc", "proc"),
        mount("/dev", "tmpfs", "tmpfs", "nosuid", "strictatime", "mode=755", "size=65536k"),
        mount("/dev/pts", "devpts", "devpts", "nosuid", "noexec", "newinstance", "ptmxmode=0666",
            "mode=0620", "gid=5"),
        mount("/dev/shm", "tmpfs", "shm", "nosuid", "noexec", "nodev", "mode=1777", "size=65536k"),
        mount("/dev/mqueue", "mqueue", "mqueue", "nosuid", "noexec", "nodev"),
        mount("/sys", "sysfs", "sysfs", "nosuid", "noexec", "nodev", "ro"),
        mount("/sys/fs/cgroup", "cgroup", "cgroup", "nosuid", "noexec", "nodev", "relatime", "ro"));
  }

  private static Spec.Mount mount(String dest, String type, String source, String... options) {
    return new Spec.Mount(dest, type, source, List.of(options), null, null);
  }

  public static List<Spec.Namespace> namespaces() {
    return List.of(ns("pid"), ns("network"), ns("ipc"), ns("uts"), ns("mount"), ns("cgroup"));
  }

  /**
   * The namespaces of runc 1.1's `runc spec`: no cgroup namespace, so that a config which adds one
   * (as guides for runc tell) does not list it twice.
   */
  public static List<Spec.Namespace> runcNamespaces() {
    return List.of(ns("pid"), ns("network"), ns("ipc"), ns("uts"), ns("mount"));
  }

  private static Spec.Namespace ns(String type) {
    return new Spec.Namespace(type, null);
  }

  /** A complete spec running {@code args} in the rootfs directory "rootfs" of the bundle. */
  public static Spec create(List<String> args, boolean terminal) {
    return create(args, terminal, namespaces());
  }

  /** What `jocker runtime spec` writes: {@link #create} with runc 1.1's namespaces. */
  public static Spec forRuntimeSpec(List<String> args, boolean terminal) {
    return create(args, terminal, runcNamespaces());
  }

  private static Spec create(List<String> args, boolean terminal, List<Spec.Namespace> namespaces) {
    Spec.Capabilities caps = new Spec.Capabilities(CAPABILITIES, CAPABILITIES, null, CAPABILITIES, null);
    Spec.Process process = new Spec.Process(terminal, null, new Spec.User(0L, 0L, null, null, null),
        args, List.of("PATH=" + PATH, "TERM=xterm"), "/", caps,
        List.of(new Spec.Rlimit("RLIMIT_NOFILE", 1024, 1024)), true, null, null, null);
    Spec.Linux linux = new Spec.Linux(namespaces, null, null, null, null,
        new Spec.Resources(List.of(new Spec.DeviceRule(false, null, null, null, "rwm")), null, null,
            null, null, null),
        null, DockerDefaultProfile.forCapabilities(Set.copyOf(CAPABILITIES)), null, MASKED_PATHS,
        READONLY_PATHS, null);
    return new Spec("1.2.0", process, new Spec.Root("rootfs", true), "jocker", null, mounts(), null,
        Map.of(), linux);
  }
}
