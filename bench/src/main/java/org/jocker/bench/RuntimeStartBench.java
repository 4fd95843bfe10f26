package org.jocker.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jocker.runtime.ContainerRuntime;
import org.jocker.runtime.CreateOptions;
import org.jocker.runtime.cgroup.CgroupManager;
import org.jocker.runtime.cgroup.Cgroups;
import org.jocker.runtime.kernel.Kernel;
import org.jocker.runtime.kernel.LinuxKernel;
import org.jocker.runtime.launch.Launcher;
import org.jocker.runtime.spec.DefaultSpec;

/**
 * The Jocker side of bench/runtime-start.sh. Modes:
 *
 * <ul>
 *   <li>{@code bundle DIR [--no-resources] [--oci-version V] -- ARGS...}: writes a busybox bundle
 *       running ARGS (crun 1.8 refuses ociVersion 1.2.0, hence the option);
 *   <li>{@code loop ROOT BUNDLE WARMUP N}: create+start+awaitExit+delete N times in this (warm)
 *       JVM, after WARMUP untimed rounds; prints medians of the whole and of each phase, and of the
 *       kernel calls the runtime makes (spawn of the launcher, waiting for its report, ...);
 *   <li>{@code seq ROOT BUNDLE WARMUP N}: wall time of N sequential containers, after WARMUP;
 *   <li>{@code once ROOT BUNDLE}: one container (for a cold-JVM measurement);
 *   <li>{@code serve ROOT BUNDLE}: a warm JVM driven line by line on stdin, so that the script can
 *       interleave Jocker's runs with runc's and crun's (background load then hits all alike):
 *       {@code warmup N} runs N untimed containers, {@code run} one timed container and
 *       {@code seq N} N back to back; each answers one line on stdout ({@code ok}, or the
 *       microseconds of the whole and of create, start, awaitExit and delete, or the total);
 *   <li>{@code cgroups WARMUP N}: create+destroy of a container's cgroups alone;
 *   <li>{@code monitors ROOT BUNDLE N}: N long-running containers; prints each monitor's VmRSS
 *       and Pss, then deletes them.
 * </ul>
 *
 * Container ids start with the system property bench.prefix (default "jocker-bench-PID"), so that
 * the script can find and clean up whatever a killed run leaves. Output lines starting with
 * "RESULT " and "PHASES " are key=value pairs the script parses.
 */
public final class RuntimeStartBench {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private RuntimeStartBench() {}

