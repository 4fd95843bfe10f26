package org.jocker.runtime.cgroup;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.jocker.runtime.spec.Spec;

/** A {@link CgroupManager} writing cgroupfs directly, one directory per joined hierarchy. */
final class CgroupfsManager implements CgroupManager {
  private static final int REMOVE_ATTEMPTS = 10;

  private final Controllers controllers;
  private final CgroupPath path;
  /** Directories create() made, so destroy() removes those parents and never someone else's. */
  private final Set<Path> created = new HashSet<>();

  CgroupfsManager(Controllers controllers, CgroupPath path) {
    this.controllers = controllers;
    this.path = path;
  }

  @Override
  public void create() {
    for (Hierarchy h : controllers.hierarchies()) {
      Path leaf = leaf(h);
      makeDirs(h, leaf);
      if (!h.unified() && h.controllers().contains("cpuset")) {
        CpusetControl.inheritFromParents("cpuset", h.mountPoint(), leaf);
      }
      if (h.unified()) {
        SubtreeControl.enable(h, leaf, controllers.drivenOnUnified());
      }
    }
  }

  /**
   * mkdir -p that records what it made. Another container's destroy() may rmdir a shared empty
   * parent (like /jocker) between our mkdirs; then the chain is simply made again.
   */
  private void makeDirs(Hierarchy h, Path leaf) {
    for (int attempt = 1; ; attempt++) {
      List<Path> missing = new ArrayList<>();
      for (Path d = leaf; d != null && !Files.isDirectory(d); d = d.getParent()) {
        missing.addFirst(d);
      }
      try {
        for (Path d : missing) {
          try {
            Files.createDirectory(d);
            created.add(d);
          } catch (FileAlreadyExistsException e) {
            // another container made the shared parent meanwhile
          }
        }
        return;
      } catch (NoSuchFileException e) {
        if (attempt == 3) {
          throw new CgroupException("cgroup " + h.name() + ": cannot create " + leaf
              + ": a parent kept disappearing", e);
        }
      } catch (IOException e) {
        throw new CgroupException(
            "cgroup " + h.name() + ": cannot create " + leaf + ": " + CgroupDir.reason(e), e);
      }
    }
  }

  @Override
  public void apply(Spec.Resources resources) {
    if (resources == null) {
      return;
    }
    for (ResourceController c : controllers.unavailable()) {
      if (c.requested(resources)) {
        throw new CgroupException("cgroup: " + c.field() + " asks the " + c.name()
            + " controller, which this host does not provide (no hierarchy has it)");
      }
    }
    for (Bound<ResourceController> b : controllers.resources()) {
      if (b.impl() instanceof EnabledOnRequest e && b.impl().requested(resources)) {
        enableOnRequest(b, e.controllersToEnable(resources));
      }
      b.impl().apply(dir(b), resources);
    }
  }

