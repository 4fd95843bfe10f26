package org.jocker.cli.volume;

import org.jocker.cli.CommandGroup;
import picocli.CommandLine.Command;

/** `jocker volume ...`: local volumes under ROOT/volumes. */
@Command(name = "volume", description = "Manage volumes.",
    subcommands = {VolumeCreateCommand.class, VolumeLsCommand.class, VolumeInspectCommand.class,
        VolumeRmCommand.class, VolumePruneCommand.class})
public final class VolumeCommand extends CommandGroup {}
