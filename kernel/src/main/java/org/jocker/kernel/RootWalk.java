package org.jocker.kernel;

import static org.jocker.kernel.OpenFlags.O_DIRECTORY;
import static org.jocker.kernel.OpenFlags.O_NOFOLLOW;
import static org.jocker.kernel.OpenFlags.O_PATH;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.jocker.kernel.AtCalls.Kind;

/**
 * {@link InRoot}'s resolution done by hand, one name at a time, for what openat2 cannot do (grafts,
 * the parent and name of a missing last component, created parents) and where it is missing.
 *
 * <p>Each directory passed is held as an O_PATH descriptor and exactly one name is looked up in it
 * with O_NOFOLLOW; a symlink is read through its own descriptor and its target walked in turn
 * (absolute ones from the root), ".." returns to the held directory it came from and stops at the
 * root. So a directory swapped for a symlink meanwhile is read as that symlink, inside the root:
 * it can make the walk fail or land elsewhere in the root, never outside it.
 */
final class RootWalk implements AutoCloseable {
  /** Linux's MAXSYMLINKS, the count openat2 stops at with ELOOP too. */
  private static final int MAX_LINKS = 40;
  private static final long PROC_SUPER_MAGIC = 0x9fa0;
  private static final long PROC_ROOT_INO = 1;
  private static final int NEW_DIRECTORY_MODE = 0755;

  /**
   * Where a walk ended: {@code name} in {@code parent} ("." for parent itself), {@code opened} an
   * O_PATH descriptor of it (null if it does not exist), {@code path} its normalised in-root path,
   * {@code graft} the in-root path of the innermost graft it is on (null: the root's own tree).
   * The caller owns both descriptors.
   */
  record Leaf(Descriptor parent, String name, Descriptor opened, String path, String graft) {}

  /** A held directory: its name in its parent, its descriptor (null for the root) and its graft. */
  private record Step(String name, Descriptor dir, String graft) {}

  private final Descriptor root;
  private final InRoot.Grafts grafts;
  private final List<Step> steps = new ArrayList<>();

  RootWalk(Descriptor root, InRoot.Grafts grafts) {
    this.root = root;
    this.grafts = grafts;
    steps.add(new Step("", null, null));
  }

  /**
   * Walks {@code path}; its last component is followed if a symlink only with {@code followLast},
   * and may be missing. With {@code makeParents} missing directories before it are made (mode
   * 0755 less the umask), else they fail with ENOENT.
   */
  Leaf walk(String path, boolean followLast, boolean makeParents) {
    Deque<String> todo = new ArrayDeque<>(components(path));
    int links = 0;
    while (!todo.isEmpty()) {
      String name = todo.removeFirst();
      if (name.equals(".")) {
        continue;
      }
      if (name.equals("..")) {
        up();
        continue;
      }
      boolean last = todo.isEmpty();
      String here = pathTo(name);
      Path graft = grafts.at(here);
      if (graft != null) {
        Descriptor grafted = Descriptor.open(graft, O_PATH); // the host's path: trusted, followed
        if (kind(grafted, here) == Kind.DIRECTORY) {
          steps.add(new Step(name, grafted, here));
          continue;
        }
        if (!last) {
          grafted.close();
          throw new KernelException("open", here, Errno.ENOTDIR);
        }
        // a grafted file is named in its host directory
        return new Leaf(Descriptor.open(graft.getParent(), O_PATH | O_DIRECTORY), graft.getFileName().toString(),
            grafted, here, here);
      }
      Descriptor child = lookUp(name, here);
      if (child == null) {
        if (last) {
          return leaf(name, null, here);
        }
        if (!makeParents) {
          throw new KernelException("open", here, Errno.ENOENT);
        }
        AtCalls.mkdirIfMissing(top(), name, NEW_DIRECTORY_MODE, here);
        steps.add(new Step(name, new Descriptor(AtCalls.openat(top(), name, O_PATH | O_NOFOLLOW | O_DIRECTORY, 0,
            here)), graft()));
        continue;
      }
      Kind kind = kind(child, here);
      if (kind == Kind.SYMLINK && (followLast || !last)) {
        String target;
        try (child) {
          if (++links > MAX_LINKS) {
            throw new KernelException("open", path, Errno.ELOOP);
          }
          if (isMagicLink(child, here)) {
            throw new KernelException("open", here, Errno.ELOOP);
          }
          target = AtCalls.readlink(child.number(), here);
        }
        if (target.isEmpty()) {
          throw new KernelException("open", here, Errno.ENOENT);
        }
        if (target.startsWith("/")) {
          while (steps.size() > 1) {
            up();
          }
        }
        components(target).reversed().forEach(todo::addFirst);
        continue;
      }
      if (last) {
        return leaf(name, child, here);
      }
      if (kind != Kind.DIRECTORY) {
        child.close();
        throw new KernelException("open", here, Errno.ENOTDIR);
      }
      steps.add(new Step(name, child, graft()));
    }
    return leaf(".", new Descriptor(AtCalls.openat(top(), ".", O_PATH, 0, currentPath())), currentPath());
  }

