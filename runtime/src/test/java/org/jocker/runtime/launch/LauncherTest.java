package org.jocker.runtime.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jocker.runtime.kernel.Kernel;
import org.junit.jupiter.api.Test;

/** The Java side of the launcher protocol, against a fake kernel: no root, no processes. */
class LauncherTest {

  /** Plays the launcher: records what Java sends, answers with a scripted report. */
  static final class FakeKernel implements Kernel {
    final ByteArrayOutputStream sentOnPlanPipe = new ByteArrayOutputStream();
    final List<Integer> closed = new ArrayList<>();
    int[] spawnedFds;
    String spawnedPath;
    List<String> spawnedArgv;
    byte[] report;
    int reportPos;
    int nextFd = 10;

    FakeKernel(String report) {
      this.report = report.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Pipe pipe() {
      return new Pipe(nextFd++, nextFd++);
    }

    @Override
    public int spawn(String path, List<String> argv, List<String> env, int[] fds) {
      spawnedFds = fds.clone();
      spawnedPath = path;
      spawnedArgv = argv;
      return 4242;
    }

    @Override
    public int sealedCopy(Path file, String name) {
      return 77;
    }

    @Override
    public int waitPid(int pid) {
      return 0;
    }

    @Override
    public int read(int fd, byte[] buf, int off, int len) {
      int n = Math.min(len, Math.min(7, report.length - reportPos)); // short reads on purpose
      System.arraycopy(report, reportPos, buf, off, n);
      reportPos += n;
      return n;
    }

    @Override
    public void writeFully(int fd, byte[] buf) {
      sentOnPlanPipe.writeBytes(buf);
    }

    @Override
    public void close(int fd) {
      closed.add(fd);
    }

    @Override
    public int openPath(Path dir) {
      throw new UnsupportedOperationException();
    }

    @Override
    public int openForReading(Path file) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean signal(int pid, long startTime, int signal) {
      return true;
    }

    @Override
    public boolean awaitExit(int pid, long timeoutMillis) {
      return true;
    }

    @Override
    public long startTime(int pid) {
      return 1;
    }

    @Override
    public long hardRlimit(long pid, int resource) {
      return -1;
    }
  }

  private static final byte[] PLAN = {1, 2, 3};

  private static Launcher launcher(Kernel kernel) {
    return new Launcher(kernel, Path.of("/x"), LauncherParent.thisProcess(kernel));
  }

  @Test
  void passesThePlanOnFd3AndReadsTheReportFromFd4() {
    FakeKernel k = new FakeKernel("created 100 99\n");
    Launcher.Launched l = launcher(k).launch(PLAN, new Stdio(-1, 5, 6), pid -> {
      throw new AssertionError("no hooks");
    });
    assertThat(l).isEqualTo(new Launcher.Launched(100, 99));
    // child fd i <- our fd: stdin inherited, stdout/stderr given, 3 = plan read end, 4 = report write end,
    // 5 = the sealed copy it runs from
    assertThat(k.spawnedFds).containsExactly(-1, 5, 6, 10, 13, 77);
    assertThat(k.spawnedPath).isEqualTo("/proc/self/fd/5");
    assertThat(k.spawnedArgv).containsExactly("jocker-launcher");
    assertThat(k.sentOnPlanPipe.toByteArray()).containsExactly(PLAN);
    assertThat(k.closed).contains(10, 11, 12, 13); // every pipe end is closed on our side
  }

  @Test
  void passesOurDescriptorsToPreserveBeforeTheSealedCopyAndSaysHowMany() {
    FakeKernel k = new FakeKernel("created 100 99\n");
    launcher(k).launch(PLAN, Stdio.inheritWith(2), pid -> {
      throw new AssertionError("no hooks");
    });
    // 5 and 6 = the parent's (here: our) 3 and 4 (the container's 3 and 4), then the sealed copy
    assertThat(k.spawnedFds).containsExactly(-1, -1, -1, 10, 13, 3, 4, 77);
    assertThat(k.spawnedPath).isEqualTo("/proc/self/fd/7");
    assertThat(k.spawnedArgv).containsExactly("jocker-launcher", "--preserve-fds", "2");
  }

  @Test
  void answersTheHookPauseWithTheLengthPrefixedState() {
    FakeKernel k = new FakeKernel("hooks 100 99\ncreated 100 99\n");
    AtomicInteger hookPid = new AtomicInteger();
    launcher(k).launch(PLAN, Stdio.INHERIT, pid -> {
      hookPid.set(pid);
      return "{\"id\":\"c\"}".getBytes(StandardCharsets.UTF_8);
    });
    assertThat(hookPid.get()).isEqualTo(100);
    byte[] sent = k.sentOnPlanPipe.toByteArray();
    ByteBuffer reply = ByteBuffer.wrap(sent, PLAN.length, sent.length - PLAN.length).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(reply.getInt()).isEqualTo(10);
    assertThat(new String(sent, PLAN.length + 4, 10, StandardCharsets.UTF_8)).isEqualTo("{\"id\":\"c\"}");
  }

  @Test
  void aFailedHookAbortsTheLaunch() {
    FakeKernel k = new FakeKernel("hooks 100 99\n");
    assertThatThrownBy(() -> launcher(k).launch(PLAN, Stdio.INHERIT, pid -> {
      throw new IllegalStateException("hook failed");
    })).hasMessage("hook failed");
    byte[] sent = k.sentOnPlanPipe.toByteArray();
    assertThat(ByteBuffer.wrap(sent, PLAN.length, 4).order(ByteOrder.LITTLE_ENDIAN).getInt()).isEqualTo(-1);
  }

  @Test
  void reportsTheLaunchersErrorOrItsSilence() {
    assertThatThrownBy(() -> launcher(new FakeKernel("error mount /proc: Permission denied\n"))
        .launch(PLAN, Stdio.INHERIT, pid -> new byte[0]))
        .isInstanceOf(LaunchException.class).hasMessage("mount /proc: Permission denied");
    assertThatThrownBy(() -> launcher(new FakeKernel(""))
        .launch(PLAN, Stdio.INHERIT, pid -> new byte[0]))
        .isInstanceOf(LaunchException.class).hasMessage("the launcher exited without a report");
  }
}