  public static void main(String[] args) throws Exception {
    switch (args.length == 0 ? "" : args[0]) {
      case "bundle" -> bundle(args);
      case "loop" -> loop(Path.of(args[1]), Path.of(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]));
      case "seq" -> seq(Path.of(args[1]), Path.of(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]));
      case "once" -> once(Path.of(args[1]), Path.of(args[2]));
      case "serve" -> serve(Path.of(args[1]), Path.of(args[2]));
      case "cgroups" -> cgroups(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
      case "monitors" -> monitors(Path.of(args[1]), Path.of(args[2]), Integer.parseInt(args[3]));
      default -> {
        System.err.println("usage: RuntimeStartBench bundle|loop|seq|once|cgroups|monitors ...");
        System.exit(2);
      }
    }
  }

  // ---- bundle ------------------------------------------------------------------------------

  private static void bundle(String[] args) throws IOException {
    Path dir = Path.of(args[1]);
    boolean noResources = false;
    String ociVersion = null;
    int i = 2;
    for (; i < args.length && !args[i].equals("--"); i++) {
      if (args[i].equals("--no-resources")) {
        noResources = true;
      } else if (args[i].equals("--oci-version")) {
        ociVersion = args[++i];
      }
    }
    List<String> cmd = List.of(Arrays.copyOfRange(args, i + 1, args.length));
    Path rootfs = dir.resolve("rootfs");
    Path bin = Files.createDirectories(rootfs.resolve("bin"));
    for (String d : List.of("proc", "sys", "dev", "etc", "tmp", "root")) {
      Files.createDirectories(rootfs.resolve(d));
    }
    Path busybox = Path.of("/bin/busybox");
    Files.copy(busybox, bin.resolve("busybox"), StandardCopyOption.COPY_ATTRIBUTES);
    // busybox-static prints the applet list on stderr
    Process p = new ProcessBuilder(busybox.toString(), "--list").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    for (String applet : out.lines().filter(l -> !l.isBlank()).toList()) {
      if (!applet.equals("busybox")) {
        Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
      }
    }
    Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
    Files.writeString(rootfs.resolve("etc/group"), "root:x:0:\n");
    ObjectNode config = JSON.valueToTree(DefaultSpec.create(cmd, false));
    if (noResources) {
      ((ObjectNode) config.get("linux")).remove("resources");
      ((ObjectNode) config.get("linux")).remove("cgroupsPath");
    }
    if (ociVersion != null) {
      config.put("ociVersion", ociVersion);
    }
    Files.write(dir.resolve("config.json"), JSON.writeValueAsBytes(config));
  }

  // ---- timing ------------------------------------------------------------------------------

  /** Kernel calls timed by method name (spawn, waitPid, read, awaitExit, ...). */
  static final class Timings {
    final Map<String, Long> current = new LinkedHashMap<>();

    void add(String name, long nanos) {
      current.merge(name, nanos, Long::sum);
    }
  }

  static Kernel timed(Kernel real, Timings t) {
    InvocationHandler h = (proxy, method, margs) -> {
      long t0 = System.nanoTime();
      try {
        return method.invoke(real, margs);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      } finally {
        t.add("kernel." + method.getName(), System.nanoTime() - t0);
      }
    };
    return (Kernel) Proxy.newProxyInstance(Kernel.class.getClassLoader(), new Class<?>[] {Kernel.class}, h);
  }

  private static void lifecycle(ContainerRuntime rt, Path bundle, String id, Timings t) {
    long t0 = System.nanoTime();
    rt.create(id, bundle, CreateOptions.DEFAULT);
    long t1 = System.nanoTime();
    rt.start(id);
    long t2 = System.nanoTime();
    var exit = rt.awaitExit(id);
    long t3 = System.nanoTime();
    rt.delete(id, false);
    long t4 = System.nanoTime();
    if (exit.code() != 0 || exit.signal() != 0) {
      throw new IllegalStateException("container " + id + " exited with " + exit);
    }
    t.add("create", t1 - t0);
    t.add("start", t2 - t1);
    t.add("awaitExit", t3 - t2);
    t.add("delete", t4 - t3);
    t.add("total", t4 - t0);
  }

  private static void loop(Path root, Path bundle, int warmup, int n) {
    Timings t = new Timings();
    ContainerRuntime rt = new ContainerRuntime(root, timed(new LinuxKernel(), t), Launcher.locate());
    String prefix = prefix() + "loop-";
    for (int i = 0; i < warmup; i++) {
      lifecycle(rt, bundle, prefix + "w" + i, t);
    }
    Map<String, List<Long>> samples = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      t.current.clear();
      lifecycle(rt, bundle, prefix + i, t);
      t.current.forEach((k, v) -> samples.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
    }
    List<Long> total = samples.get("total");
    System.out.println("RESULT name=jocker-inprocess n=" + n + " median_ms=" + ms(median(total))
        + " min_ms=" + ms(min(total)) + " p90_ms=" + ms(percentile(total, 0.9)));
    StringBuilder phases = new StringBuilder("PHASES");
    samples.forEach((k, v) -> phases.append(' ').append(k).append('=').append(ms(median(v))));
    System.out.println(phases);
  }

  private static void seq(Path root, Path bundle, int warmup, int n) {
    Timings t = new Timings();
    ContainerRuntime rt = new ContainerRuntime(root, new LinuxKernel(), Launcher.locate());
    String prefix = prefix() + "seq-";
    for (int i = 0; i < warmup; i++) {
      lifecycle(rt, bundle, prefix + "w" + i, t);
    }
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      lifecycle(rt, bundle, prefix + i, t);
    }
    long total = System.nanoTime() - t0;
    System.out.println("RESULT name=jocker-seq n=" + n + " total_ms=" + ms(total));
  }

  private static void serve(Path root, Path bundle) throws IOException {
    Timings t = new Timings();
    ContainerRuntime rt = new ContainerRuntime(root, new LinuxKernel(), Launcher.locate());
    var in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in, StandardCharsets.UTF_8));
    long n = 0;
    for (String line; (line = in.readLine()) != null; ) {
      String[] w = line.trim().split("\\s+");
      switch (w[0]) {
        case "warmup" -> {
          for (int i = Integer.parseInt(w[1]); i > 0; i--) {
            lifecycle(rt, bundle, prefix() + "srv-" + n++, t);
          }
          System.out.println("ok");
        }
        case "run" -> {
          t.current.clear();
          lifecycle(rt, bundle, prefix() + "srv-" + n++, t);
          System.out.println(us(t.current.get("total")) + " " + us(t.current.get("create")) + " "
              + us(t.current.get("start")) + " " + us(t.current.get("awaitExit")) + " "
              + us(t.current.get("delete")));
        }
        case "seq" -> {
          long t0 = System.nanoTime();
          for (int i = Integer.parseInt(w[1]); i > 0; i--) {
            lifecycle(rt, bundle, prefix() + "srv-" + n++, t);
          }
          System.out.println(us(System.nanoTime() - t0));
        }
        case "quit" -> {
          return;
        }
        default -> System.out.println("error unknown command " + w[0]);
      }
      System.out.flush();
    }
  }

  private static long us(long nanos) {
    return nanos / 1000;
  }

  private static void once(Path root, Path bundle) {
    ContainerRuntime rt = new ContainerRuntime(root, new LinuxKernel(), Launcher.locate());
    lifecycle(rt, bundle, prefix() + "once", new Timings());
  }

  private static void cgroups(int warmup, int n) {
    List<Long> create = new ArrayList<>();
    List<Long> destroy = new ArrayList<>();
    List<Long> lookup = new ArrayList<>();
    String id = prefix() + "cg";
    for (int i = 0; i < warmup + n; i++) {
      long t0 = System.nanoTime();
      CgroupManager cg = Cgroups.forContainer(null, id);
      long t1 = System.nanoTime();
      cg.create();
      long t2 = System.nanoTime();
      cg.destroy();
      long t3 = System.nanoTime();
      if (i >= warmup) {
        lookup.add(t1 - t0);
        create.add(t2 - t1);
        destroy.add(t3 - t2);
      }
    }
    System.out.println("PHASES cgroup.forContainer=" + ms(median(lookup)) + " cgroup.create="
        + ms(median(create)) + " cgroup.destroy=" + ms(median(destroy)));
  }

  // ---- monitors ----------------------------------------------------------------------------

  private static void monitors(Path root, Path bundle, int n) throws IOException {
    ContainerRuntime rt = new ContainerRuntime(root, new LinuxKernel(), Launcher.locate());
    try (RunningContainers containers = new RunningContainers(rt)) {
      containers.start(bundle, prefix() + "mon-", n);
      long rssSum = 0;
      long pssSum = 0;
      for (String id : containers.ids()) {
        long monitor = containers.monitor(id);
        long rss = procField("/proc/" + monitor + "/status", "VmRSS:");
        long pss = procField("/proc/" + monitor + "/smaps_rollup", "Pss:");
        rssSum += rss;
        pssSum += pss;
        System.out.println("MONITOR id=" + id + " init=" + containers.init(id) + " monitor=" + monitor
            + " rss_kib=" + rss + " pss_kib=" + pss);
      }
      System.out.println("RESULT name=jocker-monitor n=" + n + " rss_sum_kib=" + rssSum
          + " rss_avg_kib=" + rssSum / n + " pss_sum_kib=" + pssSum + " pss_avg_kib=" + pssSum / n);
    }
  }

  /** The first number after {@code key} in a /proc file ("VmRSS:   1234 kB" -> 1234). */
  private static long procField(String file, String key) throws IOException {
    for (String line : Files.readAllLines(Path.of(file))) {
      if (line.startsWith(key)) {
        return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
      }
    }
    throw new IOException(key + " not in " + file);
  }

  private static String prefix() {
    return System.getProperty("bench.prefix", "jocker-bench-" + ProcessHandle.current().pid()) + "-";
  }

  // ---- statistics --------------------------------------------------------------------------

  private static long median(List<Long> v) {
    return percentile(v, 0.5);
  }

  private static long percentile(List<Long> v, double q) {
    long[] a = v.stream().mapToLong(Long::longValue).sorted().toArray();
    if (a.length % 2 == 0 && q == 0.5) {
      return (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }
    return a[(int) Math.min(a.length - 1, Math.floor(q * a.length))];
  }

  private static long min(List<Long> v) {
    return v.stream().mapToLong(Long::longValue).min().orElse(0);
  }

  private static String ms(long nanos) {
    return String.format(Locale.ROOT, "%.3f", nanos / 1e6);
  }
}
