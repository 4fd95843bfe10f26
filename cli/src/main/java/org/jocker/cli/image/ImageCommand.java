package org.jocker.cli.image;

import java.util.concurrent.Callable;
import org.jocker.cli.CommandGroup;
import org.jocker.cli.ExitCodes;
import org.jocker.cli.JockerCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** `jocker image ...`: the image commands under one name, as Docker groups them. */
@Command(name = "image", description = "Manage images.",
    subcommands = {InspectCommand.class, HistoryCommand.class, TagCommand.class, ImagePruneCommand.class, LoadCommand.class, SaveCommand.class, ImportCommand.class})
public final class ImageCommand implements Callable<Integer>, CommandGroup {
  @ParentCommand JockerCommand jocker;
  @Spec CommandSpec spec;

  @Override
  public JockerCommand jocker() {
    return jocker;
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(System.err);
    return ExitCodes.USAGE;
  }
}
