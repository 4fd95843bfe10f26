package org.jocker.images.pull;

/**
 * One layer's state during a pull: its short ID (12 hex digits of its digest, as Docker shows
 * it) and, while downloading, the bytes so far of {@code total}.
 */
public record LayerProgress(String id, LayerState state, long current, long total) {
  public static LayerProgress of(String id, LayerState state) {
    return new LayerProgress(id, state, 0, 0);
  }
}
