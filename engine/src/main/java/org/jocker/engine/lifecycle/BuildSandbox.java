package org.jocker.engine.lifecycle;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.jocker.engine.EngineException;
import org.jocker.engine.container.Names;
import org.jocker.engine.network.NetworkMode;
import org.jocker.engine.operations.LaunchFailures;
import org.jocker.engine.spec.RunOptions;
import org.jocker.engine.spec.SpecFactory;
import org.jocker.engine.spec.UserResolver;
import org.jocker.images.ImageService;
import org.jocker.images.manifest.ImageConfig;
import org.jocker.images.snapshot.Mount;
import org.jocker.kernel.FileTrees;
import org.jocker.kernel.LockFile;
import org.jocker.kernel.MountInfo;
import org.jocker.runtime.ContainerRuntime;
import org.jocker.runtime.CreateOptions;
import org.jocker.runtime.kernel.Kernel;
import org.jocker.runtime.launch.LaunchException;
import org.jocker.runtime.launch.Stdio;
import org.jocker.runtime.spec.Spec;

/**
 * One build's place to run: {@code ROOT/builds/ID/} with {@code run/CID/} (a RUN container's
 * bundle, its rootfs the mount of the step's snapshot, its /etc files in {@code etc/}) and
 * {@code mnt/NAME} (roots a COPY writes into or reads from). RUN containers are real runtime
 * containers with Docker's defaults on the network their RUN asks for ({@link BuildNetworking});
 * their output goes through a pipe to the build's progress, and they die with the process that
 * reads it (the build's: {@link CreateOptions#killUnread}). {@link #close} removes every container,
 * mount, snapshot and file of the sandbox, whatever state the build ended in.
 */
public final class BuildSandbox implements AutoCloseable {
  /** BuildKit's hostname inside RUN containers. */
  static final String HOSTNAME = "buildkitsandbox";
  /** The exit code of a RUN stopped (or never started) because the build was interrupted: SIGINT's. */
  static final int INTERRUPTED = 130;

  private final String id;
  private final Path dir;
  private final LockFile.Held lock;
  private final ImageService images;
  private final ContainerRuntime runtime;
  private final Kernel kernel;
  private final BuildNetworking network;
  private final Set<String> running = ConcurrentHashMap.newKeySet();
  private volatile boolean interrupted;

  BuildSandbox(String id, Path dir, LockFile.Held lock, ImageService images, ContainerRuntime runtime,
      Kernel kernel, BuildNetworking network) {
    this.id = id;
    this.dir = dir;
    this.lock = lock;
    this.images = images;
    this.runtime = runtime;
    this.kernel = kernel;
    this.network = network;
  }

  /** The key of one of this build's snapshots: removed with the sandbox if the build leaves it. */
  public String snapshotKey(String name) {
    return snapshotPrefix() + name;
  }

  private String snapshotPrefix() {
    return "build-" + id + "-";
  }

  /** Mounts {@code mount} at {@code mnt/NAME} and returns that directory. */
  public Path mount(Mount mount, String name) {
    Path target = directory(dir.resolve("mnt").resolve(name));
    mount.mount(target);
    return target;
  }

  /** A new empty directory {@code tmp/NAME} (where ADD extracts an archive), removed with the sandbox. */
  public Path scratchDirectory(String name) {
    return directory(dir.resolve("tmp").resolve(name));
  }

  private static Path directory(Path path) {
    try {
      return Files.createDirectories(path);
    } catch (IOException e) {
      throw EngineException.internal(e, "cannot make " + path + ": " + e.getMessage());
    }
  }

  /** Unmounts and removes a directory {@link #mount} gave. */
  public void unmount(Path target) {
    Mount.unmount(target);
    try {
      Files.deleteIfExists(target);
    } catch (IOException e) {
      // removed with the sandbox
    }
  }

  /** uid and gid of a user spec (name or id, maybe :group) as the root's /etc/passwd and /etc/group say. */
  public record Owner(long uid, long gid) {}

  public Owner owner(Path root, String user) {
    UserResolver.ResolvedUser u = new UserResolver(root).resolve(user);
    return new Owner(u.uid(), u.gid());
  }

  /**
   * The in-root paths {@link #run} mounts over for {@code process} (its --mount targets, the /etc
   * files of its network): what was made only as a mount point is no part of the layer.
   */
  public List<String> mountPoints(BuildProcess process) {
    List<String> points = new ArrayList<>(process.mounts().stream().map(BuildProcess.RunMount::target).toList());
    points.addAll(network.mountPoints(network.mode(process.network())));
    return points;
  }

