package org.jocker.cli.system;

import org.jocker.cli.CommandGroup;
import picocli.CommandLine.Command;

/** `jocker system ...`. */
@Command(name = "system", description = "Manage Jocker.", subcommands = {DfCommand.class, SystemPruneCommand.class})
public final class SystemCommand extends CommandGroup {}
