package org.jocker.build.executor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jocker.build.dockerfile.Mount;
import org.jocker.build.dockerfile.SourceLines;
import org.jocker.engine.lifecycle.BuildProcess;
import org.jocker.images.CacheMounts;

/**
 * A RUN's {@code --mount}s made real for its container: a cache mount is its directory under the
 * root (kept between builds; sharing=locked and private hold it alone while the RUN runs), a tmpfs
 * a fresh one, a bind a read-only view of a file or directory of the context. Close it when the RUN
 * ended (releases the locks).
 */
final class RunMounts implements AutoCloseable {
  private final List<BuildProcess.RunMount> mounts = new ArrayList<>();
  private final List<CacheMounts.InUse> held = new ArrayList<>();

  static RunMounts of(BuildSession session, List<Mount> requested, String workdir, String label, SourceLines lines) {
    RunMounts made = new RunMounts();
    try {
      for (Mount m : requested) {
        String target = "/" + InRootPaths.clean(InRootPaths.resolve(workdir, m.target()));
        switch (m) {
          case Mount.Cache c -> {
            if (c.from().isPresent()) {
              throw new StepFailedException("RUN --mount=type=cache,from= is not supported yet", label, lines);
            }
            CacheMounts.InUse dir = session.images().buildCache().mounts().open(c.id(), c.mode(), c.uid(), c.gid(),
                c.sharing() != Mount.Sharing.SHARED);
            made.held.add(dir);
            made.mounts.add(new BuildProcess.RunMount.Bind(dir.directory(), target, c.readOnly()));
          }
          case Mount.Tmpfs t -> made.mounts.add(new BuildProcess.RunMount.Tmpfs(target, t.size()));
          case Mount.Bind b -> made.mounts.add(bind(session, b, target, label, lines));
          case Mount.Secret s -> throw new StepFailedException("RUN --mount=type=secret is not supported yet", label, lines);
          case Mount.Ssh s -> throw new StepFailedException("RUN --mount=type=ssh is not supported yet", label, lines);
        }
      }
      return made;
    } catch (RuntimeException e) {
      made.close();
      throw e;
    }
  }

  /** A read-only bind of the context's file or directory {@code source} (never a path out of the context). */
  private static BuildProcess.RunMount bind(BuildSession session, Mount.Bind b, String target, String label,
      SourceLines lines) {
    if (b.from().isPresent() || b.readWrite()) {
      throw new StepFailedException("RUN --mount=type=bind with from= or rw is not supported yet", label, lines);
    }
    Path root = session.context().root();
    try {
      Path realRoot = root.toRealPath();
      Path source = realRoot.resolve(InRootPaths.clean(b.source())).toRealPath();
      if (!source.startsWith(realRoot)) {
        throw new StepFailedException("bind source " + b.source() + " is outside the build context", label, lines);
      }
      return new BuildProcess.RunMount.Bind(source, target, true);
    } catch (IOException e) {
      throw new StepFailedException("failed to compute cache key: \"/" + InRootPaths.clean(b.source())
          + "\": not found", label, lines, e);
    }
  }

  List<BuildProcess.RunMount> mounts() {
    return mounts;
  }

  @Override
  public void close() {
    held.forEach(CacheMounts.InUse::close);
  }
}
