package org.jocker.runtime.seccomp;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds a classic-BPF program with symbolic forward labels.
 *
 * <p>Conditional jumps only have 8-bit offsets. Every conditional jump here either branches to a
 * label or falls through; when the label ends up more than 255 instructions away the jump is
 * "relaxed" into a short inverted test over an unconditional {@code BPF_JA} (32-bit offset). Relaxing
 * only ever grows the program, so repeating until nothing changes terminates.
 */
final class BpfAssembler {
  private static final int MAX_SHORT_JUMP = 0xFF;

  /** A position in the program, bound later with {@link #bind}. Jumps may only go forward. */
  static final class Label {
    private int position = -1;
  }

  private sealed interface Item {}

  private record Plain(BpfInstruction instruction) implements Item {}

  private record Branch(int opcode, int k, Label target, boolean whenTrue) implements Item {}

  private record Goto(Label target) implements Item {}

  private record Bind(Label label) implements Item {}

  private final List<Item> items = new ArrayList<>();

  Label newLabel() {
    return new Label();
  }

  void bind(Label label) {
    items.add(new Bind(label));
  }

  void loadWord(int offset) {
    items.add(new Plain(BpfInstruction.loadWord(offset)));
  }

  void and(int mask) {
    items.add(new Plain(BpfInstruction.andConstant(mask)));
  }

  void ret(int value) {
    items.add(new Plain(BpfInstruction.ret(value)));
  }

  void jump(Label target) {
    items.add(new Goto(target));
  }

  /** Jumps to {@code target} when {@code A <test> k} holds, else continues with the next instruction. */
  void jumpIf(JumpTest test, int k, Label target) {
    items.add(new Branch(test.opcode, k, target, true));
  }

  /** Jumps to {@code target} when {@code A <test> k} does not hold, else continues. */
  void jumpUnless(JumpTest test, int k, Label target) {
    items.add(new Branch(test.opcode, k, target, false));
  }

  /** Unsigned comparisons of the accumulator against a constant. */
  enum JumpTest {
    EQ(BpfInstruction.JMP_JEQ_K),
    GT(BpfInstruction.JMP_JGT_K),
    GE(BpfInstruction.JMP_JGE_K);

    private final int opcode;

    JumpTest(int opcode) {
      this.opcode = opcode;
    }
  }

  BpfProgram assemble() {
    boolean[] relaxed = new boolean[items.size()];
    boolean changed;
    do {
      int[] positions = layOut(relaxed);
      changed = false;
      for (int i = 0; i < items.size(); i++) {
        if (items.get(i) instanceof Branch branch && !relaxed[i]) {
          if (offset(branch.target, positions[i]) > MAX_SHORT_JUMP) {
            relaxed[i] = true;
            changed = true;
          }
        }
      }
    } while (changed);
    return BpfProgram.of(emit(relaxed));
  }

  /** Binds every label for the given jump forms; returns each item's instruction position. */
  private int[] layOut(boolean[] relaxed) {
    int[] positions = new int[items.size()];
    int position = 0;
    for (int i = 0; i < items.size(); i++) {
      positions[i] = position;
      if (items.get(i) instanceof Bind bind) {
        bind.label.position = position;
      }
      position += size(items.get(i), relaxed[i]);
    }
    return positions;
  }

  private static int size(Item item, boolean relaxed) {
    return switch (item) {
      case Bind b -> 0;
      case Branch b -> relaxed ? 2 : 1;
      case Plain p -> 1;
      case Goto g -> 1;
    };
  }

  /** Offset of {@code target} from the instruction following the one at {@code from}. */
  private static int offset(Label target, int from) {
    if (target.position < 0) throw new IllegalStateException("unbound BPF label");
    int offset = target.position - (from + 1);
    if (offset < 0) throw new IllegalStateException("backward BPF jump");
    return offset;
  }

  private List<BpfInstruction> emit(boolean[] relaxed) {
    List<BpfInstruction> out = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      boolean isRelaxed = relaxed[i];
      switch (items.get(i)) {
        case Bind b -> {}
        case Plain p -> out.add(p.instruction);
        case Goto g -> out.add(BpfInstruction.jump(offset(g.target, out.size())));
        case Branch b when !isRelaxed -> {
          int offset = offset(b.target, out.size());
          out.add(new BpfInstruction(b.opcode, b.whenTrue ? offset : 0, b.whenTrue ? 0 : offset, b.k));
        }
        case Branch b -> {
          // The test skips the long jump exactly when the branch must not be taken.
          out.add(new BpfInstruction(b.opcode, b.whenTrue ? 0 : 1, b.whenTrue ? 1 : 0, b.k));
          out.add(BpfInstruction.jump(offset(b.target, out.size())));
        }
      }
    }
    return out;
  }
}
