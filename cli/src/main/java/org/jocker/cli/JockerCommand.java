package org.jocker.cli;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jocker.cli.container.AttachCommand;
import org.jocker.cli.container.CommitCommand;
import org.jocker.cli.container.CreateCommand;
import org.jocker.cli.container.KillCommand;
import org.jocker.cli.container.LogsCommand;
import org.jocker.cli.container.PauseCommand;
import org.jocker.cli.container.RenameCommand;
import org.jocker.cli.container.RestartCommand;
import org.jocker.cli.container.StartCommand;
import org.jocker.cli.container.StopCommand;
import org.jocker.cli.container.UnpauseCommand;
import org.jocker.cli.container.WaitCommand;
import org.jocker.cli.container.ContainerCommand;
import org.jocker.cli.container.CpCommand;
import org.jocker.cli.container.ExecCommand;
import org.jocker.cli.container.InspectCommand;
import org.jocker.cli.container.PortCommand;
import org.jocker.cli.container.StatsCommand;
import org.jocker.cli.container.TopCommand;
import org.jocker.cli.container.DiffCommand;
import org.jocker.cli.container.ExportCommand;
import org.jocker.cli.container.PsCommand;
import org.jocker.cli.container.RmCommand;
import org.jocker.cli.container.RunCommand;
import org.jocker.cli.image.BuildCommand;
import org.jocker.cli.image.HistoryCommand;
import org.jocker.cli.image.ImageCommand;
import org.jocker.cli.image.ImagesCommand;
import org.jocker.cli.image.ImportCommand;
import org.jocker.cli.image.LoadCommand;
import org.jocker.cli.image.LoginCommand;
import org.jocker.cli.image.LogoutCommand;
import org.jocker.cli.image.PullCommand;
import org.jocker.cli.image.PushCommand;
import org.jocker.cli.image.SaveCommand;
import org.jocker.cli.image.RmiCommand;
import org.jocker.cli.image.TagCommand;
import org.jocker.cli.network.NetworkCommand;
import org.jocker.cli.runtime.RuntimeCommand;
import org.jocker.cli.server.EngineCommand;
import org.jocker.cli.session.Session;
import org.jocker.cli.builder.BuilderCommand;
import org.jocker.cli.system.SystemCommand;
import org.jocker.cli.volume.VolumeCommand;
import org.jocker.engine.Engine;
import org.jocker.engine.lifecycle.ExitCommand;
import org.jocker.engine.network.BridgeOptions;
import org.jocker.images.RegistryAccess;
import org.jocker.images.RegistryCaller;
import org.jocker.images.RegistryUser;
import org.jocker.runtime.CgroupDriver;
import org.jocker.runtime.ContainerRuntime;
import org.jocker.runtime.kernel.LinuxKernel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `jocker`: the Docker-compatible front end. Subcommands are added as their issues land. */
@Command(
    name = "jocker",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "A container engine: Docker's commands on the same kernel parts.",
    subcommands = {RunCommand.class, AttachCommand.class, PsCommand.class, RmCommand.class, DiffCommand.class, ExportCommand.class,
        CommitCommand.class, BuildCommand.class, ImagesCommand.class, ImageCommand.class, TagCommand.class,
        RmiCommand.class, HistoryCommand.class, PullCommand.class, PushCommand.class, LoadCommand.class, SaveCommand.class, ImportCommand.class,
        SystemCommand.class, BuilderCommand.class, VolumeCommand.class, RuntimeCommand.class, CreateCommand.class, StartCommand.class,
        StopCommand.class, RestartCommand.class, KillCommand.class, WaitCommand.class, PauseCommand.class,
        UnpauseCommand.class, RenameCommand.class, LogsCommand.class, ContainerCommand.class, InspectCommand.class,
        ExecCommand.class, TopCommand.class, StatsCommand.class, CpCommand.class, PortCommand.class,
        LoginCommand.class, LogoutCommand.class, NetworkCommand.class, EngineCommand.class})
