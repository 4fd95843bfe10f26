package org.jocker.cli.builder;

import org.jocker.cli.CommandGroup;
import picocli.CommandLine.Command;

/** `jocker builder ...`. */
@Command(name = "builder", description = "Manage builds.", subcommands = {BuilderPruneCommand.class})
public final class BuilderCommand extends CommandGroup {}
