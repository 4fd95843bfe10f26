package org.jocker.build.executor;

import java.util.Map;
import java.util.Optional;
import org.jocker.build.BuildException;
import org.jocker.engine.EngineException;
import org.jocker.images.ImageException;
import org.jocker.kernel.KernelException;
import org.jocker.build.dockerfile.Instruction;
import org.jocker.build.progress.BuildProgress;
import org.jocker.build.shell.ShellLexer;
import org.jocker.build.stage.InstructionExpander;
import org.jocker.build.stage.Stage;
import org.jocker.build.stage.StageGraph;
import org.jocker.images.LayerStack;
import org.jocker.images.store.Image;

/**
 * Dispatches one stage's instructions in order: each expanded against the stage's variables at
 * that point, filesystem steps (RUN, COPY, ADD, WORKDIR) as numbered progress steps, the others
 * into the config. A failing step is reported on its progress step and rethrown.
 */
final class StageBuilder {
  private final BuildSession session;
  private final StageGraph graph;
  private final Map<Integer, StageState.BuiltStage> built;
  private final InstructionExpander expander;

  StageBuilder(BuildSession session, StageGraph graph, Map<Integer, StageState.BuiltStage> built) {
    this.session = session;
    this.graph = graph;
    this.built = built;
    this.expander = new InstructionExpander(session.dockerfile().name(),
        new ShellLexer(session.dockerfile().directives().escape()));
  }

  void build(StageState state) {
    for (Instruction raw : state.instructions) {
      switch (raw) {
        case Instruction.Arg arg -> {
          state.scope.declare(arg);
          state.settings.history.add(BuildSession.history(argText(arg, state), true, state.entryTime()));
        }
        case Instruction.Env env -> {
          Instruction.Env expanded = (Instruction.Env) expander.expand(env, state.scope.variables());
          state.scope.setEnv(env);
          state.settings.env(state.scope.configEnv());
          state.settings.history.add(BuildSession.history("ENV " + String.join(" ",
              expanded.pairs().stream().map(kv -> kv.key() + "=" + kv.value()).toList()), true, state.entryTime()));
        }
        default -> {
          Instruction instruction = expander.expand(raw, state.scope.variables());
          if (StageState.isStep(instruction)) {
            step(state, instruction);
          } else {
            ConfigInstructions.apply(state, instruction);
          }
        }
      }
    }
  }

  private void step(StageState state, Instruction instruction) {
    String text = oneLine(instruction);
    if ((instruction instanceof Instruction.Copy c && c.from().isEmpty()) || instruction instanceof Instruction.Add) {
      session.contextTransfer().show(session.context(), session.progress());
    }
    String label = state.nextStepLabel() + text;
    if (session.sandbox().interrupted()) {
      throw new StepFailedException(RunStep.CANCELED, label, instruction.lines());
    }
    BuildProgress.Step step = session.progress().start(label);
    try {
      FilesystemStep.Result result = switch (instruction) {
        case Instruction.Run run -> RunStep.run(session, state, run, step, label);
        case Instruction.Workdir w -> WorkdirStep.run(session, state, w);
        case Instruction.Copy c -> CopyStep.copy(session, state, c, from(c, label), text, label);
        case Instruction.Add a -> CopyStep.copy(session, state, a, new CopyStep.From.Context(), text, label);
        default -> throw new IllegalArgumentException("not a step: " + instruction);
      };
      if (result.cached()) {
        step.cached();
      } else {
        step.done();
      }
    } catch (StepFailedException e) {
      step.error(e.getMessage());
      throw e;
    } catch (BuildException | EngineException | ImageException | KernelException e) {
      step.error(e.getMessage());
      throw new StepFailedException(e.getMessage(), label, instruction.lines(), e);
    }
  }

  /** COPY --from: a stage built before (by name or index), else a local image. */
  private CopyStep.From from(Instruction.Copy copy, String label) {
    if (copy.from().isEmpty()) {
      return new CopyStep.From.Context();
    }
    String ref = copy.from().get();
    Optional<Stage> stage = graph.stageNamed(ref);
    if (stage.isPresent()) {
      return new CopyStep.From.Layers(built.get(stage.get().index()).stack());
    }
    Image image = BaseImages.resolve(session.images(), session.puller(), ref, label, copy.lines());
    LayerStack stack = session.layers().layersOf(image);
    return new CopyStep.From.Layers(stack);
  }

  /** The instruction as BuildKit names its step: its source text on one line. */
  static String oneLine(Instruction instruction) {
    return instruction.lines().text().replaceAll("\\\\?\\s*\\n\\s*", " ").strip();
  }

  /** "ARG NAME=value ..." with the values now in force. */
  private static String argText(Instruction.Arg arg, StageState state) {
    StringBuilder b = new StringBuilder("ARG");
    for (Instruction.ArgDeclaration d : arg.declarations()) {
      String value = state.scope.argValues().get(d.name());
      b.append(' ').append(d.name());
      if (value != null) {
        b.append('=').append(value);
      }
    }
    return b.toString();
  }
}
