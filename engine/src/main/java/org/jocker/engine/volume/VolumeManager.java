package org.jocker.engine.volume;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jocker.engine.container.ContainerRecord;
import org.jocker.engine.EngineException;

/** The volume commands, which must know which containers use a volume (`rm` refuses those, prune keeps them). */
public final class VolumeManager {
  private final VolumeStore store;
  private final Supplier<List<ContainerRecord>> containers;

  public VolumeManager(VolumeStore store, Supplier<List<ContainerRecord>> containers) {
    this.store = store;
    this.containers = containers;
  }

  public VolumeStore store() {
    return store;
  }

  /** `volume create [NAME]`: an anonymous-looking random name when none is given. */
  public Volume create(String name, Map<String, String> labels) {
    return store.create(name == null || name.isEmpty() ? randomName() : name, labels);
  }

  public List<Volume> list() {
    return store.list();
  }

  public Volume inspect(String name) {
    return store.get(name);
  }

  /** The ids of the containers that use a volume. */
  public List<String> users(String name) {
    List<String> ids = new ArrayList<>();
    for (ContainerRecord r : containers.get()) {
      if (r.volumes().contains(name)) {
        ids.add(r.id());
      }
    }
    return ids;
  }

  /** `volume rm [-f]`: a volume a container uses is refused, even with force (as Docker). */
  public void remove(String name, boolean force) {
    if (store.find(name).isEmpty()) {
      if (force) {
        return;
      }
      throw EngineException.notFound("get " + name + ": no such volume");
    }
    List<String> users = users(name);
    if (!users.isEmpty()) {
      throw EngineException.conflict("remove " + name + ": volume is in use - ["
          + String.join(", ", users) + "]");
    }
    store.remove(name);
  }

  /** `system df`'s volume row: how many, how many in use, their bytes and those of the unused ones. */
  public record DiskUsage(int volumes, int active, long bytes, long reclaimable) {}

  public DiskUsage diskUsage() {
    int total = 0;
    int active = 0;
    long bytes = 0;
    long reclaimable = 0;
    for (Volume v : store.list()) {
      long size = size(java.nio.file.Path.of(v.mountpoint()));
      total++;
      bytes += size;
      if (users(v.name()).isEmpty()) {
        reclaimable += size;
      } else {
        active++;
      }
    }
    return new DiskUsage(total, active, bytes, reclaimable);
  }

  /** What a prune removed: the volumes' names and the bytes their files took. */
  public record PruneReport(List<String> deleted, long bytesFreed) {}

  /** `volume prune`: Docker's default removes the anonymous volumes no container uses; with all, every unused one. */
  public PruneReport prune(boolean all) {
    List<String> removed = new ArrayList<>();
    long bytes = 0;
    for (Volume v : store.list()) {
      if ((all || v.anonymous()) && users(v.name()).isEmpty()) {
        bytes += size(java.nio.file.Path.of(v.mountpoint()));
        store.remove(v.name());
        removed.add(v.name());
      }
    }
    return new PruneReport(removed, bytes);
  }

  /** Bytes of the regular files under a directory (each hard-linked file once). */
  static long size(java.nio.file.Path dir) {
    java.util.Set<Object> seen = new java.util.HashSet<>();
    long total = 0;
    try (java.util.stream.Stream<java.nio.file.Path> walk = java.nio.file.Files.walk(dir)) {
      for (java.nio.file.Path p : (Iterable<java.nio.file.Path>) walk::iterator) {
        java.nio.file.attribute.BasicFileAttributes a = java.nio.file.Files.readAttributes(p,
            java.nio.file.attribute.BasicFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        if (a.isRegularFile() && (a.fileKey() == null || seen.add(a.fileKey()))) {
          total += a.size();
        }
      }
    } catch (java.io.IOException | java.io.UncheckedIOException e) {
      return total;
    }
    return total;
  }

  /** After a container is removed with -v or --rm: its anonymous volumes that nothing else uses. */
  public void removeAnonymous(ContainerRecord removed) {
    for (String name : removed.volumes()) {
      store.find(name).filter(Volume::anonymous).ifPresent(v -> {
        if (users(name).stream().allMatch(removed.id()::equals)) {
          store.remove(name);
        }
      });
    }
  }

  static String randomName() {
    byte[] b = new byte[32];
    new java.security.SecureRandom().nextBytes(b);
    return java.util.HexFormat.of().formatHex(b);
  }
}
