package org.jocker.runtime;

import org.jocker.runtime.spec.Spec;
import org.jocker.runtime.state.ContainerRecord;
import org.jocker.runtime.state.ContainerState.Status;

/**
 * Changes the cgroup limits of a live container, as runc update: the resources its flags cover
 * (memory limit, reservation and swap; cpu shares, CFS and realtime bandwidth, cpuset cpus and
 * mems; blkio weight; pids limit) and linux.resources.unified. Like runc, a field that is absent or
 * zero keeps its current value, and everything else in the resources (devices, hugepages...) is
 * left alone.
 */
final class ContainerUpdate {
  static final String KERNEL_MEMORY_IGNORED = "kernel memory settings are ignored and will be removed";

  private final RuntimeContext context;
  private final ContainerStatus status;

  ContainerUpdate(RuntimeContext context, ContainerStatus status) {
    this.context = context;
    this.status = status;
  }

  void update(String id, Spec.Resources changes) {
    ContainerRecord record = context.store().load(id);
    if (status.status(record) == Status.stopped) {
      throw new OciRuntimeException("container " + id + " is not running");
    }
    Spec.Memory m = changes.memory();
    if (m != null && (set(m.kernel()) != null || set(m.kernelTCP()) != null)) {
      context.warnings().add(KERNEL_MEMORY_IGNORED); // as runc 1.1: the kernel dropped these limits
    }
    context.cgroups().of(record).apply(updatable(changes));
  }

  /** The fields runc's update applies, zeros as unset (its flags' defaults). */
  static Spec.Resources updatable(Spec.Resources r) {
    return new Spec.Resources(null, memory(r.memory()), cpu(r.cpu()),
        r.pids() == null || r.pids().limit() == 0 ? null : r.pids(),
        r.blockIO() == null || set(r.blockIO().weight()) == null ? null : new Spec.BlockIo(r.blockIO().weight(), null),
        r.unified());
  }

  private static Spec.Memory memory(Spec.Memory m) {
    if (m == null || (set(m.limit()) == null && set(m.reservation()) == null && set(m.swap()) == null)) {
      return null;
    }
    return new Spec.Memory(set(m.limit()), set(m.reservation()), set(m.swap()), null, null, null, null);
  }

  private static Spec.Cpu cpu(Spec.Cpu c) {
    if (c == null) {
      return null;
    }
    Spec.Cpu kept = new Spec.Cpu(set(c.shares()), set(c.quota()), set(c.period()), set(c.realtimeRuntime()),
        set(c.realtimePeriod()), text(c.cpus()), text(c.mems()), null);
    return kept.equals(new Spec.Cpu(null, null, null, null, null, null, null, null)) ? null : kept;
  }

  private static Long set(Long v) {
    return v == null || v == 0 ? null : v;
  }

  private static Integer set(Integer v) {
    return v == null || v == 0 ? null : v;
  }

  private static String text(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
