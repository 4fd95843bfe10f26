package org.jocker.build.stage;

/** What a stage starts from: an earlier stage, an image from the store or a registry, or nothing. */
public sealed interface Base {
  record OfStage(int index) implements Base {}

  /** The reference as FROM names it, variables expanded. */
  record OfImage(String reference) implements Base {}

  record Scratch() implements Base {}
}
