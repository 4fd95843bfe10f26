package org.jocker.cli.format;

import java.io.PrintStream;
import java.util.List;
import org.jocker.images.pull.PulledImage;

/** Docker's last line of a pull: whether it brought a newer image, or the image was up to date. */
public final class PullStatus {
  private PullStatus() {}

  public static void print(PrintStream out, List<PulledImage> pulled, boolean allTags) {
    if (pulled.isEmpty()) {
      return;
    }
    boolean changed = pulled.stream().anyMatch(PulledImage::changed);
    String name = allTags ? pulled.get(0).reference().familiarName() : pulled.get(0).reference().familiar();
    out.println(changed ? "Status: Downloaded newer image for " + name : "Status: Image is up to date for " + name);
  }
}
