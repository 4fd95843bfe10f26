package org.jocker.kernel;

import static org.jocker.kernel.OpenFlags.O_CREAT;
import static org.jocker.kernel.OpenFlags.O_DIRECTORY;
import static org.jocker.kernel.OpenFlags.O_EXCL;
import static org.jocker.kernel.OpenFlags.O_NOFOLLOW;
import static org.jocker.kernel.OpenFlags.O_PATH;

import java.nio.file.Path;
import java.util.List;

/**
 * Paths as a process whose root is a given directory sees them (a container's, an image's rootfs):
 * symlinks, absolute ones included, are resolved inside the root, ".." stops at it, procfs's magic
 * links are refused, more than 40 links fail with ELOOP. The one resolver for paths inside a root
 * on the Java side, as the launcher's openat2(RESOLVE_IN_ROOT) is on the C side.
 *
 * <p>{@link #open} uses openat2(RESOLVE_IN_ROOT|RESOLVE_NO_MAGICLINKS) and, where the kernel has
 * none (ENOSYS, before 5.6) or with grafts, the same resolution done one name at a time through
 * held descriptors ({@link RootWalk}). Either way nothing is resolved by a path string twice, so
 * a directory swapped for a symlink meanwhile cannot lead out of the root. {@link #locate} gives
 * the directory and name of a path instead, for creating or replacing it.
 *
 * <p>The root descriptor stays the caller's; every descriptor returned is the caller's to close.
 * Failures are {@link KernelException}s with the errno and the in-root path they stopped at.
 */
public final class InRoot {
  /** openat2 fails with EAGAIN when a rename or mount races a ".."; after this many tries, walk. */
  private static final int OPENAT2_TRIES = 8;
  private static volatile boolean openat2Missing;

  /**
   * Host files or directories grafted into the tree at in-root paths, as a container's bind
   * mounts are: a walk reaching such a path goes on in the host's directory.
   */
  @FunctionalInterface
  public interface Grafts {
    Grafts NONE = path -> null;

    /** The host path grafted at {@code path} (absolute in the root, normalised), or null. */
    Path at(String path);
  }

  /** How {@link #locate} treats a path. */
  public enum Option {
    /** A symlink as the last component is followed (else it is the result itself). */
    FOLLOW_LAST,
    /** Missing directories before the last component are made (mode 0755 less the umask). */
    MAKE_PARENTS
  }

  /**
   * A located path: {@code name} in {@code directory} (or "." for the directory itself; it may be
   * missing), {@code path} its normalised in-root path after the symlinks followed, {@code graft}
   * the in-root path of the innermost graft it is on (null: the root's own tree).
   */
  public record Located(Descriptor directory, String name, String path, String graft) implements AutoCloseable {
    /** /proc/self/fd/DIR/NAME: a lookup of one name in the held directory, following nothing else. */
    public Path file() {
      return directory.path().resolve(name);
    }

    @Override
    public void close() {
      directory.close();
    }
  }

  /** Which resolution {@link #open} tries first; the walk is forced in tests. */
  enum Resolver { OPENAT2, WALK }

  private final Descriptor root;
  private final Grafts grafts;
  private final Resolver resolver;

  private InRoot(Descriptor root, Grafts grafts, Resolver resolver) {
    this.root = root;
    this.grafts = grafts;
    this.resolver = resolver;
  }

  /** Paths in the directory {@code root} (an O_PATH descriptor of it will do). */
  public static InRoot of(Descriptor root) {
    return new InRoot(root, Grafts.NONE, Resolver.OPENAT2);
  }

  /** Paths in {@code root} with {@code grafts} in its tree (always walked: openat2 knows no grafts). */
  public static InRoot of(Descriptor root, Grafts grafts) {
    return new InRoot(root, grafts, Resolver.WALK);
  }

  /** Resolution by the walk alone, as on a kernel without openat2. */
  static InRoot walking(Descriptor root) {
    return new InRoot(root, Grafts.NONE, Resolver.WALK);
  }

  /** Opens {@code path} with open(2)'s {@code flags} (O_CLOEXEC added; see {@link OpenFlags}). */
  public Descriptor open(String path, int flags) {
    return open(path, flags, 0);
  }

  /**
   * Opens {@code path} with {@code flags}, as openat2 takes them (with O_PATH only O_DIRECTORY and
   * O_NOFOLLOW), and {@code mode} for a file O_CREAT makes.
   */
  public Descriptor open(String path, int flags, int mode) {
    if (resolver == Resolver.OPENAT2 && !openat2Missing) {
      for (int i = 0; i < OPENAT2_TRIES; i++) {
        try {
          return new Descriptor(AtCalls.openat2(root.number(), path.isEmpty() ? "." : path, flags, mode,
              AtCalls.RESOLVE_IN_ROOT | AtCalls.RESOLVE_NO_MAGICLINKS, path));
        } catch (KernelException e) {
          if (e.errno() == Errno.ENOSYS) {
            openat2Missing = true;
            break;
          }
          if (e.errno() != Errno.EAGAIN) {
            throw e;
          }
        }
      }
    }
    return walkAndOpen(path, flags, mode);
  }

  /**
   * The directory holding {@code path}'s last component and its name, after every symlink before
   * it (and the last one too with {@link Option#FOLLOW_LAST}); the last component may be missing.
   * A path that ends in a directory through "." or ".." is that directory with the name ".", and
   * so is a grafted directory. A trailing slash is ignored: callers check what they found.
   */
  public Located locate(String path, Option... options) {
    List<Option> asked = List.of(options);
    try (RootWalk walk = new RootWalk(root, grafts)) {
      RootWalk.Leaf leaf = walk.walk(path, asked.contains(Option.FOLLOW_LAST), asked.contains(Option.MAKE_PARENTS));
      if (leaf.opened() != null) {
        leaf.opened().close();
      }
      return new Located(leaf.parent(), leaf.name(), leaf.path(), leaf.graft());
    }
  }

  private Descriptor walkAndOpen(String path, int flags, int mode) {
    // as open(2): O_NOFOLLOW, or O_CREAT|O_EXCL, keeps a last symlink; a trailing slash asks for a directory
    boolean followLast = (flags & O_NOFOLLOW) == 0 && (flags & (O_CREAT | O_EXCL)) != (O_CREAT | O_EXCL);
    try (RootWalk walk = new RootWalk(root, grafts)) {
      RootWalk.Leaf leaf = walk.walk(path.endsWith("/") ? path + "." : path, followLast, false);
      try (Descriptor parent = leaf.parent()) {
        Descriptor opened = leaf.opened();
        if (opened == null) {
          if ((flags & O_CREAT) == 0) {
            throw new KernelException("open", leaf.path(), Errno.ENOENT);
          }
        } else if ((flags & O_PATH) != 0) {
          if ((flags & O_DIRECTORY) != 0 && AtCalls.kind(opened.number(), leaf.path()) != AtCalls.Kind.DIRECTORY) {
            opened.close();
            throw new KernelException("open", leaf.path(), Errno.ENOTDIR);
          }
          return opened; // the very file the walk checked
        } else {
          opened.close();
        }
        // the same name in the held directory, never followed: a symlink swapped in fails with ELOOP
        return new Descriptor(AtCalls.openat(parent.number(), leaf.name(), flags | O_NOFOLLOW, mode, leaf.path()));
      }
    }
  }
}
