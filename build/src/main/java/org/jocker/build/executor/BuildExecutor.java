package org.jocker.build.executor;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jocker.build.context.BuildContext;
import org.jocker.build.dockerfile.Dockerfile;
import org.jocker.build.dockerfile.DockerfileException;
import org.jocker.build.dockerfile.DockerfileParser;
import org.jocker.build.dockerfile.Instruction;
import org.jocker.build.progress.BuildProgress;
import org.jocker.build.stage.Base;
import org.jocker.build.stage.Platforms;
import org.jocker.build.stage.Stage;
import org.jocker.build.stage.StageGraph;
import org.jocker.engine.Engine;
import org.jocker.engine.lifecycle.BuildSandbox;
import org.jocker.images.ImageBuild;
import org.jocker.images.LayerStack;
import org.jocker.images.manifest.ImageConfig;
import org.jocker.images.reference.Reference;
import org.jocker.images.store.Image;

/**
 * Runs a build: reads the Dockerfile, works out the stages the target needs (the others are
 * skipped), builds them (independent ones at the same time), and registers the target's image with
 * its names. Every container, mount and snapshot it makes is gone when it returns or throws.
 */
public final class BuildExecutor {
  /** BuildKit's PATH for a stage FROM scratch. */
  static final String DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private final Engine engine;
  private final BuildProgress progress;
  private final BaseImagePuller puller;

  public BuildExecutor(Engine engine, BuildProgress progress, BaseImagePuller puller) {
    this.engine = engine;
    this.progress = progress;
    this.puller = puller;
  }

  /**
   * @param onInterrupt given the action that stops the build (kills its running RUN), once there is one
   */
  public Image build(BuildRequest request, Consumer<Runnable> onInterrupt) {
    BuildProgress.Step load = progress.start("[internal] load build definition from " + request.dockerfileName());
    load.detail("transferring dockerfile: " + Sizes.human(
        request.dockerfileText().getBytes(StandardCharsets.UTF_8).length) + " done");
    Dockerfile dockerfile;
    try {
      dockerfile = DockerfileParser.parse(request.dockerfileName(), request.dockerfileText());
    } catch (DockerfileException e) {
      load.error("dockerfile parse error on line " + e.line() + ": " + e.detail());
      throw e;
    }
    load.done();
    StageGraph graph = StageGraph.of(dockerfile, request.buildArgs(), Platforms.ofHost(), request.target());
    Stage target = graph.target(request.target());
    List<Stage> needed = graph.needed(request.target());
    List<Reference> names = request.tags().stream().map(Reference::parse).toList();
    BuildContext context = BuildContext.open(request.context(),
        request.dockerfilePath() != null ? request.dockerfilePath() : request.context().resolve("Dockerfile"));
    for (Stage stage : fromImages(needed)) {
      String ref = stage.image();
      String label = "[internal] load metadata for " + BaseImages.displayName(ref);
      BuildProgress.Step step = progress.start(label);
      try {
        BaseImages.resolve(engine.images(), puller, ref, label, stage.from().lines()); // pulled here if need be
      } catch (StepFailedException e) {
        step.error(e.getMessage());
        throw e;
      }
      step.done();
    }
    BuildProgress.Step ignore = progress.start("[internal] load .dockerignore");
    ignore.detail("transferring context: " + Sizes.human(ignoreSize(context)) + " done");
    ignore.done();
    try (ImageBuild layers = engine.images().build();
        BuildSandbox sandbox = engine.buildContainers().open()) {
      onInterrupt.accept(sandbox::interrupt);
      BuildSession session = new BuildSession(dockerfile, request.dockerfileText(), request.buildArgs(),
          request.secrets(), request.network(),
          engine.images(), layers, sandbox, new ContextTree(context), progress,
          new ContentCache(engine.images().buildCache(), layers, !request.noCache()), puller,
          new ContextTransfer(), new AtomicInteger());
      boolean multiStage = graph.stages().size() > 1;
      Map<Integer, StageState.BuiltStage> built = new java.util.concurrent.ConcurrentHashMap<>();
      StageScheduler.run(needed, stage -> {
        StageState state = start(session, graph, stage, built, multiStage);
        new StageBuilder(session, graph, built).build(state);
        built.put(stage.index(), state.built());
        return state.built();
      }, sandbox::interrupt);
      StageState.BuiltStage result = built.get(target.index());
      result.settings().labels.putAll(request.labels());
      return export(layers, result, names);
    }
  }

  private StageState start(BuildSession session, StageGraph graph, Stage stage,
      Map<Integer, StageState.BuiltStage> built, boolean multiStage) {
    return switch (stage.base()) {
      case Base.Scratch() -> {
        ImageSettings settings = new ImageSettings();
        settings.env = List.of(DEFAULT_PATH);
        yield new StageState(stage, LayerStack.EMPTY, settings,
            graph.scopeFor(settings.envMap(), session.buildArgs()), multiStage);
      }
      case Base.OfStage(int index) -> {
        StageState.BuiltStage base = built.get(index);
        yield new StageState(stage, base.stack(), base.settings().copy(), base.scope().child(), multiStage);
      }
      case Base.OfImage(String ref) -> {
        String label = "FROM " + BaseImages.displayName(ref);
        StageState probe = new StageState(stage, LayerStack.EMPTY, new ImageSettings(), null, multiStage);
        BuildProgress.Step step = progress.start(probe.fromLabel() + label);
        try {
          Image image = BaseImages.resolve(session.images(), BaseImagePuller.NONE, ref, probe.fromLabel() + label,
              stage.from().lines()); // pulled while loading the metadata
          LayerStack stack = session.layers().layersOf(image);
          ImageConfig base = session.images().config(image).value();
          ImageSettings settings = ImageSettings.of(base);
          List<Instruction> triggers = OnBuildTriggers.of(base, session.dockerfile().name(), stage);
          step.done();
          yield new StageState(stage, triggers, stack, settings,
              graph.scopeFor(settings.envMap(), session.buildArgs()), multiStage);
        } catch (StepFailedException e) {
          step.error(e.getMessage());
          throw e;
        }
      }
    };
  }

  private Image export(ImageBuild layers, StageState.BuiltStage result, List<Reference> names) {
    BuildProgress.Step step = progress.start("exporting to image");
    step.detail("exporting layers done");
    ImageConfig.ContainerConfig config = result.settings().toConfig();
    List<ImageConfig.History> history = result.settings().history;
    // the last step's time, not now: an unchanged rebuild is the same image
    String created = history.isEmpty() ? BuildSession.history("", true).created() : history.getLast().created();
    Image image = layers.assemble(result.stack(), config, history, created, names);
    step.detail("writing image " + image.id() + " done");
    for (Reference name : names) {
      step.detail("naming to " + name + " done");
    }
    step.done();
    return image;
  }

  /** The needed stages FROM an image, the first of each image only (one metadata step each). */
  private static List<Stage> fromImages(List<Stage> stages) {
    Set<String> seen = new LinkedHashSet<>();
    return stages.stream()
        .filter(stage -> stage.base() instanceof Base.OfImage(String ref) && seen.add(ref))
        .toList();
  }

  private static long ignoreSize(BuildContext context) {
    Path file = context.ignoreFile();
    try {
      return file == null ? 2 : Files.size(file); // BuildKit counts an absent one as 2 bytes
    } catch (java.io.IOException e) {
      return 0;
    }
  }

}