  /**
   * Runs {@code process} in a new container on {@code rootfs} (mounted here for the run, and
   * unmounted after it) on its network (a bridge endpoint only for the run); its output goes to
   * {@code output}. Returns its exit code (128 + the signal that ended it).
   */
  public int run(Mount rootfs, BuildProcess process, ImageConfig.ContainerConfig image, OutputStream output) {
    if (interrupted) {
      return INTERRUPTED;
    }
    String cid = Names.newId();
    Path bundle = dir.resolve("run").resolve(cid);
    Path root = directory(bundle.resolve("rootfs"));
    rootfs.mount(root);
    try {
      ImageConfig.ContainerConfig config = new ImageConfig.ContainerConfig(process.user(), null, process.env(),
          null, null, null, process.workdir(), image.labels(), null, null);
      RunOptions options = new RunOptions(null, process.args(), null, List.of(), null, null, HOSTNAME, null, false,
          false);
      Spec spec = withMounts(SpecFactory.create(cid, config, options, root), process.mounts());
      NetworkMode mode = network.mode(process.network());
      spec = network.connect(spec, cid, mode, directory(bundle.resolve("etc")));
      try {
        return runContainer(cid, bundle, spec, output);
      } finally {
        if (mode == NetworkMode.BRIDGE) {
          try {
            network.disconnect(cid);
          } catch (RuntimeException e) {
            // its record stays: the sandbox's close, or the next command's repair, tries again
          }
        }
      }
    } finally {
      Mount.unmount(root);
      FileTrees.deleteUnchecked(bundle);
    }
  }

  /** The RUN's --mount's after the spec's own (so a cache mount may sit below /tmp, say). */
  private static Spec withMounts(Spec spec, List<BuildProcess.RunMount> mounts) {
    if (mounts.isEmpty()) {
      return spec;
    }
    List<Spec.Mount> all = new ArrayList<>(spec.mountsOrEmpty());
    for (BuildProcess.RunMount m : mounts) {
      all.add(switch (m) {
        case BuildProcess.RunMount.Bind b -> new Spec.Mount(b.target(), "bind", b.source().toString(),
            List.of("rbind", b.readOnly() ? "ro" : "rw"), null, null);
        case BuildProcess.RunMount.Tmpfs t -> new Spec.Mount(t.target(), "tmpfs", "tmpfs",
            t.size() > 0 ? List.of("nosuid", "nodev", "size=" + t.size()) : List.of("nosuid", "nodev"), null, null);
      });
    }
    return new Spec(spec.ociVersion(), spec.process(), spec.root(), spec.hostname(), spec.domainname(), all,
        spec.hooks(), spec.annotations(), spec.linux());
  }

  private int runContainer(String cid, Path bundle, Spec spec, OutputStream output) {
    Kernel.Pipe pipe = kernel.pipe();
    int devNull = kernel.openForReading(Path.of("/dev/null"));
    running.add(cid);
    try {
      try {
        // Killed by its monitor if this process dies before it ends (the pipe's read end closes).
        runtime.create(cid, bundle, spec, new CreateOptions(null, null, new Stdio(devNull, pipe.writeFd(),
            pipe.writeFd()), false, null, false, List.of(), false, true));
      } catch (LaunchException e) {
        throw LaunchFailures.error(e);
      } finally {
        kernel.close(pipe.writeFd()); // the container has it: its end is the end of the output
        kernel.close(devNull);
      }
      Thread copier = Thread.ofPlatform().name("build-output").daemon().start(() -> copy(pipe.readFd(), output));
      if (!interrupted) {
        runtime.start(cid);
      }
      int code = interrupted ? INTERRUPTED : exitCode(cid);
      copier.join(5_000);
      return code;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return INTERRUPTED;
    } finally {
      running.remove(cid);
      kernel.close(pipe.readFd());
      try {
        runtime.delete(cid, true);
      } catch (RuntimeException e) {
        runtime.removeIncomplete(cid); // a create that failed half-way
      }
    }
  }

  private int exitCode(String cid) {
    var status = runtime.awaitExit(cid);
    return status.signal() != 0 ? 128 + status.signal() : status.code();
  }

  private void copy(int fd, OutputStream output) {
    byte[] buf = new byte[8192];
    try {
      int n;
      while ((n = kernel.read(fd, buf, 0, buf.length)) > 0) {
        output.write(buf, 0, n);
        output.flush();
      }
    } catch (IOException | RuntimeException e) {
      // the reader gave up or the pipe was closed: the exit code still says how the step ended
    }
  }

  /** Ctrl-C: the running RUN containers are killed, no new one starts. */
  public void interrupt() {
    interrupted = true;
    for (String cid : running) {
      try {
        runtime.kill(cid, 9, true);
      } catch (RuntimeException e) {
        // it has ended
      }
    }
  }

  public boolean interrupted() {
    return interrupted;
  }

  /** Removes everything this sandbox holds: containers, endpoints, mounts, snapshots, files, then its lock. */
  @Override
  public void close() {
    try {
      for (Path bundle : children(dir.resolve("run"))) {
        String cid = bundle.getFileName().toString();
        try {
          runtime.delete(cid, true);
        } catch (RuntimeException e) {
          runtime.removeIncomplete(cid);
        }
        network.disconnect(cid); // a killed build's endpoint: its address, veth and namespace
        unmountIfMounted(bundle.resolve("rootfs"));
      }
      for (Path target : children(dir.resolve("mnt"))) {
        unmountIfMounted(target);
      }
      images.removeSnapshots(snapshotPrefix());
      FileTrees.deleteUnchecked(dir);
    } finally {
      lock.close();
    }
  }

  private static void unmountIfMounted(Path target) {
    if (MountInfo.isMountPoint(target)) {
      Mount.unmount(target);
    }
  }

  private static List<Path> children(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> list = Files.list(dir)) {
      return list.toList();
    } catch (IOException e) {
      throw EngineException.internal(e, "cannot read " + dir + ": " + e.getMessage());
    }
  }
}
