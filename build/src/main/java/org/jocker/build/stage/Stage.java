package org.jocker.build.stage;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jocker.build.dockerfile.Instruction;

/**
 * One stage: its FROM (the image and platform expanded with the global ARGs), what it starts from,
 * the instructions after its FROM, and the stages it copies or mounts from ({@code dependsOn},
 * its base stage included).
 */
public record Stage(
    int index,
    Optional<String> name,
    Instruction.From from,
    String image,
    Optional<String> platform,
    Base base,
    List<Instruction> instructions,
    Set<Integer> dependsOn) {

  /** How Docker names a stage in messages: its name, else its index. */
  public String displayName() {
    return name.orElse(String.valueOf(index));
  }
}
