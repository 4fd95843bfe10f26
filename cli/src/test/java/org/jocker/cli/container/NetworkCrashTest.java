package org.jocker.cli.container;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jocker.cli.testing.Jocker;
import org.jocker.cli.testing.ResidentEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault injection for networking: `run -d` on a user network (a published port, an alias),
 * `stop`, `start`, `rm -f`, `network connect`, `network disconnect` and `network rm` (of a network
 * without containers), each cut by a SIGKILL at a random moment — of the jocker process users run
 * without an engine, or of the resident engine serving the native client. After each trial and one
 * repairing command (`ps`), the network is what the running containers need and nothing more:
 * each answers on each of its networks (wget from another container, its published port from the
 * host side), no veth without a running container's endpoint, no address file of a container that
 * does not run on that network, no address twice, no DNAT rule of a container that does not run,
 * no rule or bridge of a removed network, aardvark-dns's files list exactly the running
 * containers' names (and it runs iff there is one), no namespace left of a container that does
 * not run.
 *
 * <p>Everything runs in a network namespace the test makes (the engine included, so the bridges,
 * veths and rules are that namespace's); traffic goes only to its 127.0.0.1 and to the test's
 * containers. The kill moments are calibrated as in {@link ContainerCrashSafetyTest}: a whole run
 * of each command counts the changes it makes (files under the root, links of the namespace,
 * mounts) and its duration; a trial kills just after a random one of those changes, or at a random
 * time after its first change.
 */
class NetworkCrashTest {
  /** The trials' time (-Djocker.test.crashBudgetMillis for a longer hunt). */
  private static final long BUDGET_MILLIS = Long.getLong("jocker.test.crashBudgetMillis", 25_000);
  private static final int MIN_TRIALS = 8;
  private static final int MAX_CONTAINERS = 3;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern IPV4 = Pattern.compile("\\d+\\.\\d+\\.\\d+\\.\\d+");
  private static final String FIRST = "crasha";
  private static final String SECOND = "crashb";
  /** An httpd saying which container answers; stops at once on SIGTERM. */
  private static final String[] SERVE = {"busybox", "sh", "-c",
      "trap 'exit 0' TERM; echo hello-from-$(hostname) > /tmp/index.html; httpd -p 80 -h /tmp; sleep 1000 & wait"};
  private static final int FIRST_PORT = 18300;

  enum Op { RUN, STOP, START, RM, CONNECT, DISCONNECT, NETWORK_RM }

  /** Whose SIGKILL: the jocker process (a JVM, as users run it without an engine) or the resident engine. */
  enum Victim { COMMAND, ENGINE }

  @TempDir Path tmp;
  private Jocker jocker;
  private ResidentEngine engine;
  private String netns;
  private Process watcher;
  private List<String> hostLinksBefore;
  private int names;

  @Test
  void killedNetworkCommandsLeaveNothingAndTheNextCommandRepairs() throws Exception {
    hostLinksBefore = Jocker.hostLinks();
    netns = "jocker-crash-" + UUID.randomUUID().toString().substring(0, 8);
    tool("ip", "netns", "add", netns);
    tool("ip", "-n", netns, "link", "set", "lo", "up");
    // A process in the namespace: its /proc/PID/net/dev shows the namespace's links at no cost.
    watcher = new ProcessBuilder("ip", "netns", "exec", netns, "sleep", "1000").start();
    jocker = Jocker.networked(tmp.resolve("root"));
    engine = ResidentEngine.startNetworked(inNamespace(), tmp.resolve("engine"), jocker.root());
    engine.ok("network", "create", "--subnet", "10.201.0.0/24", FIRST);
    engine.ok("network", "create", "--subnet", "10.202.0.0/24", SECOND);
    engine.ok("run", "--rm", "--network", FIRST, "busybox", "true"); // busybox unpacked, the bridge made
    Map<Op, Outcome> whole = calibrate();
    checkState("after calibrating");

    long seed = new Random().nextLong();
    Random random = new Random(seed);
    Map<String, Integer> killed = new TreeMap<>();
    long deadline = System.nanoTime() + BUDGET_MILLIS * 1_000_000;
    int trial = 0;
    for (; trial < MIN_TRIALS || System.nanoTime() < deadline; trial++) {
      Victim victim = Victim.values()[trial % 2];
      // Each operation in turn; as there are 7, each is tried with both victims every 14 trials.
      Op op = choose(Op.values()[trial % Op.values().length]);
      String[] command = command(op);
      String when = "trial " + trial + " (" + victim + " killed in " + String.join(" ", command) + ", seed " + seed + ")";
      Outcome full = whole.get(op);
      int change = random.nextInt(full.changes() + 1);
      long killAt = change > 0 ? change : -1 - random.nextLong(full.millis() * 6 / 5 + 1);
      if (runKilling(victim, command, killAt, random).kills() > 0) {
        killed.merge(victim + " " + op, 1, Integer::sum);
      }
      if (victim == Victim.ENGINE) {
        engine.ok("ps", "-a"); // the repair, by the engine users' next command goes to
      } else {
        assertThat(j("ps", "-a").code()).as(when).isZero();
      }
      checkState(when);
    }
    System.out.printf("NetworkCrashTest: %d trials, killed %s, whole runs %s%n", trial, killed, whole);
    assertThat(killed.values().stream().mapToInt(Integer::intValue).sum()).as("commands killed")
        .isGreaterThanOrEqualTo(trial / 3);
    assertThat(killed.keySet().stream().filter(k -> k.startsWith(Victim.COMMAND.name()))).as("jocker processes killed")
        .isNotEmpty();

    for (String id : engine.ok("ps", "-aq", "--no-trunc").out().lines().toList()) {
      engine.ok("rm", "-f", id);
    }
    for (String network : networkNames()) {
      engine.ok("network", "rm", network);
    }
    checkState("after removing all");
    assertThat(jocker.aardvarks()).isEmpty();
    assertThat(links()).noneMatch(l -> l.startsWith("veth") || l.startsWith("br-"));
  }

  /** Each command once, unkilled, through the engine: its changes and duration. */
  private Map<Op, Outcome> calibrate() throws Exception {
    Map<Op, Outcome> whole = new EnumMap<>(Op.class);
    String name = nextName();
    whole.put(Op.RUN, runKilling(Victim.ENGINE, run(name), 0, new Random()));
    whole.put(Op.CONNECT, runKilling(Victim.ENGINE, new String[] {"network", "connect", SECOND, name}, 0, new Random()));
    whole.put(Op.DISCONNECT, runKilling(Victim.ENGINE, new String[] {"network", "disconnect", SECOND, name}, 0,
        new Random()));
    whole.put(Op.STOP, runKilling(Victim.ENGINE, new String[] {"stop", name}, 0, new Random()));
    whole.put(Op.START, runKilling(Victim.ENGINE, new String[] {"start", name}, 0, new Random()));
    whole.put(Op.RM, runKilling(Victim.ENGINE, new String[] {"rm", "-f", name}, 0, new Random()));
    whole.put(Op.NETWORK_RM, runKilling(Victim.ENGINE, new String[] {"network", "rm", spareNetwork()}, 0,
        new Random()));
    return whole;
  }

  /**
   * The operation, or one that fits the containers there are. Those that need a running container
   * get one (started unkilled), as killed starts leave most containers stopped.
   */
  private Op choose(Op op) throws IOException {
    Map<String, Container> all = containers();
    if (all.isEmpty() && op != Op.NETWORK_RM) {
      return Op.RUN;
    }
    List<Container> running = all.values().stream().filter(Container::running).toList();
    if (running.isEmpty() && EnumSet.of(Op.STOP, Op.CONNECT, Op.DISCONNECT).contains(op)) {
      engine.ok("start", all.values().iterator().next().id());
      running = containers().values().stream().filter(Container::running).toList();
    }
    return switch (op) {
      case RUN -> all.size() >= MAX_CONTAINERS ? Op.RM : op;
      case START -> running.size() == all.size() ? Op.STOP : op;
      case CONNECT -> running.stream().allMatch(c -> c.networks().contains(SECOND)) ? Op.DISCONNECT : op;
      case DISCONNECT -> running.stream().noneMatch(c -> c.networks().contains(SECOND)) ? Op.CONNECT : op;
      default -> op;
    };
  }

  /** The trial's command, on a container it fits (what it needs made first: a network to remove). */
  private String[] command(Op op) throws IOException {
    List<Container> all = new ArrayList<>(containers().values());
    java.util.Collections.shuffle(all);
    return switch (op) {
      case RUN -> run(nextName());
      case STOP -> new String[] {"stop", all.stream().filter(Container::running).findFirst().orElseThrow().id()};
      case START -> new String[] {"start", all.stream().filter(c -> !c.running()).findFirst().orElseThrow().id()};
      case RM -> new String[] {"rm", "-f", all.getFirst().id()};
      case CONNECT -> new String[] {"network", "connect", "--alias", "b-" + names, SECOND,
          runningOne(all.stream().filter(c -> !c.networks().contains(SECOND)))};
      case DISCONNECT -> new String[] {"network", "disconnect", SECOND,
          runningOne(all.stream().filter(c -> c.networks().contains(SECOND)))};
      case NETWORK_RM -> new String[] {"network", "rm", spareNetwork()};
    };
  }

  /** A running container's id (the operation was chosen so that there is one). */
  private static String runningOne(Stream<Container> candidates) {
    return candidates.filter(Container::running).findFirst().orElseThrow().id();
  }

  /** A network with a bridge and rules (a container ran on it) and no container. */
  private String spareNetwork() {
    String name = "spare" + names++;
    engine.ok("network", "create", name);
    engine.ok("run", "--rm", "--network", name, "--network-alias", "gone", "busybox", "true");
    return name;
  }

  private String[] run(String name) {
    int port = FIRST_PORT + Integer.parseInt(name.substring("crash".length()));
    return Stream.concat(Stream.of("run", "-d", "--name", name, "--network", FIRST, "--network-alias", "a-" + name,
        "-p", "127.0.0.1:" + port + ":80"), Stream.of(SERVE)).toArray(String[]::new);
  }

  private String nextName() {
    return "crash" + names++;
  }

  /** What a run did: changes of the state seen, whether it was killed, time taken. */
  private record Outcome(int changes, int kills, long millis) {}

  /**
   * Runs the command (a jocker process, or the native client through the engine) and watches the
   * state: the victim is killed with SIGKILL a random 0-2 ms after the killAt-th change, or, if
   * killAt is negative, -1 - killAt ms after the first change (0: never), unless the command ended.
   * A killed engine is started again before this returns.
   */
  private Outcome runKilling(Victim victim, String[] command, long killAt, Random random) throws Exception {
    Process process = victim == Victim.COMMAND
        ? jocker.processIn(inNamespace(), command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD).start()
        : engine.client(Map.of(), List.of(command)).start();
    long start = System.nanoTime();
    long firstChange = 0;
    String last = snapshot();
    int changes = 0;
    int kills = 0;
    while (process.isAlive()) {
      assertThat(System.nanoTime() - start).as("%s still running", List.of(command)).isLessThan(120_000_000_000L);
      String now = snapshot();
      boolean changed = !now.equals(last);
      if (changed) {
        changes++;
        last = now;
        firstChange = firstChange == 0 ? System.nanoTime() : firstChange;
      }
      boolean due = killAt > 0 ? changed && killAt == changes
          : killAt < 0 && firstChange != 0 && (System.nanoTime() - firstChange) / 1_000_000 >= -1 - killAt;
      if (due) {
        LockSupport.parkNanos(random.nextLong(2_000_000));
        if (victim == Victim.COMMAND) {
          process.destroyForcibly(); // nsenter and the wrapper exec'd java: the jocker process
        } else {
          engine.kill();
        }
        kills++;
        killAt = 0;
      }
      LockSupport.parkNanos(1_000_000);
    }
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    long millis = (System.nanoTime() - (firstChange == 0 ? start : firstChange)) / 1_000_000;
    if (victim == Victim.ENGINE && kills > 0) {
      engine.start();
    }
    // The exit command of a stopped container tears its network down in a process of its own.
    awaitNoCleanup();
    return new Outcome(changes, kills, millis);
  }

  /** What the commands change, as text: the network's files, containers and runtime state, links, mounts. */
  private String snapshot() throws IOException {
    Path root = jocker.root();
    StringBuilder s = new StringBuilder();
    Path network = root.resolve("network");
    if (Files.isDirectory(network)) {
      try (Stream<Path> files = Files.walk(network)) {
        files.forEach(f -> {
          try {
            s.append(network.relativize(f)).append(Files.isRegularFile(f) ? ":" + Files.size(f) : "").append(',');
          } catch (IOException gone) {
            s.append(network.relativize(f)).append(",");
          }
        });
      } catch (UncheckedIOException listedWhileRemoved) {
        s.append("changing");
      }
    }
    s.append('|');
    for (String id : children(root.resolve("containers"))) {
      Path record = root.resolve("containers/" + id + "/container.json");
      s.append(id, 0, 12).append(Files.exists(record) ? record.toFile().lastModified() : 0).append(',');
    }
    s.append('|');
    for (String id : children(root.resolve("run"))) {
      s.append(id, 0, 12).append(children(root.resolve("run/" + id), n -> true)).append(',');
    }
    s.append('|');
    s.append(links()).append('|').append(jocker.mountsLeft());
    return s.toString();
  }

  // --- the invariants -------------------------------------------------------------------------

  /** A container as its record and inspect say: running or not, the networks it is connected to. */
  private record Container(String id, String name, boolean running, Set<String> networks) {}

  /** An endpoint as its file says. */
  private record Endpoint(String containerId, String network, String networkId, String ifname, String ip,
      String containerName, List<String> aliases, boolean published) {
    String hostInterface() {
      return ifname.equals("eth0") ? "veth" + containerId.substring(0, 11)
          : "veth" + containerId.substring(0, 8) + "-" + ifname.substring(3);
    }

    String aardvarkLine() {
      List<String> dnsNames = new ArrayList<>();
      dnsNames.add(containerName);
      dnsNames.addAll(aliases);
      dnsNames.add(containerId.substring(0, 12));
      return containerId + " " + ip + "  " + String.join(",", dnsNames).toLowerCase(Locale.ROOT);
    }
  }

  private void checkState(String when) throws Exception {
    Map<String, Container> containers = containers();
    Map<String, Container> running = new LinkedHashMap<>();
    containers.values().stream().filter(Container::running).forEach(c -> running.put(c.id(), c));
    List<Endpoint> endpoints = endpoints();

    // Endpoints: exactly one, complete, per running container and network.
    Set<String> expected = new TreeSet<>();
    running.values().forEach(c -> c.networks().forEach(n -> expected.add(c.id() + " " + n)));
    assertThat(endpoints.stream().map(e -> e.containerId() + " " + e.network()).toList()).as("%s: endpoints", when)
        .doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);
    assertThat(endpoints).as("%s: endpoints set up", when).allMatch(e -> e.ip() != null);

    // Links: a veth per endpoint (the kernel deletes those of a namespace unmounted a moment ago
    // asynchronously, so a few may linger briefly), a bridge per network that exists.
    Set<String> veths = endpoints.stream().map(Endpoint::hostInterface).collect(Collectors.toSet());
    long lingering = System.nanoTime() + 5_000_000_000L;
    while (!veths(links()).equals(veths) && System.nanoTime() < lingering) {
      Thread.sleep(20);
    }
    List<String> links = links();
    assertThat(veths(links)).as("%s: veths", when).isEqualTo(veths);
    Map<String, String> networkIds = networkIds();
    Set<String> shortIds = networkIds.values().stream().map(id -> id.substring(0, 12)).collect(Collectors.toSet());
    assertThat(links.stream().filter(l -> l.startsWith("br-")).map(l -> l.substring(3))).as("%s: bridges", when)
        .allMatch(shortIds::contains);

    // Addresses: the files of ipam/ are the endpoints' addresses, none twice.
    Set<String> held = new TreeSet<>();
    for (String network : children(jocker.root().resolve("network/ipam"), n -> true)) {
      for (String ip : children(jocker.root().resolve("network/ipam/" + network), n -> IPV4.matcher(n).matches())) {
        String holder = Files.readString(jocker.root().resolve("network/ipam/" + network + "/" + ip)).split("\r?\n")[0];
        held.add(network + " " + ip + " " + holder.strip());
      }
    }
    assertThat(held).as("%s: addresses held", when).containsExactlyInAnyOrderElementsOf(
        endpoints.stream().map(e -> e.network() + " " + e.ip() + " " + e.containerId()).toList());

    // Rules: DNAT only to running containers' published addresses; chains only of networks that exist.
    String rules = netnsTool("iptables-save");
    Set<String> published = endpoints.stream().filter(e -> e.published() && e.ifname().equals("eth0"))
        .map(Endpoint::ip).collect(Collectors.toSet());
    Matcher dnat = Pattern.compile("--to-destination (\\d+\\.\\d+\\.\\d+\\.\\d+)").matcher(rules);
    while (dnat.find()) {
      assertThat(published).as("%s: DNAT to %s", when, dnat.group(1)).contains(dnat.group(1));
    }
    Matcher owner = Pattern.compile("id: \\\\?\"([0-9a-f]{64})\\\\?\"").matcher(rules);
    while (owner.find()) {
      assertThat(running).as("%s: a rule of container %s", when, owner.group(1)).containsKey(owner.group(1));
    }
    Matcher chain = Pattern.compile("(?:JOCKER-(?:FWD|NAT)-|br-)([0-9a-f]{12})").matcher(rules);
    while (chain.find()) {
      assertThat(shortIds).as("%s: a rule of network %s", when, chain.group(1)).contains(chain.group(1));
    }

    // Names: aardvark's files list the running containers' names, and it runs iff there is one.
    Map<String, Set<String>> wantedNames = new TreeMap<>();
    for (Endpoint e : endpoints) {
      wantedNames.computeIfAbsent(e.networkId(), id -> new TreeSet<>()).add(e.aardvarkLine());
    }
    Map<String, Set<String>> names = new TreeMap<>();
    Path aardvark = jocker.root().resolve("network/aardvark-dns");
    for (String file : children(aardvark, n -> !n.equals("aardvark.pid"))) {
      names.put(file, new TreeSet<>(Files.readAllLines(aardvark.resolve(file)).stream().skip(1).toList()));
    }
    assertThat(names).as("%s: aardvark-dns's names", when).isEqualTo(wantedNames);
    assertThat(jocker.aardvarks()).as("%s: aardvark-dns running", when).hasSize(wantedNames.isEmpty() ? 0 : 1);

    // Namespaces: only of running containers.
    assertThat(children(jocker.root().resolve("network/netns"), n -> true)).as("%s: namespace files", when)
        .isSubsetOf(running.keySet());
    for (String mount : jocker.mountsLeft()) {
      String prefix = jocker.root() + "/network/netns/";
      if (mount.startsWith(prefix)) {
        assertThat(running).as("%s: namespace mount %s", when, mount).containsKey(mount.substring(prefix.length()));
      }
    }
    checkTraffic(when, endpoints);
  }

  /**
   * Each running container answers at each of its addresses (wget from a container on that
   * network: the answer names the container, so an address held twice would show) and at its
   * published port from the namespace's loopback.
   */
  private void checkTraffic(String when, List<Endpoint> endpoints) throws Exception {
    for (Endpoint e : endpoints) {
      if (e.published() && e.ifname().equals("eth0")) {
        String port = "127.0.0.1:" + (FIRST_PORT + Integer.parseInt(e.containerName().substring("crash".length())));
        String fetched = netnsTool("curl", "-s", "-m", "5", "--retry", "5", "--retry-connrefused", "--retry-delay", "1",
            "http://" + port + "/index.html");
        assertThat(fetched).as("%s: published port %s", when, port)
            .isEqualTo("hello-from-" + e.containerId().substring(0, 12) + "\n");
      }
    }
    Map<String, List<Endpoint>> byNetwork = new TreeMap<>();
    endpoints.forEach(e -> byNetwork.computeIfAbsent(e.network(), n -> new ArrayList<>()).add(e));
    for (List<Endpoint> on : byNetwork.values()) {
      StringBuilder script = new StringBuilder();
      StringBuilder wanted = new StringBuilder();
      for (Endpoint e : on) {
        // timeout, not wget's -T: Debian 12's busybox-static wget crashes (SIGSEGV) on -T
        script.append("for i in $(seq 50); do timeout 2 wget -qO- http://").append(e.ip())
            .append("/index.html && break; sleep 0.1; done; ");
        wanted.append("hello-from-").append(e.containerId(), 0, 12).append('\n');
      }
      Jocker.Result r = engine.run("exec", on.getFirst().containerId(), "sh", "-c", script.toString());
      if (!r.out().equals(wanted.toString())) { // what the container looks like, for the report
        r = new Jocker.Result(r.code(), r.out(), r.err().lines().distinct().collect(Collectors.joining("\n"))
            + " | " + engine.run("exec", on.getFirst().containerId(), "sh", "-c",
                "ip -o link; ip -o -4 addr; ip route; ls -l /proc/1/ns/net /proc/self/ns/net;"
                    + " wget -O- http://127.0.0.1/index.html; echo wget=$?; " + script)
            + " | host side: " + netnsTool("ip", "-o", "link") + netnsTool("ip", "route"));
      }
      assertThat(r.out()).as("%s: answers on %s (%s)", when, on.getFirst().network(), r.err())
          .isEqualTo(wanted.toString());
    }
  }

  /**
   * The containers with a record, with their records' networks: read without `ps`, which would
   * repair what the trial's repair left.
   */
  private Map<String, Container> containers() throws IOException {
    Map<String, Container> all = new LinkedHashMap<>();
    Path dir = jocker.root().resolve("containers");
    List<String> ids = children(dir).stream().filter(id -> Files.exists(dir.resolve(id + "/container.json"))).toList();
    if (ids.isEmpty()) {
      return all;
    }
    List<String> args = new ArrayList<>(List.of("inspect", "-f", "{{.Id}} {{.Name}} {{.State.Running}}"));
    args.addAll(ids);
    for (String line : engine.ok(args.toArray(String[]::new)).out().lines().toList()) {
      String[] f = line.split(" ");
      JsonNode record = JSON.readTree(jocker.root().resolve("containers/" + f[0] + "/container.json").toFile());
      Set<String> networks = new TreeSet<>();
      record.path("networks").fieldNames().forEachRemaining(networks::add);
      all.put(f[0], new Container(f[0], f[1].substring(1), f[2].equals("true"), networks));
    }
    return all;
  }

  private List<Endpoint> endpoints() throws IOException {
    List<Endpoint> all = new ArrayList<>();
    Path dir = jocker.root().resolve("network/endpoints");
    for (String file : children(dir, n -> n.endsWith(".json") && !n.startsWith("."))) {
      JsonNode e = JSON.readTree(dir.resolve(file).toFile());
      JsonNode ips = e.path("cniResult").path("ips");
      String ip = ips.isArray() && !ips.isEmpty() ? ips.get(0).path("address").asText().split("/")[0] : null;
      List<String> aliases = new ArrayList<>();
      e.path("config").path("aliases").forEach(a -> aliases.add(a.asText()));
      all.add(new Endpoint(e.path("containerId").asText(), e.path("network").path("name").asText(),
          e.path("network").path("id").asText(), e.path("ifname").asText("eth0"), ip,
          e.path("containerName").asText(), aliases, !e.path("ports").isEmpty()));
    }
    return all;
  }

  /** name → id of the user-defined networks. */
  private Map<String, String> networkIds() throws IOException {
    Map<String, String> ids = new TreeMap<>();
    Path dir = jocker.root().resolve("network/networks");
    for (String file : children(dir, n -> n.endsWith(".json") && !n.startsWith("."))) {
      JsonNode n = JSON.readTree(dir.resolve(file).toFile());
      ids.put(n.path("name").asText(), n.path("id").asText());
    }
    return ids;
  }

  private List<String> networkNames() throws IOException {
    return List.copyOf(networkIds().keySet());
  }

  private static Set<String> veths(List<String> links) {
    return links.stream().filter(l -> l.startsWith("veth")).collect(Collectors.toCollection(TreeSet::new));
  }

  /** The namespace's links, from the watcher's /proc/PID/net/dev. */
  private List<String> links() throws IOException {
    return Files.readAllLines(Path.of("/proc/" + watcher.pid() + "/net/dev")).stream().skip(2)
        .map(l -> l.substring(0, l.indexOf(':')).strip()).sorted().toList();
  }

  private void awaitNoCleanup() throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (!jocker.cleanups().isEmpty()) {
      assertThat(System.nanoTime()).as("exit commands still running").isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  private static List<String> children(Path dir) {
    return children(dir, n -> n.matches("[0-9a-f]{64}"));
  }

  private static List<String> children(Path dir, Predicate<String> keep) {
    return Jocker.children(dir).stream().filter(keep).toList();
  }

  private List<String> inNamespace() {
    return List.of("nsenter", "--net=/run/netns/" + netns);
  }

  /** A jocker process (no engine) in the test's namespace. */
  private Jocker.Result j(String... args) {
    return jocker.execIn(inNamespace(), args);
  }

  /** A tool run in the test's namespace, asserting it succeeds; its stdout. */
  private String netnsTool(String... command) {
    return tool(Stream.concat(Stream.of("ip", "netns", "exec", netns), Stream.of(command)).toArray(String[]::new));
  }

  private String tool(String... command) {
    return Jocker.tool(tmp, command);
  }

  /** Whatever happened, nothing of this test's containers, networks or namespace may outlive it. */
  @AfterEach
  void removeEverything() throws Exception {
    if (jocker == null) {
      return;
    }
    try {
      for (String id : j("ps", "-aq", "--no-trunc").out().lines().toList()) {
        j("rm", "-f", id);
      }
      awaitNoCleanup();
    } finally {
      if (engine != null) {
        engine.close();
      }
      jocker.aardvarks().forEach(ProcessHandle::destroyForcibly);
      if (watcher != null) {
        watcher.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      new ProcessBuilder("ip", "netns", "del", netns).start().waitFor(30, TimeUnit.SECONDS);
      List<String> mounts = new ArrayList<>(jocker.mountsLeft());
      for (String mount : mounts.reversed()) {
        new ProcessBuilder("umount", "-l", mount).start().waitFor();
      }
      assertThat(mounts).as("mounts left at the end").isEmpty();
    }
    assertThat(Jocker.hostLinks()).as("the host's interfaces").isEqualTo(hostLinksBefore);
  }
}
