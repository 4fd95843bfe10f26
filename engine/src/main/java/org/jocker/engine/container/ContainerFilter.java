package org.jocker.engine.container;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jocker.engine.EngineException;
import org.jocker.engine.logs.Since;

/**
 * `ps --filter KEY=VALUE` and `container prune --filter` by Docker's rules: values of one key are
 * ORed, keys are ANDed (except label, whose values must all match). id, name and status match as
 * unanchored regular expressions, as Docker's filters.Args.Match does; exited=CODE only matches
 * containers that ran and exited; before/since name a container and compare creation times;
 * ancestor is an image (reference or ID) or any image built on it (its layers are a prefix).
 * volume is a volume name or a mount path. A status filter lists stopped containers without -a, as
 * in Docker.
 */
public final class ContainerFilter {
  public static final ContainerFilter NONE = new ContainerFilter(Map.of());
  private static final Set<String> PS_KEYS = Set.of("id", "name", "label", "status", "exited", "ancestor", "before",
      "since", "volume");
  private static final Set<String> PRUNE_KEYS = Set.of("label", "label!", "until");
  private static final Set<String> NETWORK_KEYS = Set.of("driver", "id", "label", "name", "scope", "type");
  private static final Set<String> STATUSES = Set.of("created", "restarting", "running", "removing", "paused",
      "exited", "dead");

  /** What a filter looks at in one container. */
  public record Candidate(ContainerRecord record, ContainerView view, Map<String, String> labels,
      List<String> imageLayers) {}

  private final Map<String, Set<String>> values;

  private ContainerFilter(Map<String, Set<String>> values) {
    this.values = values;
  }

  /** `ps`'s filters; a bad one is an invalid argument with Docker's message. */
  public static ContainerFilter forPs(List<String> filters) {
    ContainerFilter f = parse(filters, PS_KEYS);
    for (String s : f.get("status")) {
      if (!STATUSES.contains(s)) {
        throw EngineException.invalidArgument("invalid filter 'status=" + s + "'");
      }
    }
    for (String code : f.get("exited")) {
      try {
        Integer.parseInt(code);
      } catch (NumberFormatException e) {
        throw EngineException.invalidArgument("invalid filter 'exited=" + code + "': strconv.Atoi: parsing \"" + code
            + "\": invalid syntax");
      }
    }
    return f;
  }

  /** `container prune`'s filters: label, label! and until. */
  public static ContainerFilter forPrune(List<String> filters) {
    ContainerFilter f = parse(filters, PRUNE_KEYS);
    f.get("until").forEach(u -> until(u, Instant.now()));
    return f;
  }

  /** `network ls`'s filters (driver, id, label, name, scope, type=custom|builtin), by the same rules. */
  public static ContainerFilter forNetworks(List<String> filters) {
    ContainerFilter f = parse(filters, NETWORK_KEYS);
    for (String t : f.get("type")) {
      if (!t.equals("custom") && !t.equals("builtin")) {
        throw EngineException.invalidArgument("invalid filter: 'type'='" + t + "'");
      }
    }
    return f;
  }

  /** Whether a network passes `network ls`'s filters (its scope is always local). */
  public boolean matchesNetwork(String id, String name, String driver, boolean builtIn, Map<String, String> labels) {
    return regex("id", id) && regex("name", name) && labels("label", labels, true)
        && (!has("driver") || get("driver").contains(driver)) && (!has("scope") || get("scope").contains("local"))
        && (!has("type") || get("type").contains(builtIn ? "builtin" : "custom"));
  }

  private static ContainerFilter parse(List<String> filters, Set<String> keys) {
    Map<String, Set<String>> values = new LinkedHashMap<>();
    for (String filter : filters) {
      int eq = filter.indexOf('=');
      if (eq <= 0) {
        throw EngineException.invalidArgument("invalid argument \"" + filter
            + "\" for \"-f, --filter\" flag: bad format of"
            + " filter (expected name=value)");
      }
      String key = filter.substring(0, eq).strip().toLowerCase(java.util.Locale.ROOT);
      String value = filter.substring(eq + 1);
      values.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(value);
    }
    for (String key : values.keySet()) {
      if (!keys.contains(key)) {
        throw EngineException.invalidArgument("invalid filter '" + key + "'");
      }
    }
    return new ContainerFilter(values);
  }

