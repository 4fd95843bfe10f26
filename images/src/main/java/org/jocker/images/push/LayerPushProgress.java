package org.jocker.images.push;

/**
 * One layer's state during a push: its short ID (12 hex digits of its digest), while pushing the
 * bytes sent so far of {@code total}, and for a mount the repository it came from.
 */
public record LayerPushProgress(String id, PushState state, long current, long total, String source) {
  public static LayerPushProgress of(String id, PushState state) {
    return new LayerPushProgress(id, state, 0, 0, null);
  }

  /** What Docker prints after the ID: {@code Pushed}, {@code Mounted from library/busybox}. */
  public String words() {
    return source == null ? state.words() : state.words() + " " + source;
  }
}
