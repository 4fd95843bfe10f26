package org.jocker.cli.volume;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.List;
import java.util.concurrent.Callable;
import org.jocker.cli.EngineErrors;
import org.jocker.cli.JockerCommand;
import org.jocker.cli.format.GoTemplate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "inspect", description = "Display detailed information on one or more volumes.")
public final class VolumeInspectCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  @ParentCommand VolumeCommand group;
  @Parameters(arity = "1..*", paramLabel = "VOLUME") List<String> names;
  @Option(names = {"-f", "--format"}, description = "Format each volume with a Go template.") String format;

  @Override
  public Integer call() {
    JockerCommand jocker = group.jocker();
    return EngineErrors.handled(jocker, () -> {
      ArrayNode out = JSON.createArrayNode();
      for (String name : names) {
        out.add(JSON.<JsonNode>valueToTree(jocker.engine().volumes().inspect(name)));
      }
      if (format != null) {
        GoTemplate template = GoTemplate.parseInspect(format);
        out.forEach(node -> System.out.println(template.execute(node)));
        return 0;
      }
      try {
        System.out.println(JSON.writeValueAsString(out));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
      return 0;
    });
  }
}
