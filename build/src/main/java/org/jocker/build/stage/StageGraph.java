package org.jocker.build.stage;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jocker.build.dockerfile.Dockerfile;
import org.jocker.build.dockerfile.DockerfileException;
import org.jocker.build.dockerfile.Instruction;
import org.jocker.build.dockerfile.Mount;
import org.jocker.build.shell.ExpansionException;
import org.jocker.build.shell.ShellLexer;

/**
 * A Dockerfile's stages and what needs what. Before the first FROM only ARG may stand (the global
 * scope). FROM names an earlier stage (the latest of that name), {@code scratch} or an image;
 * {@code COPY --from} and {@code RUN --mount from=} name an earlier stage (the last of that name),
 * its index, or an image. A target needs its base chain and every stage it copies or mounts from,
 * transitively; the others are not built.
 */
public final class StageGraph {
  private final Dockerfile dockerfile;
  private final List<Stage> stages;
  private final GlobalScope global;

  private StageGraph(Dockerfile dockerfile, List<Stage> stages, GlobalScope global) {
    this.dockerfile = dockerfile;
    this.stages = List.copyOf(stages);
    this.global = global;
  }

  /** The graph for building {@code target} (null: the last stage) with these --build-args. */
  public static StageGraph of(
      Dockerfile dockerfile, Map<String, String> buildArgs, Platforms platforms, String target) {
    ShellLexer lexer = new ShellLexer(dockerfile.directives().escape());
    List<Instruction> all = dockerfile.instructions();
    List<List<Instruction>> blocks = new ArrayList<>();
    List<Instruction> globalArgs = new ArrayList<>();
    for (Instruction instruction : all) {
      if (instruction instanceof Instruction.From) {
        blocks.add(new ArrayList<>(List.of(instruction)));
      } else if (!blocks.isEmpty()) {
        blocks.getLast().add(instruction);
      } else if (instruction instanceof Instruction.Arg) {
        globalArgs.add(instruction);
      } else {
        throw error(dockerfile, instruction, "no build stage in current context");
      }
    }
    if (blocks.isEmpty()) {
      throw new DockerfileException(dockerfile.name(), 1, "dockerfile contains no stages to build");
    }
    String targetStage = target != null ? target.toLowerCase(Locale.ROOT)
        : names(blocks).getLast().orElse("default");
    GlobalScope global = new GlobalScope(platforms.automaticArgs(targetStage), buildArgs);
    for (Instruction instruction : globalArgs) {
      for (var arg : ((Instruction.Arg) instruction).declarations()) {
        try {
          global.declare(arg, buildArgs, lexer);
        } catch (ExpansionException e) {
          throw error(dockerfile, instruction, e.getMessage());
        }
      }
    }
    List<Stage> stages = new ArrayList<>();
    List<Optional<String>> names = names(blocks);
    for (List<Instruction> block : blocks) {
      stages.add(stage(dockerfile, stages, names, block, global, lexer));
    }
    return new StageGraph(dockerfile, stages, global);
  }

  private static List<Optional<String>> names(List<List<Instruction>> blocks) {
    return blocks.stream().map(b -> ((Instruction.From) b.get(0)).stageName()).toList();
  }

  private static Stage stage(Dockerfile dockerfile, List<Stage> earlier, List<Optional<String>> names,
      List<Instruction> block, GlobalScope global, ShellLexer lexer) {
    Instruction.From from = (Instruction.From) block.get(0);
    int index = earlier.size();
    String image;
    Optional<String> platform;
    try {
      image = lexer.expandWord(from.image(), global.variables());
      platform = from.platform().map(p -> lexer.expandWord(p, global.variables()));
    } catch (ExpansionException e) {
      throw error(dockerfile, from, e.getMessage());
    }
    if (image.isBlank()) {
      throw error(dockerfile, from, "base name (" + from.image() + ") should not be blank");
    }
    Set<Integer> dependsOn = new TreeSet<>();
    Base base = latestNamed(earlier, image)
        .<Base>map(s -> new Base.OfStage(s.index()))
        .orElse(image.equalsIgnoreCase("scratch") ? new Base.Scratch() : new Base.OfImage(image));
    if (base instanceof Base.OfStage(int parent)) {
      dependsOn.add(parent);
    }
    String current = from.stageName().orElse(String.valueOf(index));
    List<Instruction> body = List.copyOf(block.subList(1, block.size()));
    for (Instruction instruction : body) {
      for (String ref : references(instruction)) {
        Optional<Integer> stage = stageReference(dockerfile, earlier, names, instruction, ref, current);
        stage.ifPresent(dependsOn::add);
      }
    }
    return new Stage(index, from.stageName(), from, image, platform, base, body, dependsOn);
  }

