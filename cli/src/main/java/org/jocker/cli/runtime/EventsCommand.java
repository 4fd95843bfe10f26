package org.jocker.cli.runtime;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import org.jocker.runtime.ContainerRuntime;
import org.jocker.runtime.OciRuntimeException;
import org.jocker.runtime.state.ContainerNotFoundException;
import org.jocker.runtime.state.ContainerState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * runc events: one JSON line per event, {"type":"stats","id":ID,"data":{...}} every --interval and
 * {"type":"oom","id":ID} when the OOM killer ends one of the container's processes, until the
 * container is deleted; with --stats, its stats once.
 */
@Command(name = "events", description = "Print a container's stats every --interval and its OOM kills, as JSON lines, until it is deleted.")
final class EventsCommand extends RuntimeVerb {
  /** How often the OOM kill count is read: an OOM shows within this, not at the next interval. */
  private static final long OOM_POLL_MILLIS = 200;
  private static final ObjectMapper JSON = new ObjectMapper();

  @Parameters(index = "0", paramLabel = "ID") String id;
  @Option(names = "--interval", description = "Time between stats events, in Go's syntax (default: ${DEFAULT-VALUE}).")
  String interval = "5s";
  @Option(names = "--stats", description = "Print the container's stats once and exit.") boolean stats;

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Event(String type, String id, RuncStats data) {}

  @Override
  int execute() throws IOException {
    ContainerRuntime rt = runtime();
    ContainerState state = rt.state(id);
    Duration every = every();
    if (state.status() == ContainerState.Status.stopped) {
      throw new OciRuntimeException("container with id " + id + " is not running");
    }
    if (stats) {
      print(new Event("stats", id, RuncStats.of(rt.stats(id))));
      return 0;
    }
    try {
      follow(rt, every.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the caller went away (the engine's session)
    }
    return 0;
  }

  private Duration every() {
    Duration d;
    try {
      d = GoDuration.parse(interval);
    } catch (IllegalArgumentException e) {
      throw new OciRuntimeException("invalid value \"" + interval + "\" for flag -interval: parse error");
    }
    if (d.isNegative() || d.isZero()) {
      throw new OciRuntimeException("duration interval must be greater than 0");
    }
    return d;
  }

  /** Until the container is deleted (its state gone), as runc's ends with the container's cgroup. */
  private void follow(ContainerRuntime rt, long everyMillis) throws IOException, InterruptedException {
    long ooms = rt.oomKillCount(id);
    long nextStats = System.currentTimeMillis() + Math.max(1, everyMillis);
    while (true) {
      Thread.sleep(Math.max(0, Math.min(OOM_POLL_MILLIS, nextStats - System.currentTimeMillis())));
      try {
        long now = rt.oomKillCount(id);
        if (now > ooms) {
          print(new Event("oom", id, null));
        }
        ooms = now;
        if (System.currentTimeMillis() >= nextStats) {
          nextStats += Math.max(1, everyMillis);
          print(new Event("stats", id, RuncStats.of(rt.stats(id))));
        }
      } catch (ContainerNotFoundException e) {
        return;
      } catch (OciRuntimeException e) {
        if (!stillThere(rt)) {
          return;
        }
        parent.error("events", e.getMessage(), e); // as runc: say it, and try again next time
      }
    }
  }

  /** A delete removes the cgroup just before the state: a failure then is the end, not an error. */
  private boolean stillThere(ContainerRuntime rt) throws InterruptedException {
    Thread.sleep(OOM_POLL_MILLIS);
    try {
      rt.state(id);
      return true;
    } catch (ContainerNotFoundException e) {
      return false;
    }
  }

  private static void print(Event e) throws IOException {
    System.out.println(JSON.writeValueAsString(e));
    System.out.flush();
  }
}
