package org.jocker.runtime.state;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.Map;

/**
 * What the runtime remembers about one container (state.json in its state directory). Written
 * once, at create; everything that changes later (start, exit, pause) is read from the kernel and
 * the monitor's exit file, so a crash can never leave this file lying.
 *
 * @param pidStartTime the init's start time (clock ticks): guards against pid reuse
 * @param monitorStartTime the same for the monitor
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ContainerRecord(
    String id,
    String ociVersion,
    String bundle,
    String rootfs,
    int pid,
    long pidStartTime,
    int monitorPid,
    long monitorStartTime,
    String cgroupsPath,
    String created,
    Map<String, String> annotations) {}