public final class JockerCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--root", description = "Where images and containers live (default: ${DEFAULT-VALUE}).")
  Path root = Path.of("/var/lib/jocker");

  @Option(names = {"-D", "--debug"}, description = "Show stack traces of errors.")
  boolean debug;

  @Option(names = "--cgroup-manager", paramLabel = "systemd|cgroupfs", converter = CgroupManagerOption.class,
      description = "Who makes new containers' cgroups: systemd (a scope per container) or cgroupfs"
          + " (default: systemd where systemd runs, else cgroupfs).")
  CgroupDriver cgroupManager;

  @Option(names = "--config", paramLabel = "DIR",
      description = "Where the client's config.json (registry credentials) is (default: $DOCKER_CONFIG, else ~/.docker).")
  Path clientConfig;

  @Option(names = "--config-file", paramLabel = "FILE",
      description = "The engine's configuration (registry-mirrors, insecure-registries; certs.d beside it)"
          + " (default: ${DEFAULT-VALUE}).")
  Path configFile = RegistryAccess.DEFAULT_CONFIG_FILE;

  @Option(names = {"-b", "--bridge"}, paramLabel = "NAME|none",
      description = "The Linux bridge of the default network; none: containers default to --network none"
          + " (default: jocker0).")
  String bridge;

  @Option(names = "--bip", paramLabel = "CIDR",
      description = "The bridge's address and subnet, e.g. 172.17.0.1/16 (default: the first of Docker's pools"
          + " that no route uses, chosen on first use and kept).")
  String bip;

  private Engine engine;

  /** The engine over --root; runtime state goes to /run/jocker, or ROOT/run with a custom root. */
  public Engine engine() {
    if (engine == null) {
      Path root = Session.current().path(this.root.toString()); // a relative --root is the caller's
      Path runRoot = root.equals(Path.of("/var/lib/jocker")) ? Path.of("/run/jocker") : root.resolve("run");
      engine = Engine.open(root, runRoot, new LinuxKernel(), ContainerRuntime.launcherBinary(),
          cgroupManager != null ? cgroupManager : CgroupDriver.hostDefault());
      Path self = root;
      engine.exitCommand(() -> new ExitCommand(SelfCommand.argv(self))); // containers call us back when they exit
      engine.bridge(new BridgeOptions(bridge, bip));
    }
    return engine;
  }

  /** --root, resolved against the caller's directory. */
  public Path rootDirectory() {
    return Session.current().path(root.toString());
  }

  /** --config-file, resolved against the caller's directory (the engine's daemon.json). */
  public Path configFile() {
    return Session.current().path(configFile.toString());
  }

  /** How registries are reached, from --config-file (read afresh: the engine may be resident). */
  public RegistryAccess registries() {
    return RegistryAccess.open(Session.current().path(configFile.toString()));
  }

  /** The caller's registry credentials: --config, else the caller's $DOCKER_CONFIG or ~/.docker. */
  public RegistryUser registryUser() {
    Session session = Session.current();
    return RegistryUser.of(Optional.ofNullable(clientConfig), session.env(), session.cwd());
  }

  /** Both of the above: who pulls or pushes, and how registries are reached. */
  public RegistryCaller registryCaller() {
    return new RegistryCaller(registries(), registryUser());
  }

  /** Forgets the engine of the last command (its --root), before the model serves another. */
  public void reset() {
    engine = null;
  }

  public boolean debug() {
    return debug;
  }

  /** The top command, from a subcommand's parent (itself, or a group like `image` under it). */
  public static JockerCommand of(Object parent) {
    if (parent instanceof JockerCommand j) {
      return j;
    }
    if (parent instanceof CommandGroup g) {
      return g.jocker();
    }
    throw new IllegalStateException("not under jocker: " + parent);
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(System.err);
    return ExitCodes.USAGE;
  }
}
