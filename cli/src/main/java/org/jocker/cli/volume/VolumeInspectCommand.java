package org.jocker.cli.volume;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

@Command(name = "inspect", description = "Display detailed information on one or more volumes.")
public final class VolumeInspectCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();
  @ParentCommand VolumeCommand group;
  @Parameters(arity = "1..*", paramLabel = "VOLUME") List<String> names;
  @Option(names = {"-f", "--format"}, description = "Format each volume with a Go template.") String format;

  @Override
  public Integer call() {
    JockerCommand jocker = group.jocker();
    return EngineErrors.handled(jocker, () -> {
      List<JsonNode> found = new ArrayList<>();
      for (String name : names) {
        found.add(JSON.valueToTree(jocker.engine().volumes().inspect(name)));
      }
      InspectOutput.print(found, format, System.out);
      return 0;
    });
  }
}
