package org.jocker.engine.attach;

import java.io.ByteArrayOutputStream;

/**
 * Finds Docker's detach sequence, Ctrl-P Ctrl-Q, in what the caller types. A Ctrl-P is held back
 * until the next byte shows whether it starts the sequence; if not, both go to the container.
 */
final class DetachKeys {
  private static final byte CTRL_P = 0x10;
  private static final byte CTRL_Q = 0x11;

  private boolean heldCtrlP;

  /** What the container gets of buf[0..len); null when the sequence was typed (then nothing goes). */
  byte[] filter(byte[] buf, int len) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(len + 1);
    for (int i = 0; i < len; i++) {
      byte b = buf[i];
      if (heldCtrlP) {
        heldCtrlP = false;
        if (b == CTRL_Q) {
          return null;
        }
        out.write(CTRL_P);
      }
      if (b == CTRL_P) {
        heldCtrlP = true;
      } else {
        out.write(b);
      }
    }
    return out.toByteArray();
  }
}
