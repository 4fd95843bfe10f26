package org.jocker.runtime.linux;

import java.util.Locale;
import java.util.Optional;

/** Signal names and numbers (x86_64), as `kill` accepts them: "KILL", "SIGKILL" or "9". */
public enum Signal {
  SIGHUP(1), SIGINT(2), SIGQUIT(3), SIGILL(4), SIGTRAP(5), SIGABRT(6), SIGBUS(7), SIGFPE(8),
  SIGKILL(9), SIGUSR1(10), SIGSEGV(11), SIGUSR2(12), SIGPIPE(13), SIGALRM(14), SIGTERM(15),
  SIGSTKFLT(16), SIGCHLD(17), SIGCONT(18), SIGSTOP(19), SIGTSTP(20), SIGTTIN(21), SIGTTOU(22),
  SIGURG(23), SIGXCPU(24), SIGXFSZ(25), SIGVTALRM(26), SIGPROF(27), SIGWINCH(28), SIGIO(29),
  SIGPWR(30), SIGSYS(31);

  private static final int SIGRTMIN = 34;
  private static final int SIGRTMAX = 64;

  private final int number;

  Signal(int number) {
    this.number = number;
  }

  public int number() {
    return number;
  }

  /** Parses a signal name or number; real-time signals are accepted by number. */
  public static Optional<Integer> parse(String text) {
    String s = text.trim().toUpperCase(Locale.ROOT);
    if (s.chars().allMatch(Character::isDigit) && !s.isEmpty()) {
      int n = Integer.parseInt(s);
      boolean known = n >= 1 && (n <= SIGSYS.number || (n >= SIGRTMIN && n <= SIGRTMAX));
      return known ? Optional.of(n) : Optional.empty();
    }
    String name = s.startsWith("SIG") ? s : "SIG" + s;
    for (Signal sig : values()) {
      if (sig.name().equals(name)) {
        return Optional.of(sig.number);
      }
    }
    return Optional.empty();
  }
}
