package org.jocker.engine.attach;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DetachKeysTest {
  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static String filter(DetachKeys keys, String s) {
    byte[] out = keys.filter(bytes(s), s.length());
    return out == null ? null : new String(out, StandardCharsets.ISO_8859_1);
  }

  @Test
  void ctrlPCtrlQDetachesAndNothingOfItGoesThrough() {
    assertThat(filter(new DetachKeys(), "ls\r\u0010\u0011")).isNull();
  }

  @Test
  void aCtrlPWaitsForTheNextByteEvenInTheNextRead() {
    DetachKeys keys = new DetachKeys();
    assertThat(filter(keys, "a\u0010")).isEqualTo("a");
    assertThat(filter(keys, "b")).isEqualTo("\u0010b");
    assertThat(filter(keys, "\u0010")).isEmpty();
    assertThat(filter(keys, "\u0011")).isNull();
  }

  @Test
  void otherControlKeysPassUnchanged() {
    assertThat(filter(new DetachKeys(), "\u0003\u0011\u0010\u0010\u0011")).isNull();
    assertThat(filter(new DetachKeys(), "\u0003\u0011x")).isEqualTo("\u0003\u0011x");
  }
}