  /** Enables controllers create() left alone; a parent that refuses fails the field asking for them. */
  private void enableOnRequest(Bound<ResourceController> b, Set<String> names) {
    Path leaf = leaf(b.hierarchy());
    try {
      SubtreeControl.enable(b.hierarchy(), leaf, names);
    } catch (CgroupException e) {
      throw new CgroupException("cgroup: " + b.impl().field() + " needs " + String.join(", ", names.stream()
          .sorted().toList()) + " enabled in the parents of " + leaf + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Map<Hierarchy, Path> directories() {
    Map<Hierarchy, Path> dirs = new LinkedHashMap<>();
    for (Hierarchy h : controllers.hierarchies()) {
      dirs.put(h, leaf(h));
    }
    return dirs;
  }

  @Override
  public List<Path> procsFiles() {
    return controllers.hierarchies().stream().map(h -> leaf(h).resolve("cgroup.procs")).toList();
  }

  @Override
  public void addProcess(long pid) {
    for (Hierarchy h : controllers.hierarchies()) {
      new CgroupDir(h.name(), leaf(h)).write("cgroup.procs", Long.toString(pid));
    }
  }

  @Override
  public void freeze() {
    Bound<Freezer> f = freezer();
    f.impl().freeze(dir(f));
  }

  @Override
  public void thaw() {
    Bound<Freezer> f = freezer();
    f.impl().thaw(dir(f));
  }

  @Override
  public boolean isFrozen() {
    return controllers.freezer().map(f -> Files.isDirectory(dir(f).path()) && f.impl().isFrozen(dir(f))).orElse(false);
  }

  private Bound<Freezer> freezer() {
    return controllers.freezer().orElseThrow(() -> new CgroupException(
        "cgroup: this host has neither a v1 freezer nor a cgroup2 mount; cannot pause " + path));
  }

  @Override
  public CgroupStats stats() {
    return new CgroupStats(
        controllers.memory().map(b -> b.impl().stats(dir(b))).orElse(CgroupStats.Memory.NONE),
        controllers.cpuAccounting().map(b -> b.impl().stats(dir(b))).orElse(CgroupStats.Cpu.NONE),
        controllers.pids().map(b -> b.impl().stats(dir(b)))
            .orElse(CgroupStats.Pids.NONE),
        oomKillCount(),
        controllers.blockIo().map(b -> b.impl().stats(dir(b))).orElse(CgroupStats.BlockIo.NONE),
        controllers.hugetlb().map(b -> b.impl().stats(dir(b))).orElse(Map.of()));
  }

  @Override
  public long oomKillCount() {
    return controllers.memory().map(b -> b.impl().oomKillCount(dir(b))).orElse(0L);
  }

  @Override
  public List<Long> pids() {
    Set<Long> pids = new TreeSet<>();
    for (Hierarchy h : controllers.hierarchies()) {
      collectPids(leaf(h), pids);
    }
    return List.copyOf(pids);
  }

  /** Reads cgroup.procs here and in nested cgroups the container may have made. */
  private static void collectPids(Path dir, Set<Long> into) {
    try {
      for (String line : Files.readAllLines(dir.resolve("cgroup.procs"))) {
        if (!line.isBlank()) {
          into.add(Long.parseLong(line.trim()));
        }
      }
      if (!hasNestedCgroups(dir)) {
        return;
      }
      try (Stream<Path> children = Files.list(dir)) {
        for (Path child : children.filter(Files::isDirectory).toList()) {
          collectPids(child, into);
        }
      }
    } catch (IOException e) {
      if (!CgroupDir.removed(e)) {
        throw new CgroupException("cgroup: cannot list processes in " + dir + ": " + CgroupDir.reason(e), e);
      }
      // not created yet, or already removed (systemd removes an emptied scope as we read it)
    }
  }

  /**
   * cgroupfs (kernfs, v1 and v2) keeps a directory's link count at 2 + its subdirectories: a leaf
   * is known without listing it, which costs a stat per control file.
   */
  private static boolean hasNestedCgroups(Path dir) throws IOException {
    return (int) Files.getAttribute(dir, "unix:nlink") > 2;
  }

  @Override
  public void killAll() {
    new KillAll(this, controllers.hierarchies().stream().filter(Hierarchy::unified).findFirst()
        .map(h -> new CgroupDir(h.name(), leaf(h)))).run();
  }

  @Override
  public void destroy() {
    // Most containers are empty by now (their init gone, and with its pid namespace every other
    // process): removing is enough, and the kernel refuses it while a process is left (EBUSY).
    List<String> failures = removeLeaves();
    if (!failures.isEmpty()) {
      killAll();
      for (int attempt = 0; attempt < REMOVE_ATTEMPTS; attempt++) {
        failures = removeLeaves();
        if (failures.isEmpty()) {
          break;
        }
        Sleep.millis(10L << Math.min(attempt, 5)); // an emptied cgroup can be busy for a moment
      }
    }
    if (!failures.isEmpty()) {
      throw new CgroupException("cgroup: cannot remove " + String.join(", ", failures)
          + " (pids still inside: " + pids() + ")");
    }
    for (Hierarchy h : controllers.hierarchies()) {
      removeOwnedParents(h);
    }
  }

  /** Removes the container's cgroup in every hierarchy; says which ones could not be, and why. */
  private List<String> removeLeaves() {
    List<String> failures = new ArrayList<>();
    for (Hierarchy h : controllers.hierarchies()) {
      try {
        removeTree(leaf(h));
      } catch (IOException e) {
        failures.add(leaf(h) + ": " + CgroupDir.reason(e));
      }
    }
    return failures;
  }

  /**
   * Removes a cgroup and any nested ones (rmdir works on cgroupfs dirs holding only control
   * files). The plain rmdir is tried first: listing a cgroup dir means a stat per control file.
   */
  private static void removeTree(Path dir) throws IOException {
    try {
      Files.delete(dir);
      return;
    } catch (NoSuchFileException e) {
      return; // removed concurrently, or never made: the goal is reached
    } catch (IOException e) {
      // EBUSY: nested cgroups (remove them first) or tasks still leaving (the retry reports it)
    }
    try (Stream<Path> children = Files.list(dir)) {
      for (Path child : children.filter(Files::isDirectory).toList()) {
        removeTree(child);
      }
    } catch (NoSuchFileException e) {
      return;
    }
    try {
      Files.delete(dir);
    } catch (NoSuchFileException e) {
      // removed concurrently
    }
  }

  /** Walks up from the leaf, removing ancestors this manager created or Jocker owns, while empty. */
  private void removeOwnedParents(Hierarchy h) {
    Path leaf = leaf(h);
    int depth = 0;
    for (Path d = leaf.getParent(); d != null && d.startsWith(h.mountPoint()) && !d.equals(h.mountPoint());
        d = d.getParent()) {
      depth++;
      if (!created.contains(d) && depth > path.ownedParents()) {
        return;
      }
      try {
        Files.deleteIfExists(d);
      } catch (IOException e) {
        return; // still holds another container's cgroup: so do all its ancestors
      }
    }
  }

  private Path leaf(Hierarchy h) {
    return path.leafIn(h);
  }

  private CgroupDir dir(Bound<?> b) {
    String name = b.impl() instanceof ResourceController rc ? rc.name() : b.hierarchy().name();
    return new CgroupDir(name, leaf(b.hierarchy()));
  }

  /** For tests and diagnostics: the container's directory in the hierarchy driving a controller. */
  Optional<Path> dirOf(String controller) {
    return controllers.hierarchies().stream()
        .filter(h -> h.controllers().contains(controller))
        .findFirst()
        .map(this::leaf);
  }
}
