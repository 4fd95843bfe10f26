package org.jocker.runtime.launch;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jocker.kernel.KernelException;
import org.jocker.runtime.OciRuntimeException;
import org.jocker.runtime.kernel.Kernel;
import org.jocker.runtime.launch.LauncherParent.ChildFd;

/**
 * Starts the native launcher and follows it until the container is created. The launcher reads
 * the plan on its fd 3 and reports on fd 4, one line per event: {@code hooks PID MONITOR} (paused
 * for createRuntime hooks; we answer on fd 3 with a length-prefixed state JSON),
 * {@code cgroup PID MONITOR} (waiting for its cgroup to be made; we answer with a u32, 0 to go on),
 * {@code created PID MONITOR}, or {@code error MESSAGE}.
 *
 * <p>The launcher runs from one sealed memfd copy of its binary per JVM (CVE-2019-5736: a
 * container must not reach the host binary through /proc/PID/exe of its monitor), shared by all
 * the monitors this JVM starts, instead of each monitor copying the binary into its own memfd.
 */
public final class Launcher {
  private static final int ABORT = -1;
  private static final String SEALED_COPY_NAME = "jocker-launcher";

  private final Kernel kernel;
  private final Path binary;
  private final LauncherParent parent;

  /** Runs the createRuntime hooks for the paused container; returns the state JSON to pass on. */
  public interface HookStep {
    byte[] run(int pid);
  }

  /**
   * Makes the container's cgroup once its init exists (PLAN_CGROUP_HANDSHAKE: a systemd scope is
   * made with its first process); the init waits meanwhile.
   */
  public interface CgroupStep {
    void place(int pid, int monitorPid);
  }

  public record Launched(int pid, int monitorPid) {}

  public Launcher(Kernel kernel, Path binary, LauncherParent parent) {
    this.kernel = kernel;
    this.binary = binary;
    this.parent = parent;
  }

  /** Finds the launcher binary: -Djocker.launcher, else /usr/libexec/jocker/jocker-launcher. */
  public static Path locate() {
    String prop = System.getProperty("jocker.launcher");
    Path p = prop != null ? Path.of(prop) : Path.of("/usr/libexec/jocker/jocker-launcher");
    if (!Files.isExecutable(p)) {
      throw new OciRuntimeException("launcher binary not found at " + p
          + " (build it with mvn package, or set -Djocker.launcher)");
    }
    return p;
  }

  public Launched launch(byte[] plan, Stdio stdio, HookStep hooks) {
    return launch(plan, stdio, (pid, monitorPid) -> {}, hooks);
  }

  public Launched launch(byte[] plan, Stdio stdio, CgroupStep cgroup, HookStep hooks) {
    Kernel.Pipe planPipe = kernel.pipe();
    Kernel.Pipe reportPipe = kernel.pipe();
    int pid;
    try {
      // The launcher's fds: stdio, the plan, the report pipe, the parent's descriptors to preserve
      // (Stdio#preservedFds) and last the sealed copy it runs from. It closes every fd from the
      // sealed copy's on first thing, so the container never gets that one.
      int preserved = stdio.preservedFds();
      List<ChildFd> fds = new ArrayList<>();
      fds.add(stdio.in() < 0 ? ChildFd.parents(0) : ChildFd.ours(stdio.in()));
      fds.add(stdio.out() < 0 ? ChildFd.parents(1) : ChildFd.ours(stdio.out()));
      fds.add(stdio.err() < 0 ? ChildFd.parents(2) : ChildFd.ours(stdio.err()));
      fds.add(ChildFd.ours(planPipe.readFd()));
      fds.add(ChildFd.ours(reportPipe.writeFd()));
      for (int i = 0; i < preserved; i++) {
        fds.add(ChildFd.parents(3 + i));
      }
      int sealedAt = fds.size();
      fds.add(ChildFd.ours(kernel.sealedCopy(binary, SEALED_COPY_NAME)));
      List<String> argv = preserved == 0 ? List.of("jocker-launcher")
          : List.of("jocker-launcher", "--preserve-fds", Integer.toString(preserved));
      pid = parent.spawn("/proc/self/fd/" + sealedAt, argv, fds);
    } catch (RuntimeException e) {
      closeAll(planPipe.readFd(), planPipe.writeFd(), reportPipe.readFd(), reportPipe.writeFd());
      throw e;
    }
    kernel.close(planPipe.readFd());
    kernel.close(reportPipe.writeFd());
    try {
      try {
        kernel.writeFully(planPipe.writeFd(), plan);
      } catch (KernelException e) {
        // The launcher died before reading it all; its report says why.
      }
      parent.reap(pid);
      return follow(new LineReader(kernel, reportPipe.readFd()), planPipe.writeFd(), cgroup, hooks);
    } finally {
      closeAll(planPipe.writeFd(), reportPipe.readFd());
    }
  }

  private Launched follow(LineReader report, int commandFd, CgroupStep cgroup, HookStep hooks) {
    while (true) {
      String line = report.next();
      if (line == null) {
        throw new LaunchException("the launcher exited without a report");
      }
      if (line.startsWith("error ")) {
        throw new LaunchException(line.substring(6));
      }
      String[] words = line.split(" ");
      if (words[0].equals("created")) {
        return new Launched(Integer.parseInt(words[1]), Integer.parseInt(words[2]));
      }
      if (words[0].equals("cgroup")) {
        answerCgroup(commandFd, cgroup, Integer.parseInt(words[1]), Integer.parseInt(words[2]));
      }
      if (words[0].equals("hooks")) {
        answerHooks(commandFd, hooks, Integer.parseInt(words[1]));
      }
    }
  }

  private void answerCgroup(int commandFd, CgroupStep cgroup, int pid, int monitorPid) {
    try {
      cgroup.place(pid, monitorPid);
    } catch (RuntimeException e) {
      kernel.writeFully(commandFd, lengthPrefix(ABORT));
      throw e;
    }
    kernel.writeFully(commandFd, lengthPrefix(0));
  }

  private void answerHooks(int commandFd, HookStep hooks, int pid) {
    byte[] state;
    try {
      state = hooks.run(pid);
    } catch (RuntimeException e) {
      kernel.writeFully(commandFd, lengthPrefix(ABORT));
      throw e;
    }
    ByteArrayOutputStream msg = new ByteArrayOutputStream();
    msg.writeBytes(lengthPrefix(state.length));
    msg.writeBytes(state);
    kernel.writeFully(commandFd, msg.toByteArray());
  }

  private static byte[] lengthPrefix(int length) {
    return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(length).array();
  }

  private void closeAll(int... fds) {
    for (int fd : fds) {
      kernel.close(fd);
    }
  }

  /** Reads newline-terminated lines from a descriptor. */
  private static final class LineReader {
    private final Kernel kernel;
    private final int fd;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private final byte[] buf = new byte[4096];
    private boolean eof;

    LineReader(Kernel kernel, int fd) {
      this.kernel = kernel;
      this.fd = fd;
    }

    String next() {
      while (true) {
        byte[] data = pending.toByteArray();
        for (int i = 0; i < data.length; i++) {
          if (data[i] == '\n') {
            pending.reset();
            pending.write(data, i + 1, data.length - i - 1);
            return new String(data, 0, i, StandardCharsets.UTF_8);
          }
        }
        if (eof) {
          return null;
        }
        int n = kernel.read(fd, buf, 0, buf.length);
        if (n == 0) {
          eof = true;
        } else {
          pending.write(buf, 0, n);
        }
      }
    }
  }
}
