package org.jocker.images.snapshot;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.jocker.images.ImageException;
import org.jocker.images.layer.FileSystemCallException;
import org.jocker.images.layer.FileSystemCalls;
import org.jocker.kernel.Errno;

/**
 * Makes an overlay {@link Mount}, whatever the number of layers: mount(2) copies one page of
 * options, so longer lists of lower directories go through the new mount API one "lowerdir+" at a
 * time (Linux 6.8), or, where overlay has no "lowerdir+", as paths relative to the snapshots
 * directory, as containerd does.
 */
final class OverlayMounter {
  /** mount(2) copies one page of options and cuts the last byte for the terminating NUL. */
  private static final int PAGE_SIZE = 4096;

  private final FileSystemCalls calls;

  OverlayMounter(FileSystemCalls calls) {
    this.calls = calls;
  }

  void mount(Mount mount, Path target) {
    List<String> data = mount.options().stream().filter(o -> !o.equals("ro")).toList();
    long flags = mount.readOnly() ? FileSystemCalls.MS_RDONLY : 0;
    String joined = String.join(",", data);
    if (fitsOnePage(joined)) {
      calls.mount(mount.source(), target, "overlay", flags, joined);
      return;
    }
    List<String> others = mount.options().stream().filter(o -> !o.startsWith(Mount.LOWERDIR)).toList();
    try {
      calls.mountOverlay(mount.lowerDirs(), others, target);
    } catch (FileSystemCallException e) {
      // Before 6.8 overlay refuses "lowerdir+" (EINVAL); before 5.2 there is no fsopen (ENOSYS).
      if (e.errno() != Errno.EINVAL && e.errno() != Errno.ENOSYS) {
        throw e;
      }
      mountRelative(mount, data, flags, target, e);
    }
  }

  private void mountRelative(Mount mount, List<String> data, long flags, Path target, FileSystemCallException refused) {
    RelativeOverlayOptions relative = RelativeOverlayOptions.of(data);
    try {
      if (!fitsOnePage(relative.data())) {
        throw new ImageException("cannot mount " + mount.lowerDirs().size() + " layers on " + target
            + " with this kernel: even relative to " + relative.directory() + " the overlay options take "
            + bytes(relative.data()) + " bytes, and mount(2) takes " + (PAGE_SIZE - 1)
            + " (Linux 6.8 and later mount up to overlay's 500 layers)");
      }
      calls.mountIn(relative.directory(), mount.source(), target, "overlay", flags, relative.data());
    } catch (RuntimeException e) {
      e.addSuppressed(refused);
      throw e;
    }
  }

  private static boolean fitsOnePage(String data) {
    return bytes(data) < PAGE_SIZE;
  }

  private static int bytes(String data) {
    return data.getBytes(StandardCharsets.UTF_8).length;
  }
}
