package org.jocker.cli.image;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jocker.cli.EngineErrors;
import org.jocker.cli.JockerCommand;
import org.jocker.cli.format.HumanUnits;
import org.jocker.cli.format.Table;
import org.jocker.engine.image.ImageSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "images", description = "List images.")
public final class ImagesCommand implements Callable<Integer> {
  @ParentCommand Object parent;
  @Option(names = {"-q", "--quiet"}, description = "Only show image IDs.") boolean quiet;
  @Option(names = "--digests", description = "Show digests.") boolean digests;
  @Option(names = "--no-trunc", description = "Don't truncate IDs.") boolean noTrunc;
  @Option(names = {"-a", "--all"}, description = "Show all images (there are no intermediate ones).") boolean all;

  @Option(names = "--format", description = "Format output with a Go template (or \"table\", \"json\").") String format;

  private static final Table TABLE = new Table(columns(false));
  private static final Table TABLE_DIGESTS = new Table(columns(true));

  private static Map<String, String> columns(boolean digests) {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("Repository", "REPOSITORY");
    c.put("Tag", "TAG");
    if (digests) {
      c.put("Digest", "DIGEST");
    }
    c.put("ID", "IMAGE ID");
    c.put("CreatedSince", "CREATED");
    c.put("Size", "SIZE");
    return c;
  }

  @Override
  public Integer call() {
    JockerCommand jocker = JockerCommand.of(parent);
    return EngineErrors.handled(jocker, () -> {
      List<Map<String, Object>> rows = rows(jocker.engine().imageManager().list(), Instant.now());
      if (quiet) {
        rows.stream().map(r -> (String) r.get("ID")).distinct().forEach(System.out::println);
        return 0;
      }
      (digests ? TABLE_DIGESTS : TABLE).printList(rows, format, System.out);
      return 0;
    });
  }

  /** A row per reference of each image ("<none>:<none>" for an image without one). */
  private List<Map<String, Object>> rows(List<ImageSummary> images, Instant now) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (ImageSummary i : images) {
      List<String> refs = i.references().isEmpty() ? List.of("<none>:<none>") : i.references();
      for (String ref : refs) {
        int colon = ref.lastIndexOf(':');
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("Repository", ref.substring(0, colon));
        row.put("Tag", ref.substring(colon + 1));
        row.put("Digest", i.digests().isEmpty() ? "<none>" : i.digests().get(0).substring(i.digests().get(0).indexOf('@') + 1));
        row.put("ID", id(i.id()));
        row.put("CreatedSince", HumanUnits.ago(i.created(), now));
        row.put("CreatedAt", i.created());
        row.put("Size", HumanUnits.size(i.size()));
        rows.add(row);
      }
    }
    return rows;
  }

  private String id(String id) {
    return noTrunc ? id : id.substring("sha256:".length(), "sha256:".length() + 12);
  }
}
