package org.jocker.runtime.plan;

/** Record tags of the launch plan; the numbers are those of launcher/src/main/c/plan.h. */
enum Tag {
  END(0), CLONE_FLAGS(1), JOIN_NS(2), UID_MAP(3), GID_MAP(4), CGROUP_PROCS(5), ROOTFS(6),
  ROOT_PROPAGATION(7), ROOT_READONLY(8), MOUNT(9), DEVICE(10), SYMLINK(11), MASK_PATH(12),
  READONLY_PATH(13), HOSTNAME(14), DOMAINNAME(15), SYSCTL(16), RLIMIT(17), CAPS(18),
  NO_NEW_PRIVS(19), SECCOMP(20), USER(21), CWD(22), ARG(23), ENV(24), OOM_SCORE_ADJ(25),
  STATE_DIR(26), CONSOLE_SOCKET(27), CONSOLE_SIZE(28), HOOK_PAUSE(29), HOOK(30),
  MONITOR_LOG(31), HANDOFF(32), TENANT(33), LOG(34), EXIT_COMMAND(35),
  TERMINAL_MONITOR(36), STDIN_OPEN(37), CHROOT(38), TERMINAL_RELAY(39),
  MOUNT_RECURSIVE(40);

  final int code;

  Tag(int code) {
    this.code = code;
  }
}
