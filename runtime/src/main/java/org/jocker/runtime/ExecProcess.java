package org.jocker.runtime;

import java.nio.file.Path;
import org.jocker.runtime.launch.Attachment;

/**
 * A process started in a running container by exec.
 *
 * @param attachment its output and input through the monitor, when it was started with an open
 *     stdin or a terminal kept by the monitor; else null (it uses the descriptors it was given)
 */
public record ExecProcess(String containerId, int pid, int monitorPid, long monitorStartTime, Path stateDir,
    Attachment attachment) {}
