package org.jocker.images.snapshot;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jocker.images.ImageException;
import org.jocker.images.layer.FileSystemCalls;

/**
 * A mount to make, in containerd's terms: "overlay" (source "overlay", options lowerdir=...,
 * upperdir=..., workdir=...) or "bind" (source a directory; option "ro" for read-only).
 */
public record Mount(String type, String source, List<String> options) {
  /** The overlay option string must fit in one page (mount(2) copies at most that much). */
  private static final int PAGE_SIZE = 4096;

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
      case "overlay" -> mountOverlay(target, calls);
      default -> throw new ImageException("mount type " + type + " is not supported (on " + target + ")");
    }
  }

  private void mountOverlay(Path target, FileSystemCalls calls) {
    List<String> data = options.stream().filter(o -> !o.equals("ro")).toList();
    String joined = String.join(",", data);
    if (joined.length() < PAGE_SIZE) {
      calls.mount(source, target, "overlay", readOnly() ? FileSystemCalls.MS_RDONLY : 0, joined);
      return;
    }
    // Too many lowerdirs for one page: the new mount API takes them one "lowerdir+" at a time.
    List<Path> lowers = new ArrayList<>();
    List<String> others = new ArrayList<>();
    for (String option : options) {
      if (option.startsWith("lowerdir=")) {
        Arrays.stream(option.substring("lowerdir=".length()).split(":")).map(Path::of).forEach(lowers::add);
      } else {
        others.add(option);
      }
    }
    calls.mountOverlay(lowers, others, target);
  }

  /** Unmounts {@code target}. */
  public static void unmount(Path target) {
    FileSystemCalls.linux().unmount(target, false);
  }
}
