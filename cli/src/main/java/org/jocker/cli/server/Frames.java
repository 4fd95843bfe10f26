package org.jocker.cli.server;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** The 8-byte frames after a request (u32 type, i32 value), as client.c defines them. */
final class Frames {
  static final int SIGNAL = 1;
  static final int EXIT = 2;
  /** "Run this command in a fresh JVM": the client execs java itself. */
  static final int FALLBACK = 3;
  /** Engine to client: spawn the launcher (ClientLauncherParent); a body follows. */
  static final int SPAWN = 4;
  /** Client to engine: the spawned launcher's pid, or -errno. */
  static final int SPAWNED = 5;
  static final int SIZE = 8;

  private Frames() {}

  static byte[] encode(int type, int value) {
    return ByteBuffer.allocate(SIZE).order(ByteOrder.nativeOrder()).putInt(type).putInt(value).array();
  }

  static int type(byte[] frame) {
    return ByteBuffer.wrap(frame).order(ByteOrder.nativeOrder()).getInt(0);
  }

  static int value(byte[] frame) {
    return ByteBuffer.wrap(frame).order(ByteOrder.nativeOrder()).getInt(4);
  }
}
