package org.jocker.runtime.cgroup;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jocker.runtime.spec.Spec;

/** One container's cgroup, across every hierarchy the host drives its controllers through. */
public interface CgroupManager {
  /** Creates the container's directory in every hierarchy it needs; idempotent. */
  void create();

  /** Writes linux.resources; asking for a controller the host lacks is an error. */
  void apply(Spec.Resources resources);

  /**
   * Whether the cgroup can only be made with a process in it (a systemd scope): the launcher then
   * waits, once it has cloned the init and before the init runs, for {@link #attach}.
   */
  default boolean madeWithFirstProcess() {
    return false;
  }

  /**
   * The init exists and waits (and its monitor runs): a manager that makes its cgroup with its
   * first process does so now, and applies the limits apply() was given; others have nothing to do.
   */
  default void attach(long initPid, long monitorPid) {}

  /**
   * Every cgroup.procs file a new container process must be written into, one per hierarchy, in
   * a stable order. The launcher writes the container's pid into these itself.
   */
  /** The container's own directory in each hierarchy it joins, in procsFiles() order. */
  Map<Hierarchy, Path> directories();

  List<Path> procsFiles();

  void addProcess(long pid);

  void freeze();

  void thaw();

  /** Whether the container's cgroup is frozen; one not made yet is not. */
  boolean isFrozen();

  CgroupStats stats();

  /** All pids in the container's cgroup, including nested cgroups, sorted. */
  List<Long> pids();

  long oomKillCount();

  /**
   * SIGKILLs every process in the container's cgroup (nested cgroups too, frozen ones included)
   * and returns once none is left; fails naming the pids that outlive it.
   */
  void killAll();

  /**
   * Removes the container's directories, SIGKILLing any processes left, and the now-empty parents
   * this manager created (or that belong to Jocker's default "/jocker"); tolerates them being gone.
   */
  void destroy();
}
