package org.jocker.cli.container;

import org.jocker.cli.CommandGroup;
import picocli.CommandLine.Command;

/** `jocker container ...`: the container commands under one name, as Docker groups them. */
@Command(name = "container", description = "Manage containers.",
    subcommands = {RunCommand.class, AttachCommand.class, CreateCommand.class, StartCommand.class, StopCommand.class,
        RestartCommand.class, KillCommand.class, WaitCommand.class, PauseCommand.class, UnpauseCommand.class,
        RenameCommand.class, LogsCommand.class, RmCommand.class, InspectCommand.class, ContainerPruneCommand.class, DiffCommand.class,
        ExportCommand.class, CommitCommand.class, ExecCommand.class, TopCommand.class, StatsCommand.class,
        CpCommand.class, PortCommand.class, CleanupCommand.class})
public final class ContainerCommand extends CommandGroup {}
