package org.jocker.cli.image;

import org.jocker.cli.CommandGroup;
import picocli.CommandLine.Command;

/** `jocker image ...`: the image commands under one name, as Docker groups them. */
@Command(name = "image", description = "Manage images.",
    subcommands = {BuildCommand.class, InspectCommand.class, HistoryCommand.class, TagCommand.class, ImagePruneCommand.class, PullCommand.class, PushCommand.class, LoadCommand.class, SaveCommand.class, ImportCommand.class})
public final class ImageCommand extends CommandGroup {}
