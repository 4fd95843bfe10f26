package org.jocker.cli.container;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jocker.engine.spec.Devices;
import org.jocker.engine.container.HostConfig;
import org.jocker.engine.spec.HostConfigParser;
import org.jocker.engine.spec.LogSettings;
import org.jocker.engine.container.RestartPolicy;
import org.jocker.engine.network.NameResolutionOptions;
import org.jocker.engine.network.PortSpecs;
import org.jocker.cli.session.Session;
import picocli.CommandLine.Option;

/**
 * The options of `run` and `create` that make a {@link HostConfig} (mounts, resources, security,
 * labels, stop signal), used as a picocli mixin. Values are kept as text and parsed by
 * {@link HostConfigParser} so errors have Docker's words and exit code 125.
 */
public final class HostConfigOptions {
  @Option(names = {"-v", "--volume"}, paramLabel = "[SRC:]DST[:MODE]",
      description = "Bind mount a host path (absolute) or mount a named volume.")
  List<String> volumes = new ArrayList<>();
  @Option(names = "--mount", paramLabel = "type=bind|volume|tmpfs,source=...,target=...[,readonly]",
      description = "Attach a filesystem mount.")
  List<String> mounts = new ArrayList<>();
  @Option(names = "--tmpfs", paramLabel = "PATH[:OPTIONS]", description = "Mount a tmpfs.")
  List<String> tmpfs = new ArrayList<>();
  @Option(names = "--read-only", description = "Mount the root filesystem read-only.") boolean readOnly;
  @Option(names = "--volumes-from", paramLabel = "CONTAINER[:ro|rw]",
      description = "Mount volumes from the specified container(s).")
  List<String> volumesFrom = new ArrayList<>();
  @Option(names = "--shm-size", description = "Size of /dev/shm (default 64m).") String shmSize;
  @Option(names = "--device", paramLabel = "HOST[:CONTAINER][:rwm]", description = "Add a host device to the container.")
  List<String> devices = new ArrayList<>();

  @Option(names = {"-m", "--memory"}, description = "Memory limit (b, k, m, g).") String memory;
  @Option(names = "--memory-swap", description = "Memory plus swap limit; -1 for unlimited swap.") String memorySwap;
  @Option(names = "--memory-reservation", description = "Memory soft limit.") String memoryReservation;
  @Option(names = "--cpus", description = "Number of CPUs.") String cpus;
  @Option(names = {"-c", "--cpu-shares"}, description = "CPU shares (relative weight).") Long cpuShares;
  @Option(names = "--cpuset-cpus", description = "CPUs in which to allow execution (0-3, 0,1).") String cpusetCpus;
  @Option(names = "--cpuset-mems", description = "Memory nodes in which to allow execution.") String cpusetMems;
  @Option(names = "--pids-limit", description = "Tune the container's pids limit (-1 for unlimited).") Long pidsLimit;
  @Option(names = "--oom-kill-disable", description = "Disable the OOM killer.") boolean oomKillDisable;
  @Option(names = "--blkio-weight", description = "Block IO weight (10 to 1000).") Integer blkioWeight;
  @Option(names = "--ulimit", paramLabel = "NAME=SOFT[:HARD]", description = "Ulimit options.")
  List<String> ulimits = new ArrayList<>();

  @Option(names = "--cap-add", description = "Add Linux capabilities.") List<String> capAdd = new ArrayList<>();
  @Option(names = "--cap-drop", description = "Drop Linux capabilities.") List<String> capDrop = new ArrayList<>();
  @Option(names = "--privileged", description = "Give extended privileges to this container.") boolean privileged;
  @Option(names = "--security-opt", description = "Security options (seccomp=unconfined|PROFILE, no-new-privileges).")
  List<String> securityOpt = new ArrayList<>();

  @Option(names = "--env-file", description = "Read in a file of environment variables.")
  List<String> envFiles = new ArrayList<>();
  @Option(names = {"-l", "--label"}, description = "Set meta data on a container.") List<String> labels = new ArrayList<>();
  @Option(names = "--label-file", description = "Read in a line delimited file of labels.")
  List<String> labelFiles = new ArrayList<>();
  @Option(names = "--stop-signal", description = "Signal to stop the container.") String stopSignal;
  @Option(names = "--stop-timeout", description = "Timeout (in seconds) to stop a container.") Integer stopTimeout;
  @Option(names = "--log-driver", description = "Logging driver for the container (json-file, none).") String logDriver;
  @Option(names = "--log-opt", paramLabel = "KEY=VALUE", description = "Log driver options (max-size, max-file).")
  List<String> logOpts = new ArrayList<>();
  @Option(names = "--init", description = "Run an init inside the container that forwards signals and reaps processes.")
  boolean init;
  @Option(names = "--restart", paramLabel = "no|on-failure[:N]|always|unless-stopped",
      description = "Restart policy to apply when a container exits (default: no).") String restart;

