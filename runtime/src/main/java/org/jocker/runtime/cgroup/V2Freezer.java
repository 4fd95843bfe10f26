package org.jocker.runtime.cgroup;

/** cgroup v2 freezing: write cgroup.freeze, then wait for cgroup.events to say "frozen". */
final class V2Freezer implements Freezer {
  private static final int ATTEMPTS = 1000;

  @Override
  public void freeze(CgroupDir dir) {
    dir.write("cgroup.freeze", "1");
    if (!await(dir, 1)) {
      dir.write("cgroup.freeze", "0"); // do not leave it half frozen
      throw new CgroupException("cgroup: " + dir.path() + " did not report frozen in cgroup.events");
    }
  }

  @Override
  public void thaw(CgroupDir dir) {
    dir.write("cgroup.freeze", "0");
    if (!await(dir, 0)) {
      throw new CgroupException("cgroup: " + dir.path() + " did not report thawed in cgroup.events");
    }
  }

  @Override
  public boolean isFrozen(CgroupDir dir) {
    return dir.keyed("cgroup.events", "frozen").orElse(0) == 1;
  }

  private static boolean await(CgroupDir dir, long frozen) {
    for (int i = 0; i < ATTEMPTS; i++) {
      if (dir.keyed("cgroup.events", "frozen").orElse(-1) == frozen) {
        return true;
      }
      Sleep.millis(i < 50 ? 1 : 10);
    }
    return false;
  }
}
