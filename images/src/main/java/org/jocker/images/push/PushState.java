package org.jocker.images.push;

/** Where a layer of a push is, in the words Docker prints beside its ID. */
public enum PushState {
  PREPARING("Preparing"),
  WAITING("Waiting"),
  PUSHING("Pushing"),
  PUSHED("Pushed"),
  ALREADY_EXISTS("Layer already exists"),
  MOUNTED("Mounted from");

  private final String words;

  PushState(String words) {
    this.words = words;
  }

  public String words() {
    return words;
  }
}