  /** The names a COPY --from or RUN --mount from= gives (an ONBUILD trigger's run later). */
  private static List<String> references(Instruction instruction) {
    return switch (instruction) {
      case Instruction.Copy copy -> copy.from().stream().toList();
      case Instruction.Run run -> run.mounts().stream()
          .map(StageGraph::mountFrom)
          .flatMap(Optional::stream)
          .toList();
      default -> List.of();
    };
  }

  private static Optional<String> mountFrom(Mount mount) {
    return switch (mount) {
      case Mount.Bind bind -> bind.from();
      case Mount.Cache cache -> cache.from();
      default -> Optional.empty();
    };
  }

  /** The stage {@code ref} names (by name or index), or empty for an image. */
  private static Optional<Integer> stageReference(Dockerfile dockerfile, List<Stage> earlier,
      List<Optional<String>> names, Instruction instruction, String ref, String current) {
    if (ref.matches("\\d{1,9}")) {
      int index = Integer.parseInt(ref);
      if (index >= names.size()) {
        throw error(dockerfile, instruction, "invalid stage index " + ref);
      }
      if (index >= earlier.size()) {
        throw notYetDefined(dockerfile, instruction, ref, current);
      }
      return Optional.of(index);
    }
    Optional<Stage> named = latestNamed(earlier, ref);
    if (named.isPresent()) {
      return Optional.of(named.get().index());
    }
    if (names.contains(Optional.of(ref.toLowerCase(Locale.ROOT)))) { // this stage or a later one
      throw notYetDefined(dockerfile, instruction, ref, current);
    }
    return Optional.empty();
  }

  private static DockerfileException notYetDefined(
      Dockerfile dockerfile, Instruction instruction, String ref, String current) {
    return error(dockerfile, instruction, "cannot copy from stage \"" + ref
        + "\", it needs to be defined before current stage \"" + current + "\"");
  }

  private static Optional<Stage> latestNamed(List<Stage> stages, String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    for (Stage stage : stages.reversed()) {
      if (stage.name().isPresent() && stage.name().get().equals(lower)) {
        return Optional.of(stage);
      }
    }
    return Optional.empty();
  }

  public List<Stage> stages() {
    return stages;
  }

  /** The stage --target names (the last of that name), or the last stage when null. */
  public Stage target(String target) {
    if (target == null) {
      return stages.getLast();
    }
    return latestNamed(stages, target).orElseThrow(
        () -> new StageNotFoundException("target stage \"" + target + "\" could not be found"));
  }

  /** The stages {@code target} needs, in file order; stages it does not need are left out. */
  public List<Stage> needed(String target) {
    Set<Integer> needed = new LinkedHashSet<>();
    Deque<Integer> todo = new ArrayDeque<>(List.of(target(target).index()));
    while (!todo.isEmpty()) {
      int index = todo.pop();
      if (needed.add(index)) {
        todo.addAll(stages.get(index).dependsOn());
      }
    }
    return stages.stream().filter(s -> needed.contains(s.index())).toList();
  }

  /** A scope for dispatching {@code stage}, over its base image's Env (ignored for a stage base). */
  public StageScope scopeFor(Map<String, String> baseImageEnv, Map<String, String> buildArgs) {
    return StageScope.start(baseImageEnv, global, buildArgs,
        new ShellLexer(dockerfile.directives().escape()), dockerfile.name());
  }

  private static DockerfileException error(Dockerfile dockerfile, Instruction instruction, String detail) {
    return new DockerfileException(dockerfile.name(), instruction.lines().start(), detail);
  }
}
