package org.jocker.engine.container;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * The options of `run`/`create` beyond the process (Docker's HostConfig, with a few of its
 * Config's fields: labels, stop signal and timeout), already parsed and checked by
 * {@link org.jocker.engine.spec.HostConfigParser}. Applied to the OCI spec by
 * {@link org.jocker.engine.spec.SpecFactory} and {@link org.jocker.engine.spec.MountsFactory};
 * kept in container.json.
 *
 * @param binds -v specs: /host:/ctr[:ro|rw] or name:/ctr[:ro|rw]
 * @param mounts --mount specs
 * @param tmpfs --tmpfs: destination → mount options (may be empty)
 * @param memory bytes, null when not set; memorySwap -1 is unlimited
 * @param nanoCpus --cpus × 1e9
 * @param ulimits --ulimit, Docker's names (nofile)
 * @param securityOpt --security-opt entries (seccomp=..., no-new-privileges[=true|false])
 * @param stopTimeout seconds, null for the default
 * @param logConfig --log-driver and --log-opt, the engine's defaults merged in
 *     ({@link org.jocker.engine.spec.LogSettings}); null for a container made before they were recorded
 * @param devices --device
 * @param volumesFrom --volumes-from CONTAINER[:ro|rw]
 * @param shmSize --shm-size in bytes, null for Docker's 64 MiB
 * @param init --init: {@link org.jocker.engine.spec.InitBinary} is PID 1 and runs the command
 * @param restartPolicy --restart (never null: "no" by default)
 * @param networkMode --network: bridge, host or none, as the engine resolved it at create (null: the
 *     default, "none" in a record made before networking)
 * @param portBindings -p, as given (a host port null for an ephemeral one, chosen at each start)
 * @param nameResolution --dns, --dns-search, --dns-option, --add-host and --domainname (never null)
 * @param publishAllPorts -P: at create, portBindings gets an ephemeral binding (marked publishAll)
 *     for each port the image exposes that -p does not publish
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HostConfig(
    List<String> binds,
    List<MountSpec> mounts,
    Map<String, String> tmpfs,
    boolean readonlyRootfs,
    Long memory,
    Long memorySwap,
    Long memoryReservation,
    Long nanoCpus,
    Long cpuShares,
    String cpusetCpus,
    String cpusetMems,
    Long pidsLimit,
    Boolean oomKillDisable,
    Integer blkioWeight,
    List<Ulimit> ulimits,
    List<String> capAdd,
    List<String> capDrop,
    boolean privileged,
    List<String> securityOpt,
    Map<String, String> labels,
    String stopSignal,
    Integer stopTimeout,
    LogConfig logConfig,
    List<DeviceMapping> devices,
    List<String> volumesFrom,
    Long shmSize,
    boolean init,
    RestartPolicy restartPolicy,
    String networkMode,
    List<PortBinding> portBindings,
    NameResolution nameResolution,
    boolean publishAllPorts) {

  public static final HostConfig DEFAULT = new HostConfig(null, null, null, false, null, null, null, null,
      null, null, null, null, null, null, null, null, null, false, null, null, null, null, null, null, null, null,
      false, null, null, null, null, false);

  public HostConfig {
    binds = binds == null ? List.of() : List.copyOf(binds);
    mounts = mounts == null ? List.of() : List.copyOf(mounts);
    tmpfs = tmpfs == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(tmpfs));
    ulimits = ulimits == null ? List.of() : List.copyOf(ulimits);
    capAdd = capAdd == null ? List.of() : List.copyOf(capAdd);
    capDrop = capDrop == null ? List.of() : List.copyOf(capDrop);
    securityOpt = securityOpt == null ? List.of() : List.copyOf(securityOpt);
    labels = labels == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(labels));
    devices = devices == null ? List.of() : List.copyOf(devices);
    volumesFrom = volumesFrom == null ? List.of() : List.copyOf(volumesFrom);
    restartPolicy = restartPolicy == null ? RestartPolicy.NO : restartPolicy;
    portBindings = portBindings == null ? List.of() : List.copyOf(portBindings);
    nameResolution = nameResolution == null ? NameResolution.NONE : nameResolution;
  }

  /**
   * What the container's /etc/resolv.conf and /etc/hosts get beyond the defaults (Docker's Dns,
   * DnsSearch, DnsOptions, ExtraHosts of HostConfig and Domainname of Config), checked by
   * {@link org.jocker.engine.network.NameResolutionOptions}.
   *
   * @param extraHosts NAME:IP, IP may be "host-gateway" (resolved at each start)
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record NameResolution(List<String> dns, List<String> dnsSearch, List<String> dnsOptions,
      List<String> extraHosts, String domainname) {
    public static final NameResolution NONE = new NameResolution(null, null, null, null, null);

    public NameResolution {
      dns = dns == null ? List.of() : List.copyOf(dns);
      dnsSearch = dnsSearch == null ? List.of() : List.copyOf(dnsSearch);
      dnsOptions = dnsOptions == null ? List.of() : List.copyOf(dnsOptions);
      extraHosts = extraHosts == null ? List.of() : List.copyOf(extraHosts);
      domainname = domainname == null ? "" : domainname;
    }

    /** The same with other extra hosts (host-gateway resolved). */
    public NameResolution withExtraHosts(List<String> hosts) {
      return new NameResolution(dns, dnsSearch, dnsOptions, hosts, domainname);
    }
  }

  /**
   * A -p: the container's port and protocol (tcp or udp), published on the host's address
   * (empty: every address) and port (null: an ephemeral one).
   *
   * @param hostPortEnd with a host range for one container port (8000-8010:80), its last port: the
   *     first free one of the range is taken at start (null otherwise)
   * @param publishAll made by -P for an exposed port (not one of HostConfig.PortBindings)
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record PortBinding(String hostIp, Integer hostPort, int containerPort, String protocol,
      Integer hostPortEnd, boolean publishAll) {
    public PortBinding {
      hostIp = hostIp == null ? "" : hostIp;
      protocol = protocol == null ? "tcp" : protocol;
    }

    public PortBinding(String hostIp, Integer hostPort, int containerPort, String protocol) {
      this(hostIp, hostPort, containerPort, protocol, null, false);
    }

    /** The host port as Docker shows it in PortBindings: "8080", "8000-8010", "" for an ephemeral one. */
    public String shownHostPort() {
      return hostPort == null ? "" : hostPortEnd == null ? hostPort.toString() : hostPort + "-" + hostPortEnd;
    }

    /** Docker's key of the container's side: 80/tcp. */
    public String portKey() {
      return containerPort + "/" + protocol;
    }
  }

  /** Docker's LogConfig: the driver (json-file or none) and its options (max-size, max-file). */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record LogConfig(String type, Map<String, String> config) {
    public LogConfig {
      config = config == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(config));
    }
  }

  /** A --device: a host device node, its path in the container, and the cgroup access (r, w, m). */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record DeviceMapping(String pathOnHost, String pathInContainer, String cgroupPermissions) {}

  /**
   * A --mount: type bind, volume or tmpfs; source is empty for tmpfs and anonymous volumes;
   * noCopy (volume-nocopy) keeps a new volume empty instead of filling it from the image.
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record MountSpec(String type, String source, String target, boolean readOnly, Long tmpfsSize,
      Integer tmpfsMode, boolean noCopy) {}

  /** A --ulimit: name as Docker spells it (nofile), soft and hard values. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Ulimit(String name, long soft, long hard) {}

  /** The same options with another log config. */
  public HostConfig withLogConfig(LogConfig log) {
    return new HostConfig(binds, mounts, tmpfs, readonlyRootfs, memory, memorySwap, memoryReservation, nanoCpus,
        cpuShares, cpusetCpus, cpusetMems, pidsLimit, oomKillDisable, blkioWeight, ulimits, capAdd, capDrop,
        privileged, securityOpt, labels, stopSignal, stopTimeout, log, devices, volumesFrom, shmSize, init,
        restartPolicy, networkMode, portBindings, nameResolution, publishAllPorts);
  }

  /** The same options with another network mode (the default resolved at create). */
  public HostConfig withNetworkMode(String mode) {
    return new HostConfig(binds, mounts, tmpfs, readonlyRootfs, memory, memorySwap, memoryReservation, nanoCpus,
        cpuShares, cpusetCpus, cpusetMems, pidsLimit, oomKillDisable, blkioWeight, ulimits, capAdd, capDrop,
        privileged, securityOpt, labels, stopSignal, stopTimeout, logConfig, devices, volumesFrom, shmSize, init,
        restartPolicy, mode, portBindings, nameResolution, publishAllPorts);
  }

  /** The same options with other port bindings (-P's added at create). */
  public HostConfig withPortBindings(List<PortBinding> bindings) {
    return new HostConfig(binds, mounts, tmpfs, readonlyRootfs, memory, memorySwap, memoryReservation, nanoCpus,
        cpuShares, cpusetCpus, cpusetMems, pidsLimit, oomKillDisable, blkioWeight, ulimits, capAdd, capDrop,
        privileged, securityOpt, labels, stopSignal, stopTimeout, logConfig, devices, volumesFrom, shmSize, init,
        restartPolicy, networkMode, bindings, nameResolution, publishAllPorts);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** For callers of the Java API: the fields they set, the rest unset. */
  public static final class Builder {
    public List<String> binds = new java.util.ArrayList<>();
    public List<MountSpec> mounts = new java.util.ArrayList<>();
    public Map<String, String> tmpfs = new java.util.LinkedHashMap<>();
    public boolean readonlyRootfs;
    public Long memory;
    public Long memorySwap;
    public Long memoryReservation;
    public Long nanoCpus;
    public Long cpuShares;
    public String cpusetCpus;
    public String cpusetMems;
    public Long pidsLimit;
    public Boolean oomKillDisable;
    public Integer blkioWeight;
    public List<Ulimit> ulimits = new java.util.ArrayList<>();
    public List<String> capAdd = new java.util.ArrayList<>();
    public List<String> capDrop = new java.util.ArrayList<>();
    public boolean privileged;
    public List<String> securityOpt = new java.util.ArrayList<>();
    public Map<String, String> labels = new java.util.LinkedHashMap<>();
    public String stopSignal;
    public Integer stopTimeout;
    public LogConfig logConfig;
    public List<DeviceMapping> devices = new java.util.ArrayList<>();
    public List<String> volumesFrom = new java.util.ArrayList<>();
    public Long shmSize;
    public boolean init;
    public RestartPolicy restartPolicy;
    public String networkMode;
    public List<PortBinding> portBindings = new java.util.ArrayList<>();
    public NameResolution nameResolution;
    public boolean publishAllPorts;

    public HostConfig build() {
      return new HostConfig(binds, mounts, tmpfs, readonlyRootfs, memory, memorySwap, memoryReservation, nanoCpus,
          cpuShares, cpusetCpus, cpusetMems, pidsLimit, oomKillDisable, blkioWeight, ulimits, capAdd, capDrop,
          privileged, securityOpt, labels, stopSignal, stopTimeout, logConfig, devices, volumesFrom, shmSize, init,
          restartPolicy, networkMode, portBindings, nameResolution, publishAllPorts);
    }
  }
}
