package org.jocker.engine.operations;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jocker.engine.EngineException;
import org.jocker.engine.attach.Caller;
import org.jocker.engine.attach.DescriptorCaller;
import org.jocker.engine.container.ContainerRecord;
import org.jocker.engine.container.ContainerStore;
import org.jocker.images.ImageService;
import org.jocker.kernel.MountInfo;
import org.jocker.runtime.ContainerRuntime;
import org.jocker.runtime.cgroup.CgroupStats;
import org.jocker.runtime.kernel.Kernel;
import org.jocker.runtime.launch.Stdio;
import org.jocker.runtime.spec.Spec;

/**
 * What the engine does with an existing container besides its lifecycle: inspect, exec, top,
 * stats, cp, port. {@link org.jocker.engine.Engine#operations()} gives one.
 */
public final class ContainerOperations {
  private final ImageService images;
  private final ContainerRuntime runtime;
  private final ContainerStore containers;
  private final Kernel kernel;
  private final ContainerInspector inspector;

  public ContainerOperations(ImageService images, ContainerRuntime runtime, ContainerStore containers, Kernel kernel,
      ContainerInspector inspector) {
    this.images = images;
    this.runtime = runtime;
    this.containers = containers;
    this.kernel = kernel;
    this.inspector = inspector;
  }

  public Optional<ContainerRecord> lookup(String idOrName) {
    return containers.find(idOrName);
  }

  public ContainerRecord find(String idOrName) {
    return containers.find(idOrName).orElseThrow(
        () -> EngineException.notFound("No such container: " + idOrName));
  }

  /** `inspect`: Docker's JSON of the container. */
  public ObjectNode inspect(String idOrName) {
    return inspector.inspect(find(idOrName));
  }

  /** `inspect --size`: also SizeRw (the container's own layer) and SizeRootFs (with the image's). */
  public ObjectNode inspect(String idOrName, boolean size) {
    ContainerRecord r = find(idOrName);
    ObjectNode o = inspector.inspect(r);
    if (size) {
      long rw = images.rootfsBytes(r.id());
      long image = 0;
      try {
        image = images.catalog().find(org.jocker.images.digest.Digest.parse(r.image()))
            .map(i -> images.manifest(i).value().layers().stream().mapToLong(l -> l.size()).sum()).orElse(0L);
      } catch (RuntimeException e) {
        // the image is gone
      }
      o.put("SizeRw", rw);
      o.put("SizeRootFs", rw + image);
    }
    return o;
  }

  public ContainerInspector.Status status(String idOrName) {
    return inspector.status(find(idOrName));
  }

  /** `exec`: the command's exit code (0 at once when detached). */
  public int exec(String idOrName, ExecRequest request, Stdio stdio) {
    return exec(idOrName, request, stdio, DescriptorCaller.of(kernel, stdio));
  }

  /** exec with the caller attached when it asks for a terminal. */
  public int exec(String idOrName, ExecRequest request, Stdio stdio, Caller caller) {
    return new ContainerExec(runtime, containers, inspector, kernel).exec(find(idOrName), request, stdio, caller);
  }

  /** `top`: the host's ps listing of the container's processes. */
  public ContainerTop.Listing top(String idOrName, List<String> psArgs) {
    ContainerRecord r = find(idOrName);
    if (!inspector.status(r).running()) {
      throw EngineException.conflict("container " + r.id() + " is not running");
    }
    return ContainerTop.list(runtime.processes(r.id()), psArgs);
  }

