package org.jocker.cli.image;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jocker.build.BuildException;
import org.jocker.build.dockerfile.DockerfileException;
import org.jocker.build.executor.BaseImagePuller;
import org.jocker.build.executor.BuildExecutor;
import org.jocker.build.executor.BuildRequest;
import org.jocker.build.executor.RunStep;
import org.jocker.build.executor.StepFailedException;
import org.jocker.build.progress.BuildProgress;
import org.jocker.build.progress.PlainProgress;
import org.jocker.build.progress.QuietProgress;
import org.jocker.build.progress.TtyProgress;
import org.jocker.cli.ExitCodes;
import org.jocker.cli.JockerCommand;
import org.jocker.cli.session.Session;
import org.jocker.engine.EngineException;
import org.jocker.engine.lifecycle.RunNetwork;
import org.jocker.images.ImageException;
import org.jocker.images.pull.PullProgress;
import org.jocker.images.reference.Reference;
import org.jocker.images.store.Image;
import org.jocker.kernel.FileTrees;
import org.jocker.kernel.KernelException;
import org.jocker.kernel.Terminal;
import org.jocker.runtime.OciRuntimeException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * `jocker build`: an image from a Dockerfile and a context directory, shown as BuildKit shows it
 * on stderr (redrawn in place on a terminal, plain lines otherwise; {@code -q} prints only the
 * image ID on stdout). A failure is one BuildKit error block and exit 1, with nothing tagged and
 * nothing of the build left behind.
 */
@Command(name = "build", description = "Build an image from a Dockerfile.")
public final class BuildCommand implements Callable<Integer> {
  private static final int SIGINT = 2;
  private static final int SIGTERM = 15;
  /** The size a display takes when stderr is no terminal (--progress=tty into a pipe). */
  private static final TtyProgress.Size DEFAULT_SIZE = new TtyProgress.Size(24, 80);

  @ParentCommand Object parent; // jocker, or the `image` group
  @Parameters(index = "0", paramLabel = "PATH") String contextArg;
  @Option(names = {"-t", "--tag"}, description = "Name and optionally a tag (name:tag).") List<String> tags = new ArrayList<>();
  @Option(names = {"-f", "--file"}, description = "Name of the Dockerfile (default: PATH/Dockerfile; - for stdin).")
  String file;
  @Option(names = "--secret", description = "Secret to expose to the build (id=ID[,src=FILE|,env=VAR]).")
  List<String> secrets = new ArrayList<>();
  @Option(names = "--build-arg", description = "Set build-time variables (KEY=VALUE, or KEY from the environment).")
  List<String> buildArgs = new ArrayList<>();
  @Option(names = "--target", description = "Set the target build stage to build.") String target;
  @Option(names = "--label", description = "Set metadata for an image (KEY=VALUE).") List<String> labels = new ArrayList<>();
  @Option(names = {"-q", "--quiet"}, description = "Suppress the build output and print image ID on success.")
  boolean quiet;
  @Option(names = "--iidfile", description = "Write the image ID to the file.") String iidFile;
  @Option(names = "--progress", description = "Set type of progress output (auto, plain, tty, quiet).")
  String progressMode = "auto";
  @Option(names = "--no-cache", description = "Do not use cache when building the image.")
  boolean noCache;
  @Option(names = "--pull", description = "Always attempt to pull a newer version of the base images.")
  boolean pull;
  @Option(names = "--network", description = "Networking mode for the RUN instructions (default, none, host).")
  String network = RunNetwork.DEFAULT.dockerName();

