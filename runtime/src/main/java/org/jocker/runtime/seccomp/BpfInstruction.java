package org.jocker.runtime.seccomp;

/**
 * One classic-BPF instruction, the kernel's {@code struct sock_filter}: u16 code, u8 jt, u8 jf, u32 k.
 * Jump offsets are relative to the next instruction.
 */
public record BpfInstruction(int code, int jt, int jf, int k) {
  /** Size of one encoded instruction in bytes. */
  public static final int SIZE = 8;

  // Opcode building blocks from linux/filter.h (only the ones seccomp filters need).
  static final int LD_W_ABS = 0x00 | 0x00 | 0x20; // BPF_LD | BPF_W | BPF_ABS
  static final int ALU_AND_K = 0x04 | 0x50; // BPF_ALU | BPF_AND | BPF_K
  static final int JMP_JA = 0x05 | 0x00; // BPF_JMP | BPF_JA
  static final int JMP_JEQ_K = 0x05 | 0x10;
  static final int JMP_JGT_K = 0x05 | 0x20;
  static final int JMP_JGE_K = 0x05 | 0x30;
  static final int RET_K = 0x06;

  public BpfInstruction {
    if (code < 0 || code > 0xFFFF) throw new IllegalArgumentException("code out of range: " + code);
    if (jt < 0 || jt > 0xFF || jf < 0 || jf > 0xFF) {
      throw new IllegalArgumentException("conditional jump offset out of range: " + jt + "/" + jf);
    }
  }

  static BpfInstruction loadWord(int offset) {
    return new BpfInstruction(LD_W_ABS, 0, 0, offset);
  }

  static BpfInstruction andConstant(int mask) {
    return new BpfInstruction(ALU_AND_K, 0, 0, mask);
  }

  static BpfInstruction ret(int value) {
    return new BpfInstruction(RET_K, 0, 0, value);
  }

  static BpfInstruction jump(int offset) {
    return new BpfInstruction(JMP_JA, 0, 0, offset);
  }
}
