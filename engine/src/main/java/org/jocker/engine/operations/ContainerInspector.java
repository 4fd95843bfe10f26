package org.jocker.engine.operations;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jocker.engine.container.ContainerRecord;
import org.jocker.engine.container.ContainerStates;
import org.jocker.engine.container.ContainerStore;
import org.jocker.engine.container.HostConfig;
import org.jocker.engine.container.RestartState;
import org.jocker.engine.container.RestartStates;
import org.jocker.engine.network.ContainerNetworking;
import org.jocker.engine.network.EtcFiles;
import org.jocker.engine.network.NetworkMode;
import org.jocker.engine.network.NetworkSettings;
import org.jocker.engine.spec.InitBinary;
import org.jocker.engine.spec.LogSettings;
import org.jocker.images.ImageService;
import org.jocker.images.digest.Digest;
import org.jocker.images.manifest.ImageConfig;
import org.jocker.images.snapshot.Mount;
import org.jocker.runtime.ContainerRuntime;
import org.jocker.runtime.spec.Spec;
import org.jocker.runtime.state.ContainerNotFoundException;
import org.jocker.runtime.state.ContainerState;

/**
 * `inspect` of a container in Docker's JSON shape: the fields users read (State, Config,
 * HostConfig, GraphDriver, ...), from the engine's record, the bundle's config.json, the runtime's
 * state and the container's cgroup.
 */
public final class ContainerInspector {
  /** Docker's zero time, for StartedAt/FinishedAt that never happened. */
  public static final String ZERO_TIME = "0001-01-01T00:00:00Z";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ImageService images;
  private final ContainerRuntime runtime;
  private final ContainerStore containers;
  private final ContainerStates states;
  private final RestartStates restartStates;
  private final ContainerNetworking networking;

  public ContainerInspector(ImageService images, ContainerRuntime runtime, ContainerStore containers,
      ContainerStates states, RestartStates restartStates, ContainerNetworking networking) {
    this.networking = networking;
    this.images = images;
    this.runtime = runtime;
    this.containers = containers;
    this.states = states;
    this.restartStates = restartStates;
  }

  /** The container's state in Docker's words, with what `inspect` shows of it. */
  public record Status(String status, int pid, int exitCode, String startedAt, String finishedAt,
      boolean oomKilled) {
    public boolean running() {
      return status.equals("running") || status.equals("paused");
    }
  }

  public Status status(ContainerRecord r) {
    String id = r.id();
    ContainerState s;
    try {
      s = runtime.state(id);
    } catch (ContainerNotFoundException e) {
      return new Status(states.state(r, null), 0, 0, ZERO_TIME, ZERO_TIME, false);
    }
    String status = states.state(r, s);
    boolean oom = false;
    try {
      oom = runtime.oomKillCount(id) > 0;
    } catch (RuntimeException e) {
      // no cgroup left: nothing to tell
    }
    String started = status.equals("created") || s.created() == null ? ZERO_TIME : s.created();
    String finished = ZERO_TIME;
    int code = 0;
    if (s.exitStatus() != null) {
      code = s.exitStatus().code();
      finished = Instant.ofEpochSecond(0, s.exitStatus().finishedNanos()).toString();
    }
    return new Status(status, status.equals("running") || status.equals("paused") ? s.pid() : 0, code,
        started, finished, oom);
  }

  /** The config.json the engine wrote for the container (null if it never got that far). */
  public Spec spec(String id) {
    Path config = containers.bundle(id).resolve("config.json");
    try {
      return JSON.readValue(config.toFile(), Spec.class);
    } catch (IOException e) {
      return null;
    }
  }

