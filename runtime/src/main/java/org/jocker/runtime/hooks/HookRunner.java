package org.jocker.runtime.hooks;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jocker.kernel.KernelException;
import org.jocker.runtime.OciRuntimeException;
import org.jocker.runtime.spec.Spec;

/**
 * Runs the hooks that execute in the runtime namespace (prestart, createRuntime, poststart,
 * poststop) with the container's state JSON on stdin, as the runtime spec says. The hooks that run
 * inside the container (createContainer, startContainer) are run by the launcher.
 */
public final class HookRunner {

  /** Runs each hook in order; the first failure stops the rest and is thrown. */
  public void run(String phase, List<Spec.Hook> hooks, byte[] state) {
    if (hooks == null) {
      return;
    }
    for (int i = 0; i < hooks.size(); i++) {
      runOne(phase, i, hooks.get(i), state);
    }
  }

  /** Runs every hook; failures are returned as warnings (poststart, poststop). */
  public List<String> runAll(String phase, List<Spec.Hook> hooks, byte[] state) {
    List<String> warnings = new ArrayList<>();
    if (hooks == null) {
      return warnings;
    }
    for (int i = 0; i < hooks.size(); i++) {
      try {
        runOne(phase, i, hooks.get(i), state);
      } catch (OciRuntimeException | KernelException e) {
        warnings.add(e.getMessage());
      }
    }
    return warnings;
  }

  private static void runOne(String phase, int index, Spec.Hook hook, byte[] state) {
    List<String> command = new ArrayList<>();
    command.add(hook.path());
    if (hook.args() != null && hook.args().size() > 1) {
      command.addAll(hook.args().subList(1, hook.args().size()));
    }
    ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.INHERIT);
    if (hook.env() != null) {
      pb.environment().clear();
      for (String e : hook.env()) {
        int eq = e.indexOf('=');
        if (eq > 0) {
          pb.environment().put(e.substring(0, eq), e.substring(eq + 1));
        }
      }
    }
    // runc's words ("error running hook #0: exit status 1"), with the phase and the hook's path
    String name = "error running hook #" + index + " (" + phase + " " + hook.path() + ")";
    try {
      Process p = pb.start();
      try (OutputStream in = p.getOutputStream()) {
        in.write(state);
      } catch (IOException e) {
        // a hook need not read its stdin
      }
      long timeout = hook.timeout() == null ? Long.MAX_VALUE : hook.timeout();
      if (!p.waitFor(timeout, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor();
        throw new OciRuntimeException(name + ": timed out after " + timeout + "s");
      }
      if (p.exitValue() != 0) {
        throw new OciRuntimeException(name + ": exit status " + p.exitValue());
      }
    } catch (IOException e) {
      throw new OciRuntimeException(name + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OciRuntimeException(name + ": interrupted", e);
    }
  }
}
