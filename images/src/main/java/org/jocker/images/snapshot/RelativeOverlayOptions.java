package org.jocker.images.snapshot;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.jocker.images.ImageException;

/**
 * Overlay options whose directories are relative to the nearest directory that holds them all, to
 * be mounted from there ({@code directory}): "lowerdir=12/fs:11/fs,upperdir=13/fs,workdir=13/work"
 * for snapshots in one snapshots directory, as containerd shortens them. A layer then costs its
 * snapshot number and four bytes, so with numbers of up to six digits about 400 layers fit in the
 * page mount(2) takes (Docker stops at 128 layers, overlay at 500).
 */
record RelativeOverlayOptions(Path directory, String data) {
  private static final List<String> DIRECTORY_KEYS = List.of("lowerdir", "upperdir", "workdir");

  /** {@code options} as a Mount has them, "ro" aside: "key=value" (lowerdir's value is ":"-joined). */
  static RelativeOverlayOptions of(List<String> options) {
    List<Path> dirs = new ArrayList<>();
    for (String option : options) {
      if (isDirectoryOption(option)) {
        Arrays.stream(value(option).split(":")).map(Path::of).forEach(dirs::add);
      }
    }
    Path directory = commonAncestor(dirs);
    String data = options.stream().map(o -> isDirectoryOption(o) ? relative(o, directory) : o)
        .collect(Collectors.joining(","));
    return new RelativeOverlayOptions(directory, data);
  }

  private static boolean isDirectoryOption(String option) {
    int equals = option.indexOf('=');
    return equals > 0 && DIRECTORY_KEYS.contains(option.substring(0, equals));
  }

  private static String value(String option) {
    return option.substring(option.indexOf('=') + 1);
  }

  private static String relative(String option, Path directory) {
    String key = option.substring(0, option.indexOf('='));
    return key + "=" + Arrays.stream(value(option).split(":"))
        .map(dir -> directory.relativize(Path.of(dir)).toString()).collect(Collectors.joining(":"));
  }

  /** The deepest directory above each of {@code dirs} (absolute paths). */
  private static Path commonAncestor(List<Path> dirs) {
    for (Path ancestor = dirs.getFirst().getParent(); ancestor != null; ancestor = ancestor.getParent()) {
      Path candidate = ancestor;
      if (dirs.stream().allMatch(d -> d.startsWith(candidate) && !d.equals(candidate))) {
        return candidate;
      }
    }
    throw new ImageException("overlay directories " + dirs + " have no directory above them all");
  }
}
