package org.jocker.cli.image;

import java.io.PrintStream;
import java.util.concurrent.Callable;
import org.jocker.cli.EngineErrors;
import org.jocker.cli.JockerCommand;
import org.jocker.cli.format.PushPrinter;
import org.jocker.cli.session.Session;
import org.jocker.images.reference.Reference;
import org.jocker.kernel.Terminal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * Docker's {@code push}: the image's layers the registry lacks, then its manifest, with the
 * layers' progress as Docker draws it; with {@code -q} only the reference at the end.
 */
@Command(name = "push", description = "Upload an image to a registry.")
public final class PushCommand implements Callable<Integer> {
  @ParentCommand Object parent;
  @Parameters(index = "0", paramLabel = "NAME[:TAG]") String image;
  @Option(names = {"-a", "--all-tags"}, description = "Push all tags of an image to the repository.") boolean allTags;
  @Option(names = {"-q", "--quiet"}, description = "Suppress verbose output.") boolean quiet;

  @Override
  public Integer call() {
    JockerCommand jocker = JockerCommand.of(parent);
    return EngineErrors.handled(jocker, () -> {
      PrintStream out = System.out;
      Reference asked = Reference.parse(image);
      if (!allTags && !quiet && !asked.isDigested() && !namesTag(image)) {
        out.println("Using default tag: " + Reference.DEFAULT_TAG);
      }
      PushPrinter printer = new PushPrinter(out, Terminal.isTerminal(Session.current().stdout()), quiet);
      try (Session.Subscription cancel = Session.current().interruptIfCallerGone()) {
        jocker.engine().pushing().push(image, allTags, jocker.registryCaller(), printer);
      }
      if (quiet) {
        out.println(allTags ? asked.name() : asked.toString());
      }
      return 0;
    });
  }

  /** A tag typed after the last path component ({@code name:tag}, not a registry's port). */
  private static boolean namesTag(String ref) {
    return ref.substring(ref.lastIndexOf('/') + 1).contains(":");
  }
}
