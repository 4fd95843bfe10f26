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
 * by a killed build: {@link #open} removes its runtime containers, endpoints, mounts and snapshots
 * first (and any command's repair of stale endpoints takes theirs, as {@link #running} tells).
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
      Files.createDirectories(sandbox);
      LockFile.Held lock = LockFile.lock(sandbox.resolve(LOCK));
      return new BuildSandbox(id, sandbox, lock, images, runtime, kernel, network);
    } catch (IOException e) {
      throw EngineException.internal(e, "cannot make the build directory " + sandbox + ": " + e.getMessage());
    }
  }

  /** Sandboxes no live build holds: their containers, mounts, snapshots and files. */
  public void removeLeftovers() {
    for (Path sandbox : sandboxes()) {
      try {
        Optional<LockFile.Held> free = LockFile.tryLock(sandbox.resolve(LOCK));
        if (free.isPresent()) {
          new BuildSandbox(sandbox.getFileName().toString(), sandbox, free.get(), images, runtime, kernel, network)
              .close();
        }
      } catch (IOException | RuntimeException e) {
        // left for the next build: a leftover must not make this one fail
      }
    }
  }

  private List<Path> sandboxes() {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> list = Files.list(dir)) {
      return list.toList();
    } catch (IOException e) {
      return List.of(); // left for the next build
    }
  }
}
