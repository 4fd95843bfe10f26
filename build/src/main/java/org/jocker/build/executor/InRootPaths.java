package org.jocker.build.executor;

import java.nio.file.Path;

/** In-root paths: absolute, cleaned ("..", "." and repeated slashes gone), "" for the root itself. */
final class InRootPaths {
  private InRootPaths() {}

  /** {@code path} cleaned, without its leading slash ("" for /). */
  static String clean(String path) {
    String normal = Path.of("/").resolve(path.isEmpty() ? "." : path).normalize().toString();
    return normal.equals("/") ? "" : normal.substring(1);
  }

  /** {@code path} against the working directory when relative, as Docker resolves a destination. */
  static String resolve(String workdir, String path) {
    if (path.startsWith("/")) {
      return path;
    }
    String base = workdir == null || workdir.isEmpty() ? "/" : workdir;
    return base.endsWith("/") ? base + path : base + "/" + path;
  }

  static String baseName(String path) {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? path : path.substring(slash + 1);
  }
}
