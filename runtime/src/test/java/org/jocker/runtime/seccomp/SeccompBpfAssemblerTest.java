package org.jocker.runtime.seccomp;

import static org.assertj.core.api.Assertions.assertThat;

import org.jocker.runtime.seccomp.BpfAssembler.JumpTest;
import org.jocker.runtime.seccomp.BpfAssembler.Label;
import org.jocker.runtime.seccomp.BpfInterpreter.SeccompData;
import org.junit.jupiter.api.Test;

class SeccompBpfAssemblerTest {
  @Test
  void nearBranchesStayOneInstruction() {
    BpfAssembler asm = new BpfAssembler();
    Label target = asm.newLabel();
    asm.loadWord(0);
    asm.jumpIf(JumpTest.EQ, 7, target);
    asm.ret(1);
    asm.bind(target);
    asm.ret(2);
    BpfProgram program = asm.assemble();

    assertThat(program.instructionCount()).isEqualTo(4);
    assertThat(program.instructions().get(1)).isEqualTo(new BpfInstruction(0x15, 1, 0, 7));
  }

  @Test
  void farBranchesBecomeLongJumps() {
    BpfAssembler asm = new BpfAssembler();
    Label far = asm.newLabel();
    asm.loadWord(0);
    asm.jumpIf(JumpTest.EQ, 7, far);
    asm.jumpUnless(JumpTest.GE, 3, far);
    for (int i = 0; i < 300; i++) asm.ret(100 + i);
    asm.bind(far);
    asm.ret(2);
    BpfInterpreter interpreter = new BpfInterpreter(asm.assemble());

    assertThat(interpreter.run(new SeccompData(7, 0, 0))).isEqualTo(2);
    assertThat(interpreter.run(new SeccompData(1, 0, 0))).isEqualTo(2);
    assertThat(interpreter.run(new SeccompData(5, 0, 0))).isEqualTo(100);
  }
}
