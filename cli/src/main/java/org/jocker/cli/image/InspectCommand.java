package org.jocker.cli.image;

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

@Command(name = "inspect", description = "Show details of one or more images as JSON.")
public final class InspectCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  @ParentCommand Object parent;
  @Parameters(arity = "1..*", paramLabel = "IMAGE") List<String> images;
  @Option(names = {"-f", "--format"}, description = "Format each image with a Go template.") String format;

  @Override
  public Integer call() {
    JockerCommand jocker = JockerCommand.of(parent);
    return EngineErrors.handled(jocker, () -> {
      ArrayNode out = JSON.createArrayNode();
      for (String image : images) {
        out.add(jocker.engine().imageManager().inspect(image));
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