  public ObjectNode inspect(ContainerRecord r) {
    Spec spec = spec(r.id());
    Spec.Process process = spec == null ? null : spec.process();
    List<String> args = process != null && process.args() != null ? process.args() : r.args();
    if (r.hostConfig().init()) {
      args = InitBinary.unwrap(args); // Docker shows the command, not the init that runs it
    }
    ImageConfig.ContainerConfig img = imageConfig(r);
    Status st = status(r);
    RestartState restart = restartStates.load(r.id());

    ObjectNode o = JSON.createObjectNode();
    o.put("Id", r.id());
    o.put("Created", r.created());
    o.put("Path", args.isEmpty() ? "" : args.get(0));
    o.set("Args", JSON.valueToTree(args.isEmpty() ? List.of() : args.subList(1, args.size())));

    ObjectNode state = o.putObject("State");
    state.put("Status", st.status());
    boolean restarting = st.status().equals("restarting");
    state.put("Running", st.running() || restarting); // Docker's: a container waiting to restart is running
    state.put("Paused", st.status().equals("paused"));
    state.put("Restarting", restarting);
    state.put("OOMKilled", st.oomKilled());
    state.put("Dead", false);
    state.put("Pid", st.pid());
    state.put("ExitCode", st.exitCode());
    state.put("Error", restart.error() == null ? "" : restart.error());
    state.put("StartedAt", st.startedAt());
    state.put("FinishedAt", st.finishedAt());

    o.put("Image", r.image());
    boolean etcFiles = java.nio.file.Files.exists(containers.dir(r.id()).resolve(EtcFiles.HOSTS));
    o.put("ResolvConfPath", etcFiles ? containers.dir(r.id()).resolve(EtcFiles.RESOLV_CONF).toString() : "");
    o.put("HostnamePath", etcFiles ? containers.dir(r.id()).resolve(EtcFiles.HOSTNAME).toString() : "");
    o.put("HostsPath", etcFiles ? containers.dir(r.id()).resolve(EtcFiles.HOSTS).toString() : "");
    o.put("LogPath", "");
    o.put("Name", "/" + r.name());
    o.put("RestartCount", restart.restartCount());
    o.put("Driver", "overlay");
    o.put("Platform", "linux");
    o.put("MountLabel", "");
    o.put("ProcessLabel", "");
    o.put("AppArmorProfile", "");
    o.set("ExecIDs", null);
    o.set("HostConfig", hostConfig(r, spec));
    o.set("GraphDriver", graphDriver(r.id()));
    o.putArray("Mounts");
    o.set("Config", config(r, spec, img));
    o.set("NetworkSettings", NetworkSettings.of(r, st.running() ? networking.endpoints(r.id()) : java.util.List.of()));
    return o;
  }