  /**
   * `stats --no-stream`: one line per container, CPU % over {@code intervalMillis} (both samples
   * are taken for all containers together). Containers that are not running show zeros.
   */
  public List<ContainerStats> stats(List<String> idsOrNames, long intervalMillis) {
    List<ContainerRecord> records = new ArrayList<>();
    for (String c : idsOrNames) {
      records.add(find(c));
    }
    Map<String, CgroupStats> first = new LinkedHashMap<>();
    for (ContainerRecord r : records) {
      first.put(r.id(), sample(r));
    }
    long start = System.nanoTime();
    if (intervalMillis > 0) {
      try {
        Thread.sleep(intervalMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    long wall = System.nanoTime() - start;
    List<ContainerStats> out = new ArrayList<>();
    for (ContainerRecord r : records) {
      out.add(ContainerStats.of(r.id(), r.name(), first.get(r.id()), sample(r), wall));
    }
    return out;
  }

  private CgroupStats sample(ContainerRecord r) {
    if (inspector.status(r).running()) {
      try {
        return runtime.stats(r.id());
      } catch (RuntimeException e) {
        // stopped meanwhile
      }
    }
    return new CgroupStats(new CgroupStats.Memory(0, 0, 0, java.util.OptionalLong.empty()),
        new CgroupStats.Cpu(0, java.util.OptionalLong.empty(), java.util.OptionalLong.empty()),
        new CgroupStats.Pids(0, CgroupStats.UNLIMITED), 0, CgroupStats.BlockIo.NONE, java.util.Map.of());
  }

  /** `cp`: the container's root filesystem, which must be mounted (it is until the container is removed). */
  public ContainerCopier copier(String idOrName) {
    ContainerRecord r = find(idOrName);
    Path rootfs = containers.bundle(r.id()).resolve("rootfs");
    if (!MountInfo.isMountPoint(rootfs)) {
      throw EngineException.conflict("container " + idOrName
          + " has no mounted root filesystem");
    }
    Spec spec = inspector.spec(r.id());
    boolean readOnly = spec != null && spec.root() != null && spec.root().isReadonly();
    List<ContainerPaths.MountPoint> mounts = new ArrayList<>();
    if (spec != null && spec.mounts() != null) {
      for (Spec.Mount m : spec.mounts()) {
        if (m.source() != null && ("bind".equals(m.type()) || m.optionsOrEmpty().contains("bind")
            || m.optionsOrEmpty().contains("rbind"))) {
          mounts.add(new ContainerPaths.MountPoint(m.destination(), Path.of(m.source()),
              m.optionsOrEmpty().contains("ro")));
        }
      }
    }
    return new ContainerCopier(rootfs, idOrName, readOnly, mounts, kernel);
  }

  /**
   * Runs a copy with the container frozen when it is running, so that it sees a consistent tree;
   * it is thawed afterwards. Freezing alone would not stop CVE-2018-15664 (another container
   * sharing a volume is not frozen): the copier's descriptor walk does ({@link ContainerPaths}),
   * so a container that cannot be frozen is copied as it is.
   */
  public void copy(String idOrName, java.util.function.Consumer<ContainerCopier> action) {
    ContainerCopier copier = copier(idOrName);
    whileFrozen(idOrName, false, () -> {
      action.accept(copier);
      return null;
    });
  }

  /**
   * Runs action with the container frozen if it is running (thawed afterwards), as Docker's
   * commit does: `export` and `commit` walk its root filesystem by path from the host, so a
   * running container could otherwise swap a directory for a symlink to a host directory in the
   * middle of the walk and have host files archived. Only the container's own processes can
   * change its root filesystem, and they are all frozen. With {@code required}, a running
   * container that cannot be frozen is refused.
   */
  public <T> T whileFrozen(String idOrName, boolean required, java.util.function.Supplier<T> action) {
    ContainerRecord r = find(idOrName);
    boolean frozen = false;
    if (inspector.status(r).status().equals("running")) {
      try {
        runtime.pause(r.id());
        frozen = true;
      } catch (RuntimeException e) {
        if (required) {
          throw EngineException.internal(e, "cannot pause container " + idOrName + ": "
              + e.getMessage());
        }
      }
    }
    try {
      return action.get();
    } finally {
      if (frozen) {
        runtime.resume(r.id());
      }
    }
  }
}