  @Option(names = {"--network", "--net"}, paramLabel = "bridge|host|none",
      description = "Connect the container to a network (default: bridge).") String network;
  @Option(names = {"-p", "--publish"}, paramLabel = "[IP:][HOST_PORT:]PORT[/PROTO]",
      description = "Publish a container's port to the host.") List<String> publish = new ArrayList<>();
  @Option(names = {"-P", "--publish-all"}, description = "Publish all exposed ports to random host ports.")
  boolean publishAll;
  @Option(names = "--dns", description = "Set custom DNS servers.") List<String> dns = new ArrayList<>();
  @Option(names = "--dns-search", description = "Set custom DNS search domains.") List<String> dnsSearch = new ArrayList<>();
  @Option(names = {"--dns-option", "--dns-opt"}, description = "Set DNS options.") List<String> dnsOptions = new ArrayList<>();
  @Option(names = "--add-host", paramLabel = "HOST:IP", description = "Add a custom host-to-IP mapping (host:ip).")
  List<String> addHosts = new ArrayList<>();
  @Option(names = "--domainname", description = "Container NIS domain name.") String domainname;

  /** The HostConfig these options describe; throws EngineException (an invalid argument) on bad values. */
  public HostConfig hostConfig() {
    Map<String, String> tmpfsMap = new LinkedHashMap<>();
    tmpfs.forEach(t -> HostConfigParser.tmpfs(t, tmpfsMap));
    return new HostConfig(volumes, mounts.stream().map(HostConfigParser::mount).toList(), tmpfsMap, readOnly,
        HostConfigParser.size("-m, --memory", memory), HostConfigParser.swap("--memory-swap", memorySwap),
        HostConfigParser.size("--memory-reservation", memoryReservation), HostConfigParser.nanoCpus(cpus),
        cpuShares, cpusetCpus, cpusetMems, pidsLimit, oomKillDisable ? Boolean.TRUE : null, blkioWeight,
        ulimits.stream().map(HostConfigParser::ulimit).toList(), capAdd, capDrop, privileged, securityOpts(),
        HostConfigParser.labels(callerPaths(labelFiles), labels), stopSignal, stopTimeout,
        LogSettings.parse(logDriver, logOpts), devices.stream().map(Devices::parse).toList(), volumesFrom,
        HostConfigParser.size("--shm-size", shmSize), init, RestartPolicy.parse(restart), network,
        PortSpecs.parse(publish),
        NameResolutionOptions.parse(dns, dnsSearch, dnsOptions, addHosts, domainname), publishAll);
  }

  /**
   * The --env-file entries followed by the -e ones (later ones win, as in Docker); a bare NAME
   * takes the caller's value, or is dropped if the caller has none.
   */
  public List<String> env(List<String> env) {
    List<String> all = new ArrayList<>();
    envFiles.forEach(f -> all.addAll(HostConfigParser.lines("--env-file", Session.current().path(f))));
    all.addAll(env);
    return callerEnv(all);
  }

  /** NAME entries resolved with the caller's environment (the session's, not this JVM's). */
  public static List<String> callerEnv(List<String> entries) {
    Map<String, String> caller = Session.current().env();
    List<String> out = new ArrayList<>();
    for (String e : entries) {
      if (e.contains("=")) {
        out.add(e);
      } else if (caller.get(e) != null) {
        out.add(e + "=" + caller.get(e));
      }
    }
    return out;
  }

  /** File arguments are the caller's: relative ones resolve against its working directory. */
  private static List<String> callerPaths(List<String> files) {
    return files.stream().map(f -> Session.current().path(f).toString()).toList();
  }

  /** seccomp=FILE with FILE resolved against the caller's working directory. */
  private List<String> securityOpts() {
    return securityOpt.stream().map(o -> {
      String[] kv = o.split("[=:]", 2);
      boolean file = kv[0].equals("seccomp") && kv.length == 2 && !kv[1].isEmpty() && !kv[1].equals("unconfined");
      return file ? kv[0] + "=" + Session.current().path(kv[1]) : o;
    }).toList();
  }
}
