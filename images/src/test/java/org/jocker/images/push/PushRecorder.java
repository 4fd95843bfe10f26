package org.jocker.images.push;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** What the push reported: each layer's states in order, and the lines of its own. */
final class PushRecorder implements PushProgress {
  private final List<LayerPushProgress> layers = Collections.synchronizedList(new ArrayList<>());
  private final List<String> lines = Collections.synchronizedList(new ArrayList<>());

  @Override
  public void layer(LayerPushProgress progress) {
    layers.add(progress);
  }

  @Override
  public void message(String line) {
    lines.add(line);
  }

  List<String> lines() {
    return List.copyOf(lines);
  }

  List<String> states(String id) {
    List<String> states = new ArrayList<>();
    for (LayerPushProgress p : List.copyOf(layers)) {
      if (p.id().equals(id) && (states.isEmpty() || !states.getLast().equals(p.state().words())
          || p.state() != PushState.PUSHING)) {
        states.add(p.source() == null ? p.state().words() : p.words());
      }
    }
    return states;
  }

  void clear() {
    layers.clear();
    lines.clear();
  }
}
