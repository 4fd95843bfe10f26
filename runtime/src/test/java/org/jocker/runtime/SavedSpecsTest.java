package org.jocker.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jocker.runtime.spec.Spec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SavedSpecsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  @Test
  void parsedOnceWhileTheFileHoldsTheSameBytes() throws Exception {
    Path config = tmp.resolve("config.json");
    Files.writeString(config, "{\"ociVersion\":\"1.2.0\",\"hostname\":\"a\"}");
    Spec first = SavedSpecs.read(config, JSON);
    assertThat(SavedSpecs.read(config, JSON)).isSameAs(first);
    // same size, same path, written again at once: another config all the same
    Files.writeString(config, "{\"ociVersion\":\"1.2.0\",\"hostname\":\"b\"}");
    Spec second = SavedSpecs.read(config, JSON);
    assertThat(second.hostname()).isEqualTo("b");
    assertThat(first.hostname()).isEqualTo("a");
  }
}
