package org.jocker.runtime.plan;

import java.util.ArrayList;
import java.util.List;
import org.jocker.runtime.linux.Capability;
import org.jocker.runtime.linux.Rlimit;
import org.jocker.runtime.spec.Spec;

/** The plan records of a process: shared by a container's init and a process exec'd into it. */
final class ProcessRecords {
  private ProcessRecords() {}

  static void write(PlanWriter w, Spec.Process process, byte[] seccompFilter, int seccompFlags,
      String consoleSocket, boolean relayTerminal) {
    for (Spec.Rlimit r : LaunchPlan.orEmpty(process.rlimits())) {
      w.begin().u64(Rlimit.parse(r.type()).orElseThrow().resource()).u64(r.soft()).u64(r.hard())
          .str(r.type()).end(Tag.RLIMIT);
    }
    Spec.Capabilities caps = process.capabilities();
    if (caps != null) {
      w.begin().u64(capMask(caps.bounding())).u64(capMask(caps.effective()))
          .u64(capMask(caps.permitted())).u64(capMask(caps.inheritable()))
          .u64(capMask(caps.ambient())).end(Tag.CAPS);
    }
    if (Boolean.TRUE.equals(process.noNewPrivileges())) {
      w.begin().end(Tag.NO_NEW_PRIVS);
    }
    if (seccompFilter.length > 0) {
      w.begin().u64(seccompFlags).bytes(seccompFilter).end(Tag.SECCOMP);
    }
    Spec.User user = process.user();
    w.begin();
    w.u64(user == null ? 0 : LaunchPlan.orZero(user.uid())).u64(user == null ? 0 : LaunchPlan.orZero(user.gid()));
    w.u64(user == null || user.umask() == null ? -1L : user.umask());
    if (user != null) {
      LaunchPlan.orEmpty(user.additionalGids()).forEach(w::u64);
    }
    w.end(Tag.USER);
    w.strings(Tag.CWD, process.cwd());
    for (String a : process.args()) {
      w.strings(Tag.ARG, a);
    }
    for (String e : process.envOrEmpty()) {
      w.strings(Tag.ENV, e);
    }
    if (process.oomScoreAdj() != null) {
      w.begin().u64(process.oomScoreAdj()).end(Tag.OOM_SCORE_ADJ);
    }
    if (process.isTerminal()) {
      // Without a console socket the monitor keeps the pty and serves it to attach clients (and
      // relays it to the caller's stdio when asked).
      if (consoleSocket != null) {
        w.strings(Tag.CONSOLE_SOCKET, consoleSocket);
      } else {
        w.begin().end(Tag.TERMINAL_MONITOR);
        if (relayTerminal) {
          w.begin().end(Tag.TERMINAL_RELAY);
        }
      }
      if (process.consoleSize() != null) {
        w.begin().u64(process.consoleSize().height()).u64(process.consoleSize().width()).end(Tag.CONSOLE_SIZE);
      }
    }
  }

  private static long capMask(List<String> names) {
    List<Capability> caps = new ArrayList<>();
    for (String n : LaunchPlan.orEmpty(names)) {
      caps.add(Capability.parse(n).orElseThrow());
    }
    return Capability.mask(caps);
  }
}
