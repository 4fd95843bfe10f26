package org.jocker.images.pull;

/** Where a layer of a pull is, in the words Docker prints beside its ID. */
public enum LayerState {
  PULLING_FS_LAYER("Pulling fs layer"),
  WAITING("Waiting"),
  DOWNLOADING("Downloading"),
  VERIFYING("Verifying Checksum"),
  DOWNLOAD_COMPLETE("Download complete"),
  ALREADY_EXISTS("Already exists"),
  EXTRACTING("Extracting"),
  PULL_COMPLETE("Pull complete");

  private final String words;

  LayerState(String words) {
    this.words = words;
  }

  public String words() {
    return words;
  }
}
