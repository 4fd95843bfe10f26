package org.jocker.build.executor;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.jocker.build.dockerfile.Instruction;
import org.jocker.build.stage.Stage;
import org.jocker.build.stage.StageScope;
import org.jocker.images.LayerStack;

/** A stage while its instructions are dispatched: its layers, config, variables and step count. */
final class StageState {
  final Stage stage;
  /** The base image's ONBUILD triggers, then the stage's own instructions. */
  final List<Instruction> instructions;
  LayerStack stack;
  final ImageSettings settings;
  final StageScope scope;
  /** CMD set in this stage: an ENTRYPOINT then keeps it (else it clears the base's). */
  boolean cmdSet;
  private final String prefix;
  private final int total;
  private int index = 1;

  StageState(Stage stage, LayerStack stack, ImageSettings settings, StageScope scope, boolean multiStage) {
    this(stage, List.of(), stack, settings, scope, multiStage);
  }

  StageState(Stage stage, List<Instruction> triggers, LayerStack stack, ImageSettings settings, StageScope scope,
      boolean multiStage) {
    this.stage = stage;
    List<Instruction> all = new ArrayList<>(triggers);
    all.addAll(stage.instructions());
    this.instructions = List.copyOf(all);
    this.stack = stack;
    this.settings = settings;
    this.scope = scope;
    this.prefix = multiStage ? stage.name().orElse("stage-" + stage.index()) + " " : "";
    this.total = 1 + (int) instructions.stream().filter(StageState::isStep).count();
  }

  /** RUN, COPY, ADD and WORKDIR are BuildKit's numbered steps (with FROM as the first). */
  static boolean isStep(Instruction i) {
    return i instanceof Instruction.Run || i instanceof Instruction.Copy || i instanceof Instruction.Add
        || i instanceof Instruction.Workdir;
  }

  /** "[name 2/5] " for the FROM (index 1) or the next step. */
  String fromLabel() {
    return "[" + prefix + "1/" + total + "] ";
  }

  String nextStepLabel() {
    index++;
    return "[" + prefix + index + "/" + total + "] ";
  }

  /**
   * The time a config-only instruction's history entry gets: that of the entry before it (a
   * cached step's is its first run's), so an unchanged rebuild writes the same config, hence the
   * same image ID. Now when there is none (or it is unreadable).
   */
  Instant entryTime() {
    if (!settings.history.isEmpty() && settings.history.getLast().created() != null) {
      try {
        return Instant.parse(settings.history.getLast().created());
      } catch (DateTimeParseException e) {
        // a base image's odd timestamp: fall through
      }
    }
    return Instant.now().truncatedTo(ChronoUnit.SECONDS);
  }

  /** The result once all instructions ran: what later stages start from or copy. */
  BuiltStage built() {
    return new BuiltStage(stack, settings, scope);
  }

  record BuiltStage(LayerStack stack, ImageSettings settings, StageScope scope) {}
}
