package org.jocker.build.dockerfile;

import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * One {@code RUN --mount=type=...}, its defaults applied as Docker documents them. Its string
 * options are expanded with the stage's variables ({@link #expand}); {@code from} never is.
 */
public sealed interface Mount {
  String target();

  /** The same mount with its string options passed through {@code expand}. */
  Mount expand(UnaryOperator<String> expand);

  /** The context, or {@code from} a stage or image; read-only unless {@code rw} (then discarded). */
  record Bind(String target, String source, Optional<String> from, boolean readWrite)
      implements Mount {
    @Override
    public Bind expand(UnaryOperator<String> e) {
      return new Bind(e.apply(target), e.apply(source), from, readWrite);
    }
  }

  /** A directory kept between builds, by id (default: the target). */
  record Cache(
      String target,
      String id,
      Sharing sharing,
      Optional<String> from,
      String source,
      boolean readOnly,
      int mode,
      int uid,
      int gid)
      implements Mount {
    @Override
    public Cache expand(UnaryOperator<String> e) {
      return new Cache(e.apply(target), e.apply(id), sharing, from, e.apply(source), readOnly, mode, uid, gid);
    }
  }

  /** How concurrent builds share one cache mount. */
  enum Sharing {
    SHARED,
    PRIVATE,
    LOCKED
  }

  /** A tmpfs; size in bytes, 0 for no limit. */
  record Tmpfs(String target, long size) implements Mount {
    @Override
    public Tmpfs expand(UnaryOperator<String> e) {
      return new Tmpfs(e.apply(target), size);
    }
  }

  /**
   * A secret of the build ({@code --secret id=...}): a file at {@code target} (default
   * /run/secrets/ID), or the variable {@code env}.
   */
  record Secret(
      String target, String id, Optional<String> env, boolean required, int mode, int uid, int gid)
      implements Mount {
    @Override
    public Secret expand(UnaryOperator<String> e) {
      return new Secret(e.apply(target), e.apply(id), env.map(e), required, mode, uid, gid);
    }
  }

  /** The forwarded SSH agent socket. */
  record Ssh(String target, String id, boolean required, int mode, int uid, int gid)
      implements Mount {
    @Override
    public Ssh expand(UnaryOperator<String> e) {
      return new Ssh(e.apply(target), e.apply(id), required, mode, uid, gid);
    }
  }
}
