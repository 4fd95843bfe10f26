package org.jocker.runtime.cgroup;

/** cgroup v1 freezer: freezer.state goes THAWED -> FREEZING -> FROZEN. */
final class V1Freezer implements Freezer {
  private static final int ATTEMPTS = 2000;

  @Override
  public void freeze(CgroupDir dir) {
    // Tasks forked while FREEZING can keep the cgroup from settling; rewriting FROZEN catches them.
    for (int i = 0; i < ATTEMPTS; i++) {
      dir.write("freezer.state", "FROZEN");
      if (dir.read("freezer.state").equals("FROZEN")) {
        return;
      }
      Sleep.millis(i < 50 ? 1 : 10);
    }
    dir.write("freezer.state", "THAWED"); // do not leave it half frozen
    throw new CgroupException("cgroup freezer: " + dir.path() + " did not reach FROZEN (still "
        + dir.read("freezer.state") + ")");
  }

  @Override
  public void thaw(CgroupDir dir) {
    for (int i = 0; i < ATTEMPTS; i++) {
      dir.write("freezer.state", "THAWED");
      if (dir.read("freezer.state").equals("THAWED")) {
        return;
      }
      Sleep.millis(i < 50 ? 1 : 10);
    }
    throw new CgroupException("cgroup freezer: " + dir.path() + " did not reach THAWED");
  }

  @Override
  public boolean isFrozen(CgroupDir dir) {
    return dir.read("freezer.state").equals("FROZEN");
  }
}