  public boolean has(String key) {
    return values.containsKey(key);
  }

  public Set<String> get(String key) {
    return values.getOrDefault(key, Set.of());
  }

  /** Whether the filter asks for stopped containers even without -a. */
  public boolean showsStopped() {
    return has("status");
  }

  /**
   * Whether {@code c} passes every key.
   *
   * @param before the creation time of the before= container, or null
   * @param since the creation time of the since= container, or null
   * @param ancestors the layers of each ancestor= image that exists
   */
  public boolean matches(Candidate c, Instant before, Instant since, List<List<String>> ancestors) {
    ContainerView v = c.view();
    if (!regex("id", v.id()) || !regex("name", v.name()) && !regex("name", "/" + v.name())
        || !regex("status", v.state())) {
      return false;
    }
    if (!labels("label", c.labels(), true) || has("label!") && labels("label!", c.labels(), false)) {
      return false;
    }
    if (has("exited") && (!v.state().equals("exited") || !get("exited").contains(Integer.toString(v.exitCode())))) {
      return false;
    }
    Instant created = Instant.parse(v.created());
    if (before != null && !created.isBefore(before) || since != null && !created.isAfter(since)) {
      return false;
    }
    for (String u : get("until")) {
      if (!created.isBefore(until(u, Instant.now()))) {
        return false;
      }
    }
    if (has("ancestor") && ancestors.stream().noneMatch(a -> !a.isEmpty() && c.imageLayers().size() >= a.size()
        && c.imageLayers().subList(0, a.size()).equals(a))) {
      return false;
    }
    if (has("volume")) {
      List<String> names = new ArrayList<>(c.record().volumes());
      for (String bind : c.record().hostConfig().binds()) { // its paths (names are in volumes())
        List.of(bind.split(":")).stream().filter(p -> p.startsWith("/")).forEach(names::add);
      }
      c.record().hostConfig().mounts().forEach(m -> {
        names.add(m.target());
        if (m.source() != null) {
          names.add(m.source());
        }
      });
      if (get("volume").stream().noneMatch(names::contains)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether an object of another kind (a network) created at {@code created} passes prune's
   * label, label! and until keys, by the same rules as a container.
   */
  public boolean matchesForPrune(Map<String, String> labels, Instant created) {
    if (!labels("label", labels, true) || has("label!") && labels("label!", labels, false)) {
      return false;
    }
    return get("until").stream().allMatch(u -> created.isBefore(until(u, Instant.now())));
  }

  /** Docker's Args.Match: true without values for the key, else any value found as a regex in source. */
  private boolean regex(String key, String source) {
    if (!has(key)) {
      return true;
    }
    for (String term : get(key)) {
      if (term.equals(source)) {
        return true;
      }
      try {
        if (Pattern.compile(term).matcher(source).find()) {
          return true;
        }
      } catch (PatternSyntaxException e) {
        // not a regex: only the exact match counts
      }
    }
    return false;
  }

  /**
   * Docker's MatchKVList: every value (key or key=value) is in the labels — or, for label!, whether
   * any is (the container is then excluded).
   */
  private boolean labels(String key, Map<String, String> labels, boolean all) {
    if (!has(key)) {
      return true;
    }
    for (String term : get(key)) {
      int eq = term.indexOf('=');
      String k = eq < 0 ? term : term.substring(0, eq);
      boolean found = labels.containsKey(k) && (eq < 0 || labels.get(k).equals(term.substring(eq + 1)));
      if (all && !found) {
        return false;
      }
      if (!all && found) {
        return true;
      }
    }
    return all;
  }

  private static Instant until(String value, Instant now) {
    try {
      return Since.parse(value, now);
    } catch (IllegalArgumentException e) {
      throw EngineException.invalidArgument("failed to parse value for until filter: \"" + value + "\"");
    }
  }
}
