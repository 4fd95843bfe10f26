package org.jocker.runtime.seccomp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A classic-BPF program encoded as the kernel's {@code struct sock_filter[]} (little-endian, 8 bytes
 * per instruction): what the launcher points {@code sock_fprog.filter} at.
 */
public record BpfProgram(byte[] bytes) {
  /** The kernel refuses filters longer than BPF_MAXINSNS. */
  public static final int MAX_INSTRUCTIONS = 4096;

  public BpfProgram {
    if (bytes.length % BpfInstruction.SIZE != 0) {
      throw new IllegalArgumentException("BPF program length is not a multiple of 8: " + bytes.length);
    }
    bytes = bytes.clone();
  }

  static BpfProgram of(List<BpfInstruction> instructions) {
    ByteBuffer buffer =
        ByteBuffer.allocate(instructions.size() * BpfInstruction.SIZE).order(ByteOrder.LITTLE_ENDIAN);
    for (BpfInstruction insn : instructions) {
      buffer.putShort((short) insn.code()).put((byte) insn.jt()).put((byte) insn.jf()).putInt(insn.k());
    }
    return new BpfProgram(buffer.array());
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof BpfProgram program && Arrays.equals(bytes, program.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "BpfProgram[" + instructionCount() + " instructions]";
  }

  public int instructionCount() {
    return bytes.length / BpfInstruction.SIZE;
  }

  public List<BpfInstruction> instructions() {
    ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    List<BpfInstruction> result = new ArrayList<>(instructionCount());
    while (buffer.hasRemaining()) {
      int code = Short.toUnsignedInt(buffer.getShort());
      int jt = Byte.toUnsignedInt(buffer.get());
      int jf = Byte.toUnsignedInt(buffer.get());
      result.add(new BpfInstruction(code, jt, jf, buffer.getInt()));
    }
    return result;
  }
}