  /** The entry {@code name} of the current directory, not followed; null if there is none. */
  private Descriptor lookUp(String name, String here) {
    try {
      return new Descriptor(AtCalls.openat(top(), name, O_PATH | O_NOFOLLOW, 0, here));
    } catch (KernelException e) {
      if (e.errno() == Errno.ENOENT) {
        return null;
      }
      throw e;
    }
  }

  /** What d names; d is closed if that cannot be told. */
  private static Kind kind(Descriptor d, String here) {
    try {
      return AtCalls.kind(d.number(), here);
    } catch (KernelException e) {
      d.close();
      throw e;
    }
  }

  /**
   * Whether a symlink is one of procfs's magic links (/proc/PID/root, cwd, exe, fd/N, ns/*...),
   * which jump to a file rather than name a path: openat2's RESOLVE_NO_MAGICLINKS refuses them.
   * procfs's ordinary symlinks (self, thread-self, mounts, net) are all in its root directory.
   */
  private boolean isMagicLink(Descriptor link, String here) {
    if (AtCalls.fileSystemType(link.number(), here) != PROC_SUPER_MAGIC) {
      return false;
    }
    String parent = currentPath();
    return AtCalls.fileSystemType(top(), parent) != PROC_SUPER_MAGIC || AtCalls.inode(top(), parent) != PROC_ROOT_INO;
  }

  /** A leaf in the current directory, which the leaf's holder then owns (the root: a copy of it). */
  private Leaf leaf(String name, Descriptor opened, String here) {
    String graft = graft();
    Step top = steps.getLast();
    Descriptor parent;
    if (top.dir() == null) {
      parent = new Descriptor(AtCalls.openat(root.number(), ".", O_PATH, 0, "/"));
    } else {
      parent = top.dir();
      steps.removeLast();
    }
    return new Leaf(parent, name, opened, here, graft);
  }

  private int top() {
    Descriptor dir = steps.getLast().dir();
    return dir == null ? root.number() : dir.number();
  }

  private String graft() {
    return steps.getLast().graft();
  }

  private void up() {
    if (steps.size() > 1) {
      steps.removeLast().dir().close();
    }
  }

  private String pathTo(String name) {
    StringBuilder b = new StringBuilder();
    for (Step s : steps.subList(1, steps.size())) {
      b.append('/').append(s.name());
    }
    return b.append('/').append(name).toString();
  }

  private String currentPath() {
    if (steps.size() == 1) {
      return "/";
    }
    String parent = pathTo("");
    return parent.substring(0, parent.length() - 1);
  }

  static List<String> components(String path) {
    List<String> out = new ArrayList<>();
    for (String s : path.split("/")) {
      if (!s.isEmpty()) {
        out.add(s);
      }
    }
    return out;
  }

  @Override
  public void close() {
    while (steps.size() > 1) {
      up();
    }
  }
}