  @Override
  public Integer call() {
    JockerCommand jocker = JockerCommand.of(parent);
    PrintStream err = System.err;
    Optional<RunNetwork> runNetwork = RunNetwork.named(network.isEmpty() ? RunNetwork.DEFAULT.dockerName() : network);
    if (runNetwork.isEmpty()) { // dockerd's builder: a network's name is for the classic builder only
      err.println("ERROR: network mode \"" + network + "\" not supported by buildkit");
      return ExitCodes.CLIENT_ERROR;
    }
    for (String tag : tags) {
      if (!Reference.isValid(tag)) {
        err.println("ERROR: invalid tag \"" + tag + "\": invalid reference format");
        return ExitCodes.CLIENT_ERROR;
      }
    }
    if (!List.of("auto", "plain", "tty", "quiet").contains(progressMode)) {
      err.println("ERROR: invalid progress mode \"" + progressMode + "\": use auto, plain, tty or quiet");
      return ExitCodes.CLIENT_ERROR;
    }
    BuildProgress progress = progress(err);
    String text = null;
    String name = "Dockerfile";
    AtomicBoolean interrupted = new AtomicBoolean();
    Path received = null;
    try {
      Path context;
      Path dockerfile = null;
      if (contextArg.equals("-")) {
        if ("-".equals(file)) {
          err.println("ERROR: invalid argument: can't use stdin for both build context and dockerfile");
          return ExitCodes.CLIENT_ERROR;
        }
        received = StdinContext.temporaryDirectory();
        context = received;
        text = StdinContext.receive(System.in, received);
      } else {
        context = Session.current().path(contextArg);
        if (!Files.isDirectory(context)) {
          err.println("ERROR: unable to prepare context: path \"" + contextArg + "\" not found");
          return ExitCodes.CLIENT_ERROR;
        }
      }
      if ("-".equals(file)) {
        text = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
      } else if (text == null) {
        // a -f of a context on stdin names a file in it; otherwise it is the caller's path
        dockerfile = file == null ? context.resolve("Dockerfile")
            : received != null ? received.resolve(file) : Session.current().path(file);
        name = dockerfile.getFileName().toString();
        try {
          text = Files.readString(dockerfile);
        } catch (IOException e) {
          err.println("ERROR: failed to solve: failed to read dockerfile: open " + name + ": no such file or directory");
          return ExitCodes.CLIENT_ERROR;
        }
      }
      Map<String, byte[]> secretValues;
      try {
        secretValues = SecretFlags.read(secrets);
      } catch (SecretFlags.InvalidSecretException e) {
        err.println("ERROR: " + e.getMessage());
        return ExitCodes.CLIENT_ERROR;
      }
      BuildRequest request = new BuildRequest(context, name, dockerfile, text, pairs(buildArgs, true), target,
          pairs(labels, false), tags, noCache, secretValues, runNetwork.get());
      AtomicReference<Runnable> stop = new AtomicReference<>();
      Image image;
      try (Session.Subscription _ = Session.current().onSignals(sig -> {
        if (sig == SIGINT || sig == SIGTERM) {
          interrupted.set(true);
          Runnable s = stop.get();
          if (s != null) {
            s.run();
          }
        }
      })) {
        image = new BuildExecutor(jocker.engine(), progress, puller(jocker)).build(request, stop::set);
      }
      if (interrupted.get()) {
        progress.failed(RunStep.CANCELED, null);
        return ExitCodes.CLIENT_ERROR;
      }
      BuildCacheLimit.enforce(jocker);
      if (iidFile != null) {
        Files.writeString(Session.current().path(iidFile), image.id().toString());
      }
      if (quiet) {
        System.out.println(image.id());
      }
      return 0;
    } catch (StepFailedException e) {
      String message = interrupted.get() ? RunStep.CANCELED : e.getMessage();
      progress.failed(message, new BuildProgress.FailedAt(e.step(), name, text, e.lines().start(), e.lines().end()));
      return ExitCodes.CLIENT_ERROR;
    } catch (DockerfileException e) {
      BuildProgress.FailedAt where = text == null || e.line() < 1 ? null
          : new BuildProgress.FailedAt(null, name, text, e.line(), e.line());
      progress.failed("dockerfile parse error on line " + e.line() + ": " + e.detail(), where);
      return ExitCodes.CLIENT_ERROR;
    } catch (BuildException | EngineException | ImageException | OciRuntimeException | KernelException e) {
      progress.failed(e.getMessage(), null);
      if (jocker.debug()) {
        e.printStackTrace();
      }
      return ExitCodes.CLIENT_ERROR;
    } catch (IOException e) {
      progress.failed(e.getMessage(), null);
      return ExitCodes.CLIENT_ERROR;
    } finally {
      progress.finished();
      if (received != null) {
        FileTrees.deleteUnchecked(received);
      }
    }
  }

  /**
   * -q and quiet: nothing but the error; tty, or auto when stderr is a terminal: BuildKit's display
   * redrawn in place, as wide and high as the terminal; else plain lines.
   */
  private BuildProgress progress(PrintStream err) {
    if (quiet || progressMode.equals("quiet")) {
      return new QuietProgress(err);
    }
    int fd = Session.current().stderr();
    if (progressMode.equals("tty") || (progressMode.equals("auto") && Terminal.isTerminal(fd))) {
      return new TtyProgress(err, () -> Terminal.windowSize(fd).filter(w -> w.columns() > 0 && w.rows() > 0)
          .map(w -> new TtyProgress.Size(w.rows(), w.columns())).orElse(DEFAULT_SIZE));
    }
    return new PlainProgress(err);
  }

  /** Base images the store lacks (every one with --pull) come from their registry, as `pull` gets them. */
  private BaseImagePuller puller(JockerCommand jocker) {
    return new BaseImagePuller() {
      @Override
      public boolean always() {
        return pull;
      }

      @Override
      public void pull(String ref) {
        jocker.engine().pulling().pull(ref, null, false, jocker.registryCaller(), PullProgress.NONE);
      }
    };
  }

  /** KEY=VALUE flags; a bare KEY of --build-arg takes the caller's environment value (or is skipped). */
  private static Map<String, String> pairs(List<String> flags, boolean fromEnvironment) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String flag : flags) {
      int eq = flag.indexOf('=');
      if (eq >= 0) {
        out.put(flag.substring(0, eq), flag.substring(eq + 1));
      } else if (fromEnvironment) {
        String value = Session.current().env().get(flag);
        if (value != null) {
          out.put(flag, value);
        }
      } else {
        out.put(flag, "");
      }
    }
    return out;
  }
}
