package org.jocker.runtime.seccomp;

/**
 * What the kernel does when a filter returns: the 32-bit {@code SECCOMP_RET_*} value, action in the
 * high 16 bits and data (errno, trace message) in the low 16.
 */
public record SeccompAction(int returnValue) {
  public static final int RET_KILL_PROCESS = 0x80000000;
  public static final int RET_KILL_THREAD = 0x00000000;
  public static final int RET_TRAP = 0x00030000;
  public static final int RET_ERRNO = 0x00050000;
  public static final int RET_USER_NOTIF = 0x7fc00000;
  public static final int RET_TRACE = 0x7ff00000;
  public static final int RET_LOG = 0x7ffc0000;
  public static final int RET_ALLOW = 0x7fff0000;

  public static final int EPERM = 1;
  private static final int DATA_MASK = 0xFFFF;

  public static final SeccompAction ALLOW = new SeccompAction(RET_ALLOW);
  public static final SeccompAction KILL_PROCESS = new SeccompAction(RET_KILL_PROCESS);
  public static final SeccompAction NOTIFY = new SeccompAction(RET_USER_NOTIF);

  public static SeccompAction errno(int errno) {
    return new SeccompAction(RET_ERRNO | errno);
  }

  /**
   * Parses an OCI action name. {@code errnoRet} is the errno for SCMP_ACT_ERRNO (EPERM when absent,
   * as runc does) and the message for SCMP_ACT_TRACE; {@code field} names the JSON field for errors.
   */
  public static SeccompAction parse(String name, Integer errnoRet, String field) {
    if (name == null) throw new SeccompException(field + ": missing action");
    int data = errnoRet == null ? 0 : errnoRet;
    if (data < 0 || data > DATA_MASK) {
      throw new SeccompException(field + ": errnoRet " + data + " is out of range 0..65535");
    }
    return switch (name) {
      // libseccomp's SCMP_ACT_KILL has always meant "kill the thread".
      case "SCMP_ACT_KILL", "SCMP_ACT_KILL_THREAD" -> new SeccompAction(RET_KILL_THREAD);
      case "SCMP_ACT_KILL_PROCESS" -> KILL_PROCESS;
      case "SCMP_ACT_TRAP" -> new SeccompAction(RET_TRAP);
      case "SCMP_ACT_ERRNO" -> errno(errnoRet == null ? EPERM : data);
      case "SCMP_ACT_TRACE" -> new SeccompAction(RET_TRACE | data);
      case "SCMP_ACT_LOG" -> new SeccompAction(RET_LOG);
      case "SCMP_ACT_ALLOW" -> ALLOW;
      // The call waits for the seccomp agent's answer (linux.seccomp.listenerPath).
      case "SCMP_ACT_NOTIFY" -> NOTIFY;
      default -> throw new SeccompException(field + ": unknown action \"" + name + "\"");
    };
  }
}
