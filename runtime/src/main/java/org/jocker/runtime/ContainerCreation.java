package org.jocker.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jocker.kernel.Durable;
import org.jocker.kernel.LockFile;
import org.jocker.runtime.cgroup.CgroupManager;
import org.jocker.runtime.launch.Launcher;
import org.jocker.runtime.plan.DeviceRules;
import org.jocker.runtime.plan.InvalidSpecException;
import org.jocker.runtime.plan.LaunchPlan;
import org.jocker.runtime.plan.SpecValidator;
import org.jocker.runtime.seccomp.SeccompFilter;
import org.jocker.runtime.spec.Spec;
import org.jocker.runtime.state.ContainerRecord;
import org.jocker.runtime.state.ContainerState;
import org.jocker.runtime.state.ContainerState.Status;
import org.jocker.runtime.state.StateStore;

/**
 * Creates a container: validates its bundle, makes its cgroup, launches its init (which waits for
 * start) and saves its record. A create that fails leaves nothing behind.
 */
final class ContainerCreation {
  private final RuntimeContext context;
  private final SpecValidator validator;
  private final SeccompCache seccomp;
  private final ContainerStatus status;
  private final ContainerDeletion deletion;

  ContainerCreation(RuntimeContext context, SpecValidator validator, SeccompCache seccomp,
      ContainerStatus status, ContainerDeletion deletion) {
    this.context = context;
    this.validator = validator;
    this.seccomp = seccomp;
    this.status = status;
    this.deletion = deletion;
  }

  /** The bundle's config.json. */
  Spec loadSpec(Path bundle) {
    Path config = bundle.resolve("config.json");
    if (!Files.isRegularFile(config)) {
      throw new OciRuntimeException("bundle " + bundle + ": config.json not found");
    }
    try {
      return context.json().readValue(config.toFile(), Spec.class);
    } catch (IOException e) {
      String why = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
      throw new OciRuntimeException("config.json: invalid JSON: " + why, e);
    }
  }

  ContainerState create(String id, Path bundle, CreateOptions options) {
    return create(id, bundle, loadSpec(bundle.toAbsolutePath().normalize()), options);
  }

  /** With the bundle's config.json already loaded ({@link #loadSpec}). */
  ContainerState create(String id, Path bundle, Spec spec, CreateOptions options) {
    StateStore.checkId(id);
    deletion.removeIncomplete(id);
    Path absBundle = bundle.toAbsolutePath().normalize();
    Path rootfs = validator.validate(spec, absBundle);
    SeccompFilter filter = seccomp.filterFor(spec);
    if (spec.process().isTerminal() && options.consoleSocket() == null
        && (options.handoff() || (options.log() == null && !options.relayTerminal()))) {
      throw new InvalidSpecException("process.terminal", "a terminal needs --console-socket");
    }
    StateStore store = context.store();
    LockFile.Held lock = store.claim(id);
    Path dir = store.dir(id);
    CgroupManager cgroup = null;
    Launcher.Launched launched = null;
    try {
      String cgroupsPath = spec.linux() == null ? null : spec.linux().cgroupsPath();
      // Before the cgroup: a create killed from here on leaves the cgroup's path on disk.
      Files.write(dir.resolve("config.json"), context.json().writeValueAsBytes(spec));
      CgroupManager target = context.cgroups().of(cgroupsPath, id);
      boolean preexisting = target.directories().values().stream().allMatch(Files::isDirectory);
      // runc's checks before it makes anything: a cgroup someone else made and froze is theirs
      // (the failure leaves it as it was); other processes in it are only worth a warning.
      if (target.isFrozen()) {
        throw new OciRuntimeException("container's cgroup unexpectedly frozen (thaw it first)");
      }
      List<Long> others = target.pids();
      if (!others.isEmpty()) {
        context.warnings().add("container's cgroup is not empty: " + others.size() + " process(es) found");
      }
      cgroup = target;
      cgroup.create();
      if (cgroup.isFrozen()) {
        // A frozen parent freezes the new cgroup too: the init would freeze as it joins, and
        // create hang in uninterruptible sleep.
        if (preexisting) {
          cgroup = null;
        }
        throw new OciRuntimeException("container's cgroup unexpectedly frozen (thaw it, or its parent, first)");
      }
      Spec.Resources resources = DeviceRules.complete(spec);
      if (resources != null) {
        cgroup.apply(resources);
      }
      Spec.Hooks h = spec.hooks();
      boolean pause = h != null && (notEmpty(h.prestart()) || notEmpty(h.createRuntime())
          || notEmpty(h.createContainer()) || notEmpty(h.startContainer()));
      Map<String, Path> cgroupDirs = ContainerCgroups.directoriesByName(cgroup);
      byte[] plan = new LaunchPlan(spec, absBundle, rootfs, dir, cgroupDirs,
          filter == null ? new byte[0] : filter.program().bytes(), filter == null ? 0 : filter.flags(),
          options.consoleSocket(), pause, options.handoff(), options.log(), options.openStdin(),
          options.exitCommand(), options.relayTerminal(), cgroup.madeWithFirstProcess(),
          SeccompAgentState.forInit(context.json(), spec, filter, id, absBundle.toString()), options.killUnread())
          .encode();
      CgroupManager placing = cgroup;
      launched = context.launcher().launch(plan, options.stdio(), placing::attach, pid -> {
        byte[] state = context.stateJson(new ContainerState(spec.ociVersion(), id, Status.creating, pid,
            absBundle.toString(), rootfs.toString(), null, null, spec.annotations(), null));
        if (h != null) {
          context.hooks().run("prestart", h.prestart(), state);
          context.hooks().run("createRuntime", h.createRuntime(), state);
        }
        return state;
      });
      try {
        context.cgroups().separateMonitor(cgroup, id, launched.monitorPid());
      } catch (RuntimeException e) {
        // The container runs all the same; only a restart of the unit that started it would end its monitor.
        context.warnings().add(e.getMessage());
      }
      ContainerRecord record = new ContainerRecord(id, spec.ociVersion(), absBundle.toString(),
          rootfs.toString(), launched.pid(), context.kernel().startTime(launched.pid()), launched.monitorPid(),
          context.kernel().startTime(launched.monitorPid()), context.cgroups().recordedPath(cgroupsPath, id),
          Instant.now().toString(),
          spec.annotations());
      store.save(record);
      if (options.pidFile() != null) {
        Durable.writeUnchecked(options.pidFile().toAbsolutePath(),
            Integer.toString(launched.pid()).getBytes(StandardCharsets.US_ASCII));
      }
      return status.state(record);
    } catch (RuntimeException | IOException e) {
      context.abandon(launched);
      if (cgroup != null) {
        context.destroyQuietly(cgroup);
      }
      store.removeDir(id);
      if (e instanceof IOException io) {
        throw new UncheckedIOException(io);
      }
      throw (RuntimeException) e;
    } finally {
      StateStore.closeLock(lock);
    }
  }

  private static boolean notEmpty(List<?> l) {
    return l != null && !l.isEmpty();
  }
}