  private ImageConfig.ContainerConfig imageConfig(ContainerRecord r) {
    try {
      return images.catalog().find(Digest.parse(r.image()))
          .map(i -> images.config(i).value().config()).orElse(null);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private ObjectNode hostConfig(ContainerRecord r, Spec spec) {
    ObjectNode h = JSON.createObjectNode();
    Spec.Resources res = spec == null || spec.linux() == null ? null : spec.linux().resources();
    h.set("Binds", null);
    h.put("ContainerIDFile", "");
    HostConfig hc = r.hostConfig();
    ObjectNode log = h.putObject("LogConfig");
    HostConfig.LogConfig logConfig = hc.logConfig();
    log.put("Type", logConfig == null ? LogSettings.JSON_FILE : logConfig.type());
    log.set("Config", JSON.valueToTree(logConfig == null ? Map.of() : logConfig.config()));
    // The network's name (a user-defined one's too); a record from before networking: none.
    h.put("NetworkMode", hc.networkMode() != null ? hc.networkMode() : NetworkMode.NONE.dockerName());
    h.set("PortBindings", NetworkSettings.portBindings(hc.portBindings()));
    ObjectNode restart = h.putObject("RestartPolicy");
    restart.put("Name", r.hostConfig().restartPolicy().name());
    restart.put("MaximumRetryCount", r.hostConfig().restartPolicy().maximumRetryCount());
    h.put("AutoRemove", r.autoRemove());
    h.set("CapAdd", null);
    h.set("CapDrop", null);
    h.put("IpcMode", "private");
    h.put("PidMode", "");
    h.put("Privileged", false);
    h.put("PublishAllPorts", hc.publishAllPorts());
    HostConfig.NameResolution names = hc.nameResolution();
    h.set("Dns", JSON.valueToTree(names.dns()));
    h.set("DnsOptions", JSON.valueToTree(names.dnsOptions()));
    h.set("DnsSearch", JSON.valueToTree(names.dnsSearch()));
    h.set("ExtraHosts", names.extraHosts().isEmpty() ? null : JSON.valueToTree(names.extraHosts()));
    h.put("ReadonlyRootfs", spec != null && spec.root() != null && Boolean.TRUE.equals(spec.root().readonly()));
    h.put("UTSMode", "");
    h.put("ShmSize", hc.shmSize() != null && hc.shmSize() > 0 ? hc.shmSize() : 67108864);
    h.set("VolumesFrom", hc.volumesFrom().isEmpty() ? null : JSON.valueToTree(hc.volumesFrom()));
    ArrayNode devices = h.putArray("Devices");
    for (HostConfig.DeviceMapping d : hc.devices()) {
      ObjectNode dev = devices.addObject();
      dev.put("PathOnHost", d.pathOnHost());
      dev.put("PathInContainer", d.pathInContainer());
      dev.put("CgroupPermissions", d.cgroupPermissions());
    }
    h.put("Init", hc.init());
    h.put("Runtime", "jocker");
    Spec.Memory mem = res == null ? null : res.memory();
    Spec.Cpu cpu = res == null ? null : res.cpu();
    h.put("Memory", mem != null && mem.limit() != null && mem.limit() > 0 ? mem.limit() : 0);
    h.put("MemoryReservation", mem != null && mem.reservation() != null ? mem.reservation() : 0);
    h.put("MemorySwap", mem != null && mem.swap() != null ? mem.swap() : 0);
    long nanoCpus = 0;
    if (cpu != null && cpu.quota() != null && cpu.quota() > 0 && cpu.period() != null && cpu.period() > 0) {
      nanoCpus = cpu.quota() * 1_000_000_000L / cpu.period();
    }
    h.put("NanoCpus", nanoCpus);
    h.put("CpuShares", cpu != null && cpu.shares() != null ? cpu.shares() : 0);
    h.put("CpuPeriod", 0);
    h.put("CpuQuota", 0);
    h.put("CpusetCpus", cpu != null && cpu.cpus() != null ? cpu.cpus() : "");
    h.put("CpusetMems", cpu != null && cpu.mems() != null ? cpu.mems() : "");
    if (res != null && res.pids() != null && res.pids().limit() > 0) {
      h.put("PidsLimit", res.pids().limit());
    } else {
      h.set("PidsLimit", null);
    }
    h.put("OomKillDisable", mem != null && Boolean.TRUE.equals(mem.disableOOMKiller()));
    List<String> masked = spec == null || spec.linux() == null ? null : spec.linux().maskedPaths();
    List<String> readonly = spec == null || spec.linux() == null ? null : spec.linux().readonlyPaths();
    h.set("MaskedPaths", JSON.valueToTree(masked));
    h.set("ReadonlyPaths", JSON.valueToTree(readonly));
    return h;
  }

  private ObjectNode graphDriver(String id) {
    ObjectNode g = JSON.createObjectNode();
    g.put("Name", "overlay");
    ObjectNode data = g.putObject("Data");
    try {
      Mount m = images.rootfsMount(id);
      for (String opt : m.options()) {
        int eq = opt.indexOf('=');
        if (eq < 0) {
          continue;
        }
        String key = opt.substring(0, eq);
        String value = opt.substring(eq + 1);
        switch (key) {
          case "lowerdir" -> data.put("LowerDir", value);
          case "upperdir" -> data.put("UpperDir", value);
          case "workdir" -> data.put("WorkDir", value);
          default -> { }
        }
      }
    } catch (RuntimeException e) {
      // a container whose snapshot is gone (being removed)
    }
    data.put("MergedDir", containers.bundle(id).resolve("rootfs").toString());
    return g;
  }

  private ObjectNode config(ContainerRecord r, Spec spec, ImageConfig.ContainerConfig img) {
    ObjectNode c = JSON.createObjectNode();
    Spec.Process p = spec == null ? null : spec.process();
    List<String> args = p != null && p.args() != null ? p.args() : r.args();
    if (r.hostConfig().init()) {
      args = InitBinary.unwrap(args);
    }
    List<String> entrypoint = img == null ? null : img.entrypoint();
    List<String> cmd;
    if (entrypoint != null && !entrypoint.isEmpty() && args.size() >= entrypoint.size()
        && args.subList(0, entrypoint.size()).equals(entrypoint)) {
      cmd = args.subList(entrypoint.size(), args.size());
    } else {
      entrypoint = null;
      cmd = args;
    }
    c.put("Hostname", spec != null && spec.hostname() != null ? spec.hostname() : r.id().substring(0, 12));
    c.put("Domainname", spec != null && spec.domainname() != null ? spec.domainname() : "");
    c.put("User", user(p, img));
    c.put("AttachStdin", r.openStdin());
    c.put("AttachStdout", true);
    c.put("AttachStderr", true);
    c.put("Tty", p != null && p.isTerminal());
    c.put("OpenStdin", r.openStdin());
    c.put("StdinOnce", r.openStdin());
    c.set("Env", JSON.valueToTree(p != null ? p.envOrEmpty() : List.of()));
    c.set("Cmd", JSON.valueToTree(cmd));
    c.put("Image", r.imageRef());
    c.set("Volumes", null);
    c.put("WorkingDir", p != null && p.cwd() != null && !p.cwd().equals("/") ? p.cwd()
        : img != null && img.workingDir() != null ? img.workingDir() : "");
    c.set("Entrypoint", JSON.valueToTree(entrypoint));
    Map<String, String> labels = img != null && img.labels() != null ? img.labels() : Map.of();
    c.set("Labels", JSON.valueToTree(labels));
    if (img != null && img.stopSignal() != null) {
      c.put("StopSignal", img.stopSignal());
    }
    return c;
  }

  /** The image's User when that is what runs, else the uid:gid the container runs as. */
  private static String user(Spec.Process p, ImageConfig.ContainerConfig img) {
    String imageUser = img == null || img.user() == null ? "" : img.user();
    if (p == null || p.user() == null) {
      return imageUser;
    }
    long uid = p.user().uid() == null ? 0 : p.user().uid();
    long gid = p.user().gid() == null ? 0 : p.user().gid();
    if (!imageUser.isEmpty() || (uid == 0 && gid == 0)) {
      return imageUser;
    }
    return uid + ":" + gid;
  }

  static ArrayNode array() {
    return JSON.createArrayNode();
  }
}
