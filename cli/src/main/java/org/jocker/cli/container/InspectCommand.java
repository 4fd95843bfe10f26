package org.jocker.cli.container;

import java.util.List;
import java.util.concurrent.Callable;
import org.jocker.cli.ExitCodes;
import org.jocker.cli.JockerCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** Top-level `inspect` (containers, then images) and `container inspect` (containers only). */
@Command(name = "inspect", description = "Return low-level information on containers or images.")
public final class InspectCommand implements Callable<Integer> {
  @ParentCommand Object parent;
  @Parameters(arity = "1..*", paramLabel = "NAME|ID") List<String> names;
  @Option(names = {"-f", "--format"}, description = "Format the output using the given Go template.") String format;
  @Option(names = "--type", description = "Only this type of object: container or image.") String type;
  @Option(names = {"-s", "--size"}, description = "Display total file sizes of containers (SizeRw, SizeRootFs).") boolean size;

  @Override
  public Integer call() {
    JockerCommand jocker = JockerCommand.of(parent);
    String only = type;
    if (!(parent instanceof JockerCommand)) {
      only = "container"; // `container inspect`
    }
    if (only != null && !only.equals("container") && !only.equals("image")) {
      System.err.println("\"" + only + "\" is not a valid value for --type");
      return ExitCodes.RUNTIME_ERROR;
    }
    return Inspection.inspect(jocker, names, only, format, size);
  }
}
