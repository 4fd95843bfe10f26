package org.jocker.runtime.seccomp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * A classic-BPF interpreter for tests: runs a seccomp filter against a {@link SeccompData} the way
 * the kernel does, after the same static checks the kernel's seccomp loader makes (size, jump
 * targets in range, aligned loads inside seccomp_data, last instruction a return).
 */
final class BpfInterpreter {
  /** The kernel's struct seccomp_data, 64 bytes. */
  record SeccompData(int nr, int arch, long instructionPointer, long... args) {
    SeccompData {
      if (args.length > 6) throw new IllegalArgumentException("at most 6 args");
      args = java.util.Arrays.copyOf(args, 6);
    }

    ByteBuffer encode() {
      ByteBuffer buffer = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
      buffer.putInt(nr).putInt(arch).putLong(instructionPointer);
      for (long arg : args) buffer.putLong(arg);
      return buffer.flip();
    }
  }

  private static final int SECCOMP_DATA_SIZE = 64;
  private static final int MEMORY_WORDS = 16;

  private final List<BpfInstruction> program;

  BpfInterpreter(BpfProgram program) {
    this.program = program.instructions();
    verify();
  }

  int run(SeccompData data) {
    ByteBuffer input = data.encode();
    int a = 0;
    int x = 0;
    int[] memory = new int[MEMORY_WORDS];
    int pc = 0;
    while (true) {
      BpfInstruction insn = program.get(pc++);
      int code = insn.code();
      int k = insn.k();
      switch (code & 0x07) {
        case 0x00 -> a = switch (code) { // BPF_LD
          case 0x20 -> input.getInt(k); // W | ABS
          case 0x00 -> k; // W | IMM
          case 0x60 -> memory[k]; // W | MEM
          case 0x80 -> SECCOMP_DATA_SIZE; // W | LEN
          default -> throw unsupported(insn);
        };
        case 0x01 -> x = switch (code) { // BPF_LDX
          case 0x01 -> k;
          case 0x61 -> memory[k];
          case 0x81 -> SECCOMP_DATA_SIZE;
          default -> throw unsupported(insn);
        };
        case 0x02 -> memory[k] = a; // BPF_ST
        case 0x03 -> memory[k] = x; // BPF_STX
        case 0x04 -> a = alu(insn, a, (code & 0x08) != 0 ? x : k); // BPF_ALU
        case 0x05 -> { // BPF_JMP
          int operand = (code & 0x08) != 0 ? x : k;
          if ((code & 0xF0) == 0x00) {
            pc += k;
          } else {
            pc += jumpTaken(insn, a, operand) ? insn.jt() : insn.jf();
          }
        }
        case 0x06 -> { // BPF_RET
          return (code & 0x18) == 0x10 ? a : k;
        }
        case 0x07 -> { // BPF_MISC
          if (code == 0x07) x = a; // TAX
          else if (code == 0x87) a = x; // TXA
          else throw unsupported(insn);
        }
        default -> throw unsupported(insn);
      }
    }
  }

  private static int alu(BpfInstruction insn, int a, int operand) {
    return switch (insn.code() & 0xF0) {
      case 0x00 -> a + operand;
      case 0x10 -> a - operand;
      case 0x20 -> a * operand;
      case 0x30 -> Integer.divideUnsigned(a, operand);
      case 0x40 -> a | operand;
      case 0x50 -> a & operand;
      case 0x60 -> a << operand;
      case 0x70 -> a >>> operand;
      case 0x80 -> -a;
      case 0x90 -> Integer.remainderUnsigned(a, operand);
      case 0xA0 -> a ^ operand;
      default -> throw unsupported(insn);
    };
  }

  private static boolean jumpTaken(BpfInstruction insn, int a, int operand) {
    return switch (insn.code() & 0xF0) {
      case 0x10 -> a == operand;
      case 0x20 -> Integer.compareUnsigned(a, operand) > 0;
      case 0x30 -> Integer.compareUnsigned(a, operand) >= 0;
      case 0x40 -> (a & operand) != 0;
      default -> throw unsupported(insn);
    };
  }

  private void verify() {
    if (program.isEmpty() || program.size() > BpfProgram.MAX_INSTRUCTIONS) {
      throw new IllegalArgumentException("bad program length " + program.size());
    }
    for (int pc = 0; pc < program.size(); pc++) {
      BpfInstruction insn = program.get(pc);
      int code = insn.code();
      if ((code & 0x07) == 0x05) {
        long last =
            (code & 0xF0) == 0x00
                ? pc + 1 + Integer.toUnsignedLong(insn.k())
                : pc + 1 + Math.max(insn.jt(), insn.jf());
        if (last >= program.size()) throw new IllegalArgumentException("jump out of range at " + pc);
      }
      if (code == 0x20 && (insn.k() < 0 || insn.k() > SECCOMP_DATA_SIZE - 4 || insn.k() % 4 != 0)) {
        throw new IllegalArgumentException("load outside seccomp_data at " + pc + ": " + insn.k());
      }
      if ((code & 0x07) == 0x00 && code != 0x20 && code != 0x00 && code != 0x60 && code != 0x80) {
        throw new IllegalArgumentException("load kind seccomp does not allow at " + pc);
      }
    }
    if ((program.getLast().code() & 0x07) != 0x06) {
      throw new IllegalArgumentException("program does not end with a return");
    }
  }

  private static IllegalArgumentException unsupported(BpfInstruction insn) {
    return new IllegalArgumentException("unsupported BPF instruction " + insn);
  }
}
