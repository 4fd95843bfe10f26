package org.jocker.runtime.spec;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** The OCI runtime-spec config.json (v1.0 to v1.3): the fields Jocker acts on; unknown ones are ignored. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Spec(
    String ociVersion,
    Process process,
    Root root,
    String hostname,
    String domainname,
    List<Mount> mounts,
    Hooks hooks,
    Map<String, String> annotations,
    Linux linux) {

  public List<Mount> mountsOrEmpty() {
    return mounts == null ? List.of() : mounts;
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Root(String path, Boolean readonly) {
    public boolean isReadonly() {
      return Boolean.TRUE.equals(readonly);
    }
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Mount(
      String destination, String type, String source, List<String> options,
      List<IdMapping> uidMappings, List<IdMapping> gidMappings) {
    public List<String> optionsOrEmpty() {
      return options == null ? List.of() : options;
    }
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Process(
      Boolean terminal,
      ConsoleSize consoleSize,
      User user,
      List<String> args,
      List<String> env,
      String cwd,
      Capabilities capabilities,
      List<Rlimit> rlimits,
      Boolean noNewPrivileges,
      String apparmorProfile,
      Integer oomScoreAdj,
      String selinuxLabel) {
    public boolean isTerminal() {
      return Boolean.TRUE.equals(terminal);
    }

    public List<String> envOrEmpty() {
      return env == null ? List.of() : env;
    }
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ConsoleSize(int height, int width) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record User(Long uid, Long gid, Integer umask, List<Long> additionalGids, String username) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Capabilities(
      List<String> bounding, List<String> effective, List<String> inheritable,
      List<String> permitted, List<String> ambient) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Rlimit(String type, long soft, long hard) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Hooks(
      List<Hook> prestart, List<Hook> createRuntime, List<Hook> createContainer,
      List<Hook> startContainer, List<Hook> poststart, List<Hook> poststop) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Hook(String path, List<String> args, List<String> env, Integer timeout) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record IdMapping(long containerID, long hostID, long size) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Linux(
      List<Namespace> namespaces,
      List<IdMapping> uidMappings,
      List<IdMapping> gidMappings,
      List<Device> devices,
      String cgroupsPath,
      Resources resources,
      String rootfsPropagation,
      Seccomp seccomp,
      Map<String, String> sysctl,
      List<String> maskedPaths,
      List<String> readonlyPaths,
      String mountLabel) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Namespace(String type, String path) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Device(
      String type, String path, Long major, Long minor, Integer fileMode, Long uid, Long gid) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Resources(
      List<DeviceRule> devices,
      Memory memory,
      Cpu cpu,
      Pids pids,
      BlockIo blockIO,
      Map<String, String> unified,
      List<HugepageLimit> hugepageLimits,
      Network network) {

    /** Resources without hugepage limits or network settings, which most callers never set. */
    public Resources(
        List<DeviceRule> devices, Memory memory, Cpu cpu, Pids pids, BlockIo blockIO, Map<String, String> unified) {
      this(devices, memory, cpu, pids, blockIO, unified, null, null);
    }

    /** The same resources with other device rules. */
    public Resources withDevices(List<DeviceRule> rules) {
      return new Resources(rules, memory, cpu, pids, blockIO, unified, hugepageLimits, network);
    }
  }

  /**
   * A hugetlb limit.
   *
   * @param pageSize as the kernel names it in hugetlb file names: "2MB", "1GB", "64KB"
   * @param limit bytes (OCI uint64; values above Long.MAX_VALUE are refused when read)
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record HugepageLimit(String pageSize, long limit) {}

  /** cgroup v1 network tagging: net_cls class id and per-interface net_prio priorities. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Network(Long classID, List<InterfacePriority> priorities) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record InterfacePriority(String name, long priority) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record DeviceRule(Boolean allow, String type, Long major, Long minor, String access) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Memory(
      Long limit, Long reservation, Long swap, Long kernel, Long kernelTCP, Long swappiness,
      Boolean disableOOMKiller) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Cpu(
      Long shares, Long quota, Long period, Long realtimeRuntime, Long realtimePeriod,
      String cpus, String mems, Long idle) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Pids(long limit) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record BlockIo(
      Integer weight,
      Integer leafWeight,
      List<WeightDevice> weightDevice,
      List<ThrottleDevice> throttleReadBpsDevice,
      List<ThrottleDevice> throttleWriteBpsDevice,
      List<ThrottleDevice> throttleReadIOPSDevice,
      List<ThrottleDevice> throttleWriteIOPSDevice) {

    /** The weights alone, without per-device settings, which most callers never set. */
    public BlockIo(Integer weight, Integer leafWeight) {
      this(weight, leafWeight, null, null, null, null, null);
    }
  }

  /** A block device's own weight (and v1 leaf weight), by its major and minor number. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record WeightDevice(long major, long minor, Integer weight, Integer leafWeight) {}

  /**
   * A block device's bandwidth limit: bytes or I/O operations per second (OCI uint64; 0 removes a
   * limit).
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ThrottleDevice(long major, long minor, long rate) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  /**
   * @param listenerPath the unix socket of the seccomp agent that receives the SCMP_ACT_NOTIFY
   *     listener (a host path)
   * @param listenerMetadata opaque text passed on to that agent
   */
  public record Seccomp(
      String defaultAction,
      Integer defaultErrnoRet,
      List<String> architectures,
      List<String> flags,
      List<Syscall> syscalls,
      String listenerPath,
      String listenerMetadata) {

    /** A profile without seccomp agent. */
    public Seccomp(String defaultAction, Integer defaultErrnoRet, List<String> architectures, List<String> flags,
        List<Syscall> syscalls) {
      this(defaultAction, defaultErrnoRet, architectures, flags, syscalls, null, null);
    }
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Syscall(List<String> names, String action, Integer errnoRet, List<Arg> args) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Arg(int index, long value, Long valueTwo, String op) {}
}
