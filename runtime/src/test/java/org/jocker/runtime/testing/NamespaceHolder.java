package org.jocker.runtime.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A process outside any container that holds namespaces for one to join by path: {@code unshare
 * OPTIONS --fork sleep}, whose sleep is in every namespace asked for (a pid namespace's first
 * process included). Closing it kills both processes and waits for them.
 */
public final class NamespaceHolder implements AutoCloseable {
  private final Process unshare;
  private final ProcessHandle holder;

  private NamespaceHolder(Process unshare, ProcessHandle holder) {
    this.unshare = unshare;
    this.holder = holder;
  }

  /** Starts {@code unshare options... --fork --kill-child sleep 600}; returns once sleep runs. */
  public static NamespaceHolder start(String... options) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("unshare"));
    cmd.addAll(List.of(options));
    cmd.addAll(List.of("--fork", "--kill-child", "sleep", "600"));
    Process unshare = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    for (int i = 0; i < 500; i++) {
      ProcessHandle sleep = unshare.children().filter(NamespaceHolder::isSleep).findFirst().orElse(null);
      if (sleep != null) {
        return new NamespaceHolder(unshare, sleep);
      }
      if (!unshare.isAlive()) {
        throw new IllegalStateException(String.join(" ", cmd) + " failed: "
            + new String(unshare.getInputStream().readAllBytes()));
      }
      Thread.sleep(10);
    }
    unshare.destroyForcibly();
    throw new IllegalStateException(String.join(" ", cmd) + " did not start its sleep");
  }

  private static boolean isSleep(ProcessHandle p) {
    try {
      return Files.readString(Path.of("/proc/" + p.pid() + "/comm")).strip().equals("sleep");
    } catch (IOException e) {
      return false; // gone, or not yet there
    }
  }

  /**
   * Maps ids 0 to size - 1 of the holder's user namespace to host ids from hostId on (util-linux's
   * own mapping options go through newuidmap, which wants /etc/subuid entries).
   */
  public void mapIds(long hostId, long size) throws IOException {
    String map = "0 " + hostId + " " + size + "\n";
    Files.writeString(Path.of("/proc/" + holder.pid() + "/uid_map"), map);
    Files.writeString(Path.of("/proc/" + holder.pid() + "/gid_map"), map);
  }

  /** The path to join, e.g. {@code path("net")} for /proc/PID/ns/net. */
  public String path(String procName) {
    return "/proc/" + holder.pid() + "/ns/" + procName;
  }

  /** What the namespace link reads, e.g. {@code net:[4026532281]}. */
  public String id(String procName) throws IOException {
    return Files.readSymbolicLink(Path.of(path(procName))).toString();
  }

  public long pid() {
    return holder.pid();
  }

  @Override
  public void close() throws InterruptedException {
    holder.destroyForcibly();
    unshare.destroyForcibly();
    unshare.waitFor(10, TimeUnit.SECONDS);
    holder.onExit().join();
  }
}
