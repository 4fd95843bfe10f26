package org.jocker.engine.lifecycle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.jocker.engine.EngineException;
import org.jocker.engine.container.ContainerStore;
import org.jocker.engine.container.Names;
import org.jocker.engine.network.ContainerNetworking;
import org.jocker.images.ImageService;
import org.jocker.kernel.LockFile;
import org.jocker.runtime.ContainerRuntime;
import org.jocker.runtime.kernel.Kernel;

/**
 * Where builds run their RUN containers: {@code ROOT/builds/ID/}, one {@link BuildSandbox} per
 * build, held by a lock file while the build runs. Build containers have no record in
 * {@code containers/}, so ps, inspect and rm never see them. A sandbox whose lock is free was left
 * by a killed build (or engine): {@link #removeLeftovers} removes its runtime containers, endpoints,
 * mounts and snapshots, run by each build first and by the commands that finish what killed
 * container commands left ({@link ContainerRemoval#removeLeftovers}: ps, create, run; their repair
 * of stale endpoints also takes a killed build's, as {@link #running} tells). {@code builds/.lock}
 * is held while a sandbox is made and while leftovers are looked for, so a sandbox made but not yet
 * locked is never taken for a leftover.
 */
public final class BuildContainers {
  static final String LOCK = ".lock";

  private final Path dir;
  private final ImageService images;
  private final ContainerRuntime runtime;
  private final Kernel kernel;
  private final BuildNetworking network;

  public BuildContainers(Path dir, ImageService images, ContainerRuntime runtime, Kernel kernel,
      ContainerNetworking networking, ContainerStore containers) {
    this.dir = dir;
    this.images = images;
    this.runtime = runtime;
    this.kernel = kernel;
    this.network = new BuildNetworking(networking, containers);
  }

  /** Whether {@code cid} is a RUN container of a build that is still running (its sandbox's lock is held). */
  public boolean running(String cid) {
    for (Path sandbox : sandboxes()) {
      if (Files.isDirectory(sandbox.resolve("run").resolve(cid))) {
        try {
          Optional<LockFile.Held> free = LockFile.tryLock(sandbox.resolve(LOCK));
          free.ifPresent(LockFile.Held::close);
          return free.isEmpty();
        } catch (IOException e) {
          return false; // the sandbox is being removed
        }
      }
    }
    return false;
  }

  /** A new sandbox for one build (after removing what killed builds left). */
  public BuildSandbox open() {
    removeLeftovers();
    String id = Names.newId().substring(0, 16);
    Path sandbox = dir.resolve(id);
    try {
      Files.createDirectories(dir);
      try (LockFile.Held making = LockFile.lock(dir.resolve(LOCK))) {
        Files.createDirectories(sandbox);
        LockFile.Held lock = LockFile.lock(sandbox.resolve(LOCK));
        return new BuildSandbox(id, sandbox, lock, images, runtime, kernel, network);
      }
    } catch (IOException e) {
      throw EngineException.internal(e, "cannot make the build directory " + sandbox + ": " + e.getMessage());
    }
  }

  /**
   * Sandboxes no live build holds: their containers, mounts, snapshots and files. Cheap when there
   * are none (a listing, a lock per sandbox): ps runs it.
   */
  public void removeLeftovers() {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (LockFile.Held looking = LockFile.lock(dir.resolve(LOCK))) {
      for (Path sandbox : sandboxes()) {
        removeIfFree(sandbox);
      }
    } catch (IOException e) {
      // left for a later command
    }
  }

  private void removeIfFree(Path sandbox) {
    try {
      Optional<LockFile.Held> free = LockFile.tryLock(sandbox.resolve(LOCK));
      if (free.isPresent()) {
        new BuildSandbox(sandbox.getFileName().toString(), sandbox, free.get(), images, runtime, kernel, network)
            .close();
      }
    } catch (IOException | RuntimeException e) {
      // left for a later command: a leftover must not make this one fail
    }
  }

  private List<Path> sandboxes() {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> list = Files.list(dir)) {
      return list.filter(Files::isDirectory).toList(); // not builds/.lock
    } catch (IOException e) {
      return List.of(); // left for a later command
    }
  }
}
