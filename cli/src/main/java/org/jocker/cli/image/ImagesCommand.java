package org.jocker.cli.image;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import org.jocker.cli.EngineErrors;
import org.jocker.cli.JockerCommand;
import org.jocker.cli.format.HumanUnits;
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

  @Override
  public Integer call() {
    JockerCommand jocker = JockerCommand.of(parent);
    return EngineErrors.handled(jocker, () -> {
      List<ImageSummary> images = jocker.engine().imageManager().list();
      Instant now = Instant.now();
      if (quiet) {
        images.stream().map(i -> id(i.id())).distinct().forEach(System.out::println);
        return 0;
      }
      String row = digests ? "%-30s %-12s %-72s %-14s %-16s %s%n" : "%-30s %-12s %-14s %-16s %s%n";
      if (digests) {
        System.out.printf(row, "REPOSITORY", "TAG", "DIGEST", "IMAGE ID", "CREATED", "SIZE");
      } else {
        System.out.printf(row, "REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE");
      }
      for (ImageSummary i : images) {
        List<String> refs = i.references().isEmpty() ? List.of("<none>:<none>") : i.references();
        for (String ref : refs) {
          int colon = ref.lastIndexOf(':');
          String repo = ref.substring(0, colon);
          String tag = ref.substring(colon + 1);
          String created = HumanUnits.ago(i.created(), now);
          String size = HumanUnits.size(i.size());
          if (digests) {
            String digest = i.digests().isEmpty() ? "<none>" : i.digests().get(0).substring(i.digests().get(0).indexOf('@') + 1);
            System.out.printf(row, repo, tag, digest, id(i.id()), created, size);
          } else {
            System.out.printf(row, repo, tag, id(i.id()), created, size);
          }
        }
      }
      return 0;
    });
  }

  private String id(String id) {
    return noTrunc ? id : id.substring("sha256:".length(), "sha256:".length() + 12);
  }
}
