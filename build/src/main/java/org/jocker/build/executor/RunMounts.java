package org.jocker.build.executor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.jocker.build.dockerfile.Heredoc;
import org.jocker.build.dockerfile.Mount;
import org.jocker.build.dockerfile.SourceLines;
import org.jocker.engine.lifecycle.BuildProcess;
import org.jocker.images.CacheMounts;

/**
 * A RUN's {@code --mount}s made real for its container: a cache mount is its directory under the
 * root (kept between builds; sharing=locked and private hold it alone while the RUN runs), a tmpfs
 * a fresh one, a bind a read-only view of a file or directory of the context, a secret a file
 * and/or variable of --secret's value; and a heredoc RUN's script. Close it when the RUN ended
 * (releases the locks).
 */
final class RunMounts implements AutoCloseable {
  /** Where a heredoc RUN with a shebang finds its script (BuildKit's directory). */
  static final String SCRIPTS = "/dev/pipes";
  private static final int SCRIPT_MODE = 0755;
  private final List<BuildProcess.RunMount> mounts = new ArrayList<>();
  private final List<String> env = new ArrayList<>();
  private final List<CacheMounts.InUse> held = new ArrayList<>();

  static RunMounts of(BuildSession session, List<Mount> requested, String workdir, String label, SourceLines lines) {
    RunMounts made = new RunMounts();
    try {
      for (Mount m : requested) {
        String target = m.target().isEmpty() ? "" : "/" + InRootPaths.clean(InRootPaths.resolve(workdir, m.target()));
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
          case Mount.Secret s -> made.secret(session, s, target, label, lines);
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

  /**
   * A secret of --secret: a file only this RUN sees (a copy in the sandbox with the mount's mode
   * and owner, bound read-only), and/or a variable of its environment; none, when the build has no
   * such secret and it is not {@code required} (as BuildKit).
   */
  private void secret(BuildSession session, Mount.Secret secret, String target, String label, SourceLines lines) {
    byte[] value = session.secrets().get(secret.id());
    if (value == null) {
      if (secret.required()) {
        throw new StepFailedException("secret " + secret.id() + ": not found", label, lines);
      }
      return;
    }
    secret.env().ifPresent(name -> env.add(name + "=" + new String(value, StandardCharsets.UTF_8)));
    if (target.isEmpty()) {
      return;
    }
    Path file = session.sandbox().scratchDirectory("secret-" + session.keys().incrementAndGet()).resolve("secret");
    try {
      Files.write(file, value);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions(secret.mode())));
      Files.setAttribute(file, "unix:uid", secret.uid());
      Files.setAttribute(file, "unix:gid", secret.gid());
    } catch (IOException e) {
      throw new StepFailedException("cannot prepare secret " + secret.id() + ": " + e.getMessage(), label, lines, e);
    }
    mounts.add(new BuildProcess.RunMount.Bind(file, target, true));
  }

  /**
   * A heredoc RUN with a shebang, as BuildKit gives it: a file of that name (0755) in a directory
   * of its own bound read-only at {@link #SCRIPTS}, which the RUN executes.
   */
  void script(BuildSession session, Heredoc doc, String label, SourceLines lines) {
    Path dir = session.sandbox().scratchDirectory("heredoc-" + session.keys().incrementAndGet());
    try {
      Path file = Files.writeString(dir.resolve(doc.name()), doc.content());
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions(SCRIPT_MODE)));
    } catch (IOException e) {
      throw new StepFailedException("cannot prepare inline document " + doc.name() + ": " + e.getMessage(), label,
          lines, e);
    }
    mounts.add(new BuildProcess.RunMount.Bind(dir, SCRIPTS, true));
  }

  private static String permissions(int mode) {
    StringBuilder b = new StringBuilder();
    for (int i = 8; i >= 0; i--) {
      b.append((mode & (1 << i)) == 0 ? '-' : "rwx".charAt((8 - i) % 3));
    }
    return b.toString();
  }

  /** Variables the RUN's environment gets from secrets with {@code env=}. */
  List<String> env() {
    return env;
  }

  List<BuildProcess.RunMount> mounts() {
    return mounts;
  }

  @Override
  public void close() {
    held.forEach(CacheMounts.InUse::close);
  }
}
