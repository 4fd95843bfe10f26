package org.jocker.cli.image;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jocker.cli.EngineErrors;
import org.jocker.cli.JockerCommand;
import org.jocker.cli.format.InspectOutput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "inspect", description = "Show details of one or more images as JSON.")
public final class InspectCommand implements Callable<Integer> {
  @ParentCommand Object parent;
  @Parameters(arity = "1..*", paramLabel = "IMAGE") List<String> images;
  @Option(names = {"-f", "--format"}, description = "Format each image with a Go template.") String format;

  @Override
  public Integer call() {
    JockerCommand jocker = JockerCommand.of(parent);
    return EngineErrors.handled(jocker, () -> {
      List<JsonNode> found = new ArrayList<>();
      for (String image : images) {
        found.add(jocker.engine().imageManager().inspect(image));
      }
      InspectOutput.print(found, format, System.out);
      return 0;
    });
  }
}
