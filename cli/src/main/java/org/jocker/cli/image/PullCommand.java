package org.jocker.cli.image;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import org.jocker.cli.EngineErrors;
import org.jocker.cli.JockerCommand;
import org.jocker.cli.format.PullPrinter;
import org.jocker.cli.format.PullStatus;
import org.jocker.cli.session.Session;
import org.jocker.images.pull.PulledImage;
import org.jocker.images.reference.Reference;
import org.jocker.kernel.Terminal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "pull", description = "Download an image from a registry.")
public final class PullCommand implements Callable<Integer> {
  @ParentCommand Object parent;
  @Parameters(index = "0", paramLabel = "NAME[:TAG|@DIGEST]") String image;
  @Option(names = {"-a", "--all-tags"}, description = "Download all tagged images in the repository.") boolean allTags;
  @Option(names = {"-q", "--quiet"}, description = "Suppress verbose output.") boolean quiet;
  @Option(names = "--platform", description = "Set platform if server is multi-platform capable (os/arch[/variant]).")
  String platform;

  @Override
  public Integer call() {
    JockerCommand jocker = JockerCommand.of(parent);
    return EngineErrors.handled(jocker, () -> {
      PrintStream out = System.out;
      PullPrinter printer = new PullPrinter(out, Terminal.isTerminal(Session.current().stdout()), quiet);
      List<PulledImage> pulled;
      try (Session.Subscription cancel = Session.current().interruptIfCallerGone()) {
        pulled = jocker.engine().pulling().pull(image, platform, allTags, jocker.registryCaller(), printer);
      }
      if (!quiet) {
        PullStatus.print(out, pulled, allTags);
      }
      Reference asked = Reference.parse(image);
      out.println(allTags ? asked.name() : asked.toString());
      return 0;
    });
  }
}
