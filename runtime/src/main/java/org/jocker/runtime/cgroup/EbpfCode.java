package org.jocker.runtime.cgroup;

import java.io.ByteArrayOutputStream;

/**
 * The few eBPF instructions a device filter needs, encoded as the kernel reads them: 8 bytes each,
 * little-endian (opcode, dst|src&lt;&lt;4, 16-bit offset, 32-bit immediate). Jump offsets count
 * instructions after the jump. 32-bit ALU and JMP32 forms are used throughout: the context's
 * fields are u32, and the 32-bit forms take the immediate as is, without 64-bit sign extension.
 */
final class EbpfCode {
  static final int R0 = 0;
  static final int R1 = 1;

  private static final int LDX_MEM_W = 0x61;
  private static final int ALU32_MOV_IMM = 0xb4;
  private static final int ALU32_MOV_REG = 0xbc;
  private static final int ALU32_AND_IMM = 0x54;
  private static final int ALU32_RSH_IMM = 0x74;
  private static final int JMP32_JEQ_IMM = 0x16;
  private static final int JMP32_JNE_IMM = 0x56;
  private static final int JMP_EXIT = 0x95;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  /** dst = *(u32 *)(src + offset) */
  EbpfCode loadWord(int dst, int src, int offset) {
    return emit(LDX_MEM_W, dst, src, offset, 0);
  }

  EbpfCode move(int dst, int src) {
    return emit(ALU32_MOV_REG, dst, src, 0, 0);
  }

  EbpfCode moveImm(int dst, int imm) {
    return emit(ALU32_MOV_IMM, dst, 0, 0, imm);
  }

  EbpfCode and(int dst, int imm) {
    return emit(ALU32_AND_IMM, dst, 0, 0, imm);
  }

  EbpfCode shiftRight(int dst, int bits) {
    return emit(ALU32_RSH_IMM, dst, 0, 0, bits);
  }

  /** if (dst == imm) skip {@code skip} instructions */
  EbpfCode jumpIfEqual(int dst, int imm, int skip) {
    return emit(JMP32_JEQ_IMM, dst, 0, skip, imm);
  }

  /** if (dst != imm) skip {@code skip} instructions */
  EbpfCode jumpIfNotEqual(int dst, int imm, int skip) {
    return emit(JMP32_JNE_IMM, dst, 0, skip, imm);
  }

  /** return imm */
  EbpfCode returnImm(int imm) {
    moveImm(R0, imm);
    return emit(JMP_EXIT, 0, 0, 0, 0);
  }

  EbpfCode append(EbpfCode other) {
    out.writeBytes(other.bytes());
    return this;
  }

  int size() {
    return out.size() / 8;
  }

  byte[] bytes() {
    return out.toByteArray();
  }

  private EbpfCode emit(int opcode, int dst, int src, int offset, int imm) {
    if (offset < Short.MIN_VALUE || offset > Short.MAX_VALUE) {
      throw new CgroupException("cgroup devices: too many device rules for one eBPF jump");
    }
    out.write(opcode);
    out.write(dst | src << 4);
    out.write(offset & 0xff);
    out.write(offset >> 8 & 0xff);
    for (int i = 0; i < 4; i++) {
      out.write(imm >> 8 * i & 0xff);
    }
    return this;
  }
}
