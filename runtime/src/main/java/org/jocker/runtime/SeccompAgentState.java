package org.jocker.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.jocker.runtime.plan.SeccompListener;
import org.jocker.runtime.seccomp.SeccompFilter;
import org.jocker.runtime.seccomp.SeccompFlags;
import org.jocker.runtime.spec.Spec;
import org.jocker.runtime.state.ContainerState.Status;

/**
 * What the seccomp agent of a profile with SCMP_ACT_NOTIFY rules is told with the listener: the
 * container's state as runc sends it (ociVersion, id, status, pid, bundle, annotations), "creating"
 * for the container's init, "running" for a process exec'd into it.
 */
final class SeccompAgentState {
  private SeccompAgentState() {}

  /** For the container's init (whose pid only the monitor knows); null without a listener. */
  static SeccompListener forInit(ObjectMapper json, Spec spec, SeccompFilter filter, String id, String bundle) {
    return listener(json, spec, filter, id, bundle, Status.creating, 0);
  }

  /** For a process exec'd into the container whose init is initPid; null without a listener. */
  static SeccompListener forExec(ObjectMapper json, Spec spec, SeccompFilter filter, String id, String bundle,
      int initPid) {
    return listener(json, spec, filter, id, bundle, Status.running, initPid);
  }

  private static SeccompListener listener(ObjectMapper json, Spec spec, SeccompFilter filter, String id,
      String bundle, Status status, int statePid) {
    if (filter == null || (filter.flags() & SeccompFlags.NEW_LISTENER) == 0) {
      return null;
    }
    Spec.Seccomp profile = spec.linux().seccomp();
    ObjectNode state = json.createObjectNode();
    state.put("ociVersion", spec.ociVersion());
    state.put("id", id);
    state.put("status", status.name());
    state.put("bundle", bundle);
    Map<String, String> annotations = spec.annotations();
    if (annotations != null && !annotations.isEmpty()) {
      state.set("annotations", json.valueToTree(annotations));
    }
    try {
      String text = json.writeValueAsString(state);
      String metadata = profile.listenerMetadata();
      return new SeccompListener(profile.listenerPath(),
          metadata == null || metadata.isEmpty() ? "" : json.writeValueAsString(metadata),
          text.substring(0, text.length() - 1), statePid);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the seccomp agent's state", e);
    }
  }
}
