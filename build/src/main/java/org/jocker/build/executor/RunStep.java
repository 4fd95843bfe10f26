package org.jocker.build.executor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jocker.build.dockerfile.CommandLine;
import org.jocker.build.dockerfile.Heredoc;
import org.jocker.build.context.SourceNotFoundException;
import org.jocker.build.dockerfile.Instruction;
import org.jocker.build.dockerfile.Mount;
import org.jocker.build.progress.BuildProgress;
import org.jocker.engine.lifecycle.BuildProcess;
import org.jocker.engine.lifecycle.RunNetwork;

/**
 * RUN: the command (exec form as is; shell form, or a RUN that is only a heredoc, given to the
 * stage's SHELL; such a heredoc starting with {@code #!} run as a file by its interpreter) in a
 * container of the runtime on a snapshot of the stage's root, with the stage's ENV and ARGs, USER
 * and WORKDIR, on its --network (default: the build's, as BuildKit takes {@code RUN
 * --network=default}); a non-zero exit fails the build with Docker's message.
 */
public final class RunStep {
  static final List<String> DEFAULT_SHELL = List.of("/bin/sh", "-c");
  /** BuildKit's words for a build stopped by Ctrl-C. */
  public static final String CANCELED = "Canceled: context canceled";

  private RunStep() {}

  static FilesystemStep.Result run(BuildSession session, StageState state, Instruction.Run run, BuildProgress.Step step,
      String label) {
    Heredoc script = shebangScript(run);
    List<String> args = script != null ? List.of(RunMounts.SCRIPTS + "/" + script.name())
        : args(run, state.settings.shell == null ? DEFAULT_SHELL : state.settings.shell, label);
    Map<String, String> buildArgs = buildArgs(state);
    List<String> env = new ArrayList<>();
    state.scope.runEnv().forEach((k, v) -> env.add(k + "=" + v));
    String user = state.settings.user == null || state.settings.user.isEmpty() ? null : state.settings.user;
    String workdir = state.settings.workingDir == null || state.settings.workingDir.isEmpty() ? "/"
        : state.settings.workingDir;
    RunNetwork network = run.network().flatMap(RunNetwork::named).filter(n -> n != RunNetwork.DEFAULT)
        .orElse(session.network());
    // As BuildKit's exec op, whose network is part of its definition when it is not the default.
    String networkKey = network == RunNetwork.DEFAULT ? "" : " network " + network.dockerName();
    StepKey key = new StepKey(state.stack.topChainId().orElse(""), String.join(" ", args) + " env " + env
        + (script == null ? "" : " script " + script.content()) + networkKey,
        buildArgs, mountKeys(session, run, label));
    FilesystemStep.Result result = FilesystemStep.apply(session, state, key, mount -> {
      int code;
      List<String> stubs;
      try (RunMounts mounts = RunMounts.of(session, run.mounts(), workdir, label, run.lines())) {
        if (script != null) {
          mounts.script(session, script, label, run.lines());
        }
        List<String> runEnv = new ArrayList<>(env);
        runEnv.addAll(mounts.env()); // secrets' variables: not in the cache key, as BuildKit
        BuildProcess process = new BuildProcess(args, runEnv, user, workdir, mounts.mounts(), network);
        code = session.sandbox().run(mount, process, state.settings.toConfig(), step.output());
        stubs = session.sandbox().mountPoints(process);
      }
      if (code != 0 && session.sandbox().interrupted()) {
        throw new StepFailedException(CANCELED, label, run.lines());
      }
      if (code != 0) {
        throw new StepFailedException("process \"" + String.join(" ", args)
            + "\" did not complete successfully: exit code: " + code, label, run.lines());
      }
      return stubs;
    });
    state.stack = result.stack();
    state.settings.history.add(BuildSession.history(HistoryText.run(args, buildArgs) + HistoryText.BUILDKIT,
        !result.addedLayer(), result.created()));
    return result;
  }

  /** The mounts as the cache key sees them: their options, and a bind's context content. */
  private static List<String> mountKeys(BuildSession session, Instruction.Run run, String label) {
    List<String> keys = new ArrayList<>();
    for (Mount m : run.mounts()) {
      keys.add(m.toString());
      if (m instanceof Mount.Bind b && b.from().isEmpty()) {
        try {
          keys.add("content " + ContentDigests.of(session.context(), List.of(b.source())));
        } catch (SourceNotFoundException e) {
          throw new StepFailedException("failed to compute cache key: " + e.getMessage(), label, run.lines(), e);
        }
      }
    }
    return keys;
  }

  private static List<String> args(Instruction.Run run, List<String> shell, String label) {
    return switch (run.command()) {
      case CommandLine.ExecForm(List<String> a) -> a;
      case CommandLine.ShellForm(String script) -> {
        List<String> args = new ArrayList<>(shell);
        args.add(heredocScript(run, script, label));
        yield args;
      }
    };
  }

  /** A RUN that is only {@code <<EOF}: the heredoc is the script (BuildKit's simple case). */
  private static String heredocScript(Instruction.Run run, String script, String label) {
    if (run.heredocs().isEmpty()) {
      return script;
    }
    if (isOnlyAHeredoc(run, script)) {
      return run.heredocs().getFirst().content();
    }
    throw new StepFailedException("RUN with a heredoc inside a command is not supported yet", label, run.lines());
  }

  /**
   * A RUN that is only a heredoc starting with {@code #!}: BuildKit runs it as a file of its own,
   * so that its interpreter, not the SHELL, runs it (the reference's {@code #!/usr/bin/env python}
   * example); null for any other RUN.
   */
  private static Heredoc shebangScript(Instruction.Run run) {
    if (run.command() instanceof CommandLine.ShellForm(String script) && !run.heredocs().isEmpty()
        && isOnlyAHeredoc(run, script) && run.heredocs().getFirst().content().startsWith("#!")) {
      return run.heredocs().getFirst();
    }
    return null;
  }

  private static boolean isOnlyAHeredoc(Instruction.Run run, String script) {
    Heredoc doc = run.heredocs().getFirst();
    String only = script.strip();
    return run.heredocs().size() == 1 && (only.equals("<<" + doc.name()) || only.equals("<<-" + doc.name())
        || only.matches("<<-?[\"']" + java.util.regex.Pattern.quote(doc.name()) + "[\"']"));
  }

  /** The stage's ARGs with a value, as RUN sees them (an ENV of the same name wins). */
  private static Map<String, String> buildArgs(StageState state) {
    Map<String, String> env = state.scope.runEnv();
    Map<String, String> args = new LinkedHashMap<>();
    state.scope.argValues().forEach((k, v) -> args.put(k, env.getOrDefault(k, v)));
    return args;
  }

}
