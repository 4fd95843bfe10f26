package org.jocker.cli.container;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jocker.cli.EngineErrors;
import org.jocker.cli.JockerCommand;
import org.jocker.engine.operations.ContainerTop;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "top", description = "Display the running processes of a container.")
public final class TopCommand implements Callable<Integer> {
  @ParentCommand Object parent;
  @Parameters(index = "0", paramLabel = "CONTAINER") String container;
  @Parameters(index = "1..*", paramLabel = "PS_OPTIONS") List<String> psOptions = new ArrayList<>();

  @Override
  public Integer call() {
    JockerCommand jocker = JockerCommand.of(parent);
    return EngineErrors.handled(jocker, EngineErrors.Style.DAEMON_RESPONSE, () -> {
      ContainerTop.Listing l = jocker.engine().operations().top(container, psOptions);
      List<String> lines = new ArrayList<>();
      lines.add(String.join("\t", l.titles()));
      l.processes().forEach(p -> lines.add(String.join("\t", p)));
      Map<Integer, Integer> widths = new LinkedHashMap<>();
      for (String line : lines) {
        String[] c = line.split("\t", -1);
        for (int i = 0; i < c.length - 1; i++) {
          widths.merge(i, c[i].length(), Math::max);
        }
      }
      for (String line : lines) {
        String[] c = line.split("\t", -1);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < c.length; i++) {
          sb.append(c[i]);
          if (i < c.length - 1) {
            sb.append(" ".repeat(widths.get(i) - c[i].length() + 3));
          }
        }
        System.out.println(sb.toString().stripTrailing());
      }
      return 0;
    });
  }
}
