package org.jocker.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.jocker.runtime.ContainerRuntime;
import org.jocker.runtime.kernel.Kernel;
import org.jocker.runtime.kernel.LinuxKernel;
import org.jocker.runtime.launch.Launcher;

/**
 * Starts N long-running containers through the runtime's Java API, prints their monitors' pids
 * ({@code MONITORS pid...}) for bench/monitor-memory.sh to measure, waits for a line on stdin,
 * then deletes them.
 *
 * <pre>MonitorMemoryBench ROOT BUNDLE N shared|own</pre>
 *
 * {@code shared}: the runtime as it is, every monitor runs from this JVM's one sealed copy of the
 * launcher. {@code own}: the launcher is spawned from its file on disk instead, so each monitor
 * makes its own sealed memfd copy, as every monitor did before the copy was shared.
 */
public final class MonitorMemoryBench {
  private MonitorMemoryBench() {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[0]);
    Path bundle = Path.of(args[1]);
    int n = Integer.parseInt(args[2]);
    Kernel kernel = switch (args[3]) {
      case "shared" -> new LinuxKernel();
      case "own" -> new FromDisk(new LinuxKernel());
      default -> throw new IllegalArgumentException("mode: shared or own, not " + args[3]);
    };
    ContainerRuntime rt = new ContainerRuntime(root, kernel, Launcher.locate());
    String tag = System.getProperty("bench.prefix", "jocker-bench-" + ProcessHandle.current().pid());
    String prefix = tag + "-" + args[3] + "-";
    try (RunningContainers containers = new RunningContainers(rt)) {
      containers.start(bundle, prefix, n);
      StringBuilder monitors = new StringBuilder("MONITORS");
      for (String id : containers.ids()) {
        monitors.append(' ').append(containers.monitor(id));
      }
      System.out.println(monitors);
      System.out.flush();
      new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    }
  }

  /** The kernel as it is, except that the launcher is spawned from its file, not a sealed copy. */
  private record FromDisk(LinuxKernel kernel) implements Kernel {
    private static final ConcurrentHashMap<Path, Integer> OPENED = new ConcurrentHashMap<>();

    @Override
    public int sealedCopy(Path file, String name) {
      return OPENED.computeIfAbsent(file, kernel::openForReading);
    }

    @Override
    public Pipe pipe() {
      return kernel.pipe();
    }

    @Override
    public int spawn(String path, List<String> argv, List<String> env, int[] fds) {
      return kernel.spawn(path, argv, env, fds);
    }

    @Override
    public int waitPid(int pid) {
      return kernel.waitPid(pid);
    }

    @Override
    public int read(int fd, byte[] buf, int off, int len) {
      return kernel.read(fd, buf, off, len);
    }

    @Override
    public void writeFully(int fd, byte[] buf) {
      kernel.writeFully(fd, buf);
    }

    @Override
    public void close(int fd) {
      kernel.close(fd);
    }

    @Override
    public int openForReading(Path file) {
      return kernel.openForReading(file);
    }

    @Override
    public int openPath(Path dir) {
      return kernel.openPath(dir);
    }

    @Override
    public boolean signal(int pid, long startTime, int signal) {
      return kernel.signal(pid, startTime, signal);
    }

    @Override
    public boolean awaitExit(int pid, long timeoutMillis) {
      return kernel.awaitExit(pid, timeoutMillis);
    }

    @Override
    public long startTime(int pid) {
      return kernel.startTime(pid);
    }

    @Override
    public long hardRlimit(long pid, int resource) {
      return kernel.hardRlimit(pid, resource);
    }

    @Override
    public boolean awaitReadable(int fd, int wakeFd) {
      return kernel.awaitReadable(fd, wakeFd);
    }
  }
}
