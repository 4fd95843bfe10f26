package org.jocker.engine.spec;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.jocker.engine.EngineException;
import org.jocker.engine.container.HostConfig;
import org.jocker.runtime.linux.Capability;
import org.jocker.runtime.spec.DefaultSpec;
import org.jocker.runtime.spec.DockerDefaultProfile;
import org.jocker.runtime.spec.DockerProfile;
import org.jocker.runtime.spec.Spec;

/** The parts of a container's spec that {@link HostConfig} changes: capabilities, seccomp, rlimits, cgroup resources, devices. */
final class Security {
  private Security() {}

  /**
   * Every capability (Docker's "ALL", and what --privileged gets): those of this kernel that the
   * engine's own bounding set still has, since no container can get more.
   */
  static List<String> allCapabilities() {
    long bounding = -1L;
    // Files.readString trusts the size procfs reports and may read only part of the file.
    try (java.io.InputStream in = Files.newInputStream(Path.of("/proc/self/status"))) {
      for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).split("\n")) {
        if (line.startsWith("CapBnd:")) {
          bounding = Long.parseUnsignedLong(line.substring(7).strip(), 16);
        }
      }
    } catch (IOException | NumberFormatException e) {
      // keep every capability we know
    }
    List<String> out = new ArrayList<>();
    for (Capability c : Capability.values()) {
      if ((bounding & c.bit()) != 0) {
        out.add(c.name());
      }
    }
    return out;
  }

  /** Docker's TweakCapabilities: privileged → all; add ALL → all but the drops; drop ALL → only the adds. */
  static List<String> capabilities(HostConfig hc) {
    if (hc.privileged()) {
      return allCapabilities();
    }
    List<String> add = normalize(hc.capAdd(), "CapAdd");
    List<String> drop = normalize(hc.capDrop(), "CapDrop");
    if (add.isEmpty() && drop.isEmpty()) {
      return DefaultSpec.CAPABILITIES;
    }
    Set<String> caps = new LinkedHashSet<>();
    if (add.contains("ALL")) {
      allCapabilities().stream().filter(c -> !drop.contains(c)).forEach(caps::add);
    } else if (drop.contains("ALL")) {
      caps.addAll(add);
    } else {
      DefaultSpec.CAPABILITIES.stream().filter(c -> !drop.contains(c)).forEach(caps::add);
      caps.addAll(add);
    }
    return List.copyOf(caps);
  }

  private static List<String> normalize(List<String> names, String field) {
    List<String> out = new ArrayList<>();
    for (String n : names) {
      if (n.equalsIgnoreCase("ALL")) {
        out.add("ALL");
        continue;
      }
      String c = n.toUpperCase(Locale.ROOT);
      c = c.startsWith("CAP_") ? c : "CAP_" + c;
      if (Capability.parse(c).isEmpty()) {
        throw EngineException.invalidArgument("invalid " + field + ": unknown capability: \"" + c + "\"");
      }
      out.add(c);
    }
    return out;
  }

  /** --security-opt seccomp=...: none when privileged or unconfined, a file in Docker's format, or the default. */
  static Spec.Seccomp seccomp(HostConfig hc, List<String> caps) {
    String profile = null;
    for (String opt : hc.securityOpt()) {
      String[] kv = opt.split("[=:]", 2);
      switch (kv[0]) {
        case "seccomp" -> {
          if (kv.length < 2 || kv[1].isEmpty()) {
            throw EngineException.invalidArgument("invalid --security-opt 2: \"" + opt + "\"");
          }
          profile = kv[1];
        }
        case "no-new-privileges", "label", "apparmor", "systempaths", "writable-cgroups" -> { }
        default -> throw EngineException.invalidArgument("invalid --security-opt 1: \"" + opt + "\"");
      }
    }
    if (profile == null) {
      return hc.privileged() ? null : DockerDefaultProfile.forCapabilities(Set.copyOf(caps));
    }
    if (profile.equals("unconfined")) {
      return null;
    }
    try {
      DockerProfile p = new ObjectMapper().readValue(Files.readAllBytes(Path.of(profile)), DockerProfile.class);
      return DockerDefaultProfile.resolve(p, Set.copyOf(caps));
    } catch (NoSuchFileException e) {
      throw EngineException.invalidArgument("opening seccomp profile (" + profile + ") failed: open " + profile
          + ": no such file or directory");
    } catch (IOException e) {
      throw EngineException.invalidArgument("decoding seccomp profile failed: "
          + e.getMessage().lines().findFirst().orElse(""));
    }
  }

  static boolean noNewPrivileges(HostConfig hc) {
    boolean nnp = false;
    for (String opt : hc.securityOpt()) {
      String[] kv = opt.split("[=:]", 2);
      if (kv[0].equals("no-new-privileges")) {
        if (kv.length == 1 || kv[1].equals("true")) {
          nnp = true;
        } else if (kv[1].equals("false")) {
          nnp = false;
        } else {
          throw EngineException.invalidArgument("invalid --security-opt 2: \"" + opt + "\"");
        }
      }
    }
    return nnp;
  }

  /** The base rlimits with --ulimit ones replacing those of the same type. */
  static List<Spec.Rlimit> rlimits(List<Spec.Rlimit> base, HostConfig hc) {
    Map<String, Spec.Rlimit> byType = new LinkedHashMap<>();
    if (base != null) {
      base.forEach(r -> byType.put(r.type(), r));
    }
    for (HostConfig.Ulimit u : hc.ulimits()) {
      String type = HostConfigParser.rlimitType(u.name());
      byType.put(type, new Spec.Rlimit(type, u.soft(), u.hard()));
    }
    return List.copyOf(byType.values());
  }

  /** Cgroup limits; --privileged also allows every device. */
  static Spec.Resources resources(Spec.Resources base, HostConfig hc) {
    Spec.Memory memory = null;
    if (hc.memory() != null || hc.memorySwap() != null || hc.memoryReservation() != null
        || hc.oomKillDisable() != null) {
      Long swap = hc.memorySwap();
      if ((hc.memory() == null || hc.memory() == 0) && swap != null && swap > 0) {
        throw EngineException.invalidArgument("You should always set the Memory limit when using Memoryswap limit, see usage");
      }
      if (hc.memory() != null && hc.memory() > 0 && hc.memoryReservation() != null
          && hc.memoryReservation() > hc.memory()) {
        throw EngineException.invalidArgument("Minimum memory limit can not be less than memory reservation limit, see usage");
      }
      if (hc.memory() != null && hc.memory() > 0 && swap == null && swapAccounting()) {
        swap = hc.memory() * 2; // Docker: unset swap is as much again as the memory
      }
      if (hc.memory() != null && swap != null && swap > 0 && swap < hc.memory()) {
        throw EngineException.invalidArgument("Minimum memoryswap limit should be larger than memory limit, see usage");
      }
      if (hc.memory() != null && hc.memory() > 0 && hc.memory() < 6 * 1024 * 1024) {
        throw EngineException.invalidArgument("Minimum memory limit allowed is 6MB");
      }
      memory = new Spec.Memory(hc.memory(), hc.memoryReservation(), swap, null, null, null,
          Boolean.TRUE.equals(hc.oomKillDisable()) ? Boolean.TRUE : null);
    }
    Spec.Cpu cpu = null;
    if (hc.nanoCpus() != null || hc.cpuShares() != null || hc.cpusetCpus() != null || hc.cpusetMems() != null) {
      Long period = null;
      Long quota = null;
      if (hc.nanoCpus() != null && hc.nanoCpus() > 0) {
        period = 100_000L;
        quota = hc.nanoCpus() * period / 1_000_000_000L;
      }
      cpu = new Spec.Cpu(hc.cpuShares(), quota, period, null, null, hc.cpusetCpus(), hc.cpusetMems(), null);
    }
    Spec.Pids pids = hc.pidsLimit() != null && hc.pidsLimit() > 0 ? new Spec.Pids(hc.pidsLimit()) : null;
    Spec.BlockIo blockIo = null;
    if (hc.blkioWeight() != null && hc.blkioWeight() != 0) {
      if (hc.blkioWeight() < 10 || hc.blkioWeight() > 1000) {
        throw EngineException.invalidArgument("Range of blkio weight is from 10 to 1000");
      }
      blockIo = new Spec.BlockIo(hc.blkioWeight(), null);
    }
    List<Spec.DeviceRule> devices = hc.privileged()
        ? List.of(new Spec.DeviceRule(true, "a", null, null, "rwm")) : base.devices();
    return new Spec.Resources(devices, memory, cpu, pids, blockIo, null);
  }

  private static boolean swapAccounting() {
    return Files.exists(Path.of("/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes"))
        || Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"));
  }

  /** --privileged: the host's device nodes (Docker's HostDevices: /dev without pts, shm, mqueue). */
  static List<Spec.Device> hostDevices() {
    List<Spec.Device> out = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(Path.of("/dev"))) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        String s = p.toString();
        if (s.startsWith("/dev/pts/") || s.startsWith("/dev/shm/") || s.startsWith("/dev/mqueue/")
            || s.equals("/dev/console") || s.equals("/dev/ptmx")) {
          continue;
        }
        try {
          Devices.node(p, s).ifPresent(out::add);
        } catch (IOException | UnsupportedOperationException e) {
          // gone or unreadable: skip it
        }
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      return out;
    }
    return out;
  }
}
