package org.jocker.engine.lifecycle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.jocker.engine.EngineException;
import org.jocker.engine.container.Names;
import org.jocker.images.ImageService;
import org.jocker.kernel.LockFile;
import org.jocker.runtime.ContainerRuntime;
import org.jocker.runtime.kernel.Kernel;

/**
 * Where builds run their RUN containers: {@code ROOT/builds/ID/}, one {@link BuildSandbox} per
 * build, held by a lock file while the build runs. Build containers have no record in
 * {@code containers/}, so ps, inspect and rm never see them. A sandbox whose lock is free was left
 * by a killed build: {@link #open} removes its runtime containers, mounts and snapshots first.
 */
public final class BuildContainers {
  static final String LOCK = ".lock";

  private final Path dir;
  private final ImageService images;
  private final ContainerRuntime runtime;
  private final Kernel kernel;

  public BuildContainers(Path dir, ImageService images, ContainerRuntime runtime, Kernel kernel) {
    this.dir = dir;
    this.images = images;
    this.runtime = runtime;
    this.kernel = kernel;
  }

  /** A new sandbox for one build (after removing what killed builds left). */
  public BuildSandbox open() {
    removeLeftovers();
    String id = Names.newId().substring(0, 16);
    Path sandbox = dir.resolve(id);
    try {
      Files.createDirectories(sandbox);
      LockFile.Held lock = LockFile.lock(sandbox.resolve(LOCK));
      return new BuildSandbox(id, sandbox, lock, images, runtime, kernel);
    } catch (IOException e) {
      throw EngineException.internal(e, "cannot make the build directory " + sandbox + ": " + e.getMessage());
    }
  }

  /** Sandboxes no live build holds: their containers, mounts, snapshots and files. */
  public void removeLeftovers() {
    if (!Files.isDirectory(dir)) {
      return;
    }
    List<Path> sandboxes;
    try (Stream<Path> list = Files.list(dir)) {
      sandboxes = list.toList();
    } catch (IOException e) {
      return; // left for the next build
    }
    for (Path sandbox : sandboxes) {
      try {
        Optional<LockFile.Held> free = LockFile.tryLock(sandbox.resolve(LOCK));
        if (free.isPresent()) {
          new BuildSandbox(sandbox.getFileName().toString(), sandbox, free.get(), images, runtime, kernel).close();
        }
      } catch (IOException | RuntimeException e) {
        // left for the next build: a leftover must not make this one fail
      }
    }
  }
}
