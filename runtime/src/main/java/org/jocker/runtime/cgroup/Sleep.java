package org.jocker.runtime.cgroup;

/** Short waits while the kernel settles a cgroup (freezing, tasks exiting). */
final class Sleep {
  private Sleep() {}

  static void millis(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CgroupException("cgroup: interrupted while waiting for the kernel", e);
    }
  }
}
