package org.jocker.images.snapshot;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.jocker.images.ImageException;
import org.jocker.images.layer.FileSystemCalls;

/**
 * A mount to make, in containerd's terms: "overlay" (source "overlay", options lowerdir=...,
 * upperdir=..., workdir=...) or "bind" (source a directory; option "ro" for read-only).
 */
public record Mount(String type, String source, List<String> options) {
  static final String LOWERDIR = "lowerdir=";

  public Mount {
    options = List.copyOf(options);
  }

  public boolean readOnly() {
    return options.contains("ro");
  }

  /** Makes this mount on {@code target} (an existing directory). */
  public void mount(Path target) {
    mount(target, FileSystemCalls.linux());
  }

  public void mount(Path target, FileSystemCalls calls) {
    switch (type) {
      case "bind" -> {
        calls.mount(source, target, null, FileSystemCalls.MS_BIND | FileSystemCalls.MS_REC, null);
        if (readOnly()) { // a bind mount ignores MS_RDONLY until remounted
          try {
            calls.mount(source, target, null,
                FileSystemCalls.MS_REMOUNT | FileSystemCalls.MS_BIND | FileSystemCalls.MS_RDONLY, null);
          } catch (RuntimeException e) {
            calls.unmount(target, true);
            throw e;
          }
        }
      }
      case "overlay" -> new OverlayMounter(calls).mount(this, target);
      default -> throw new ImageException("mount type " + type + " is not supported (on " + target + ")");
    }
  }

  /** The overlay's lower directories, top first (none for a bind mount). */
  public List<Path> lowerDirs() {
    return options.stream().filter(o -> o.startsWith(LOWERDIR))
        .flatMap(o -> Arrays.stream(o.substring(LOWERDIR.length()).split(":"))).map(Path::of).toList();
  }

  /** Unmounts {@code target}. */
  public static void unmount(Path target) {
    FileSystemCalls.linux().unmount(target, false);
  }
}
