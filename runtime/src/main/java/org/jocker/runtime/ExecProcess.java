package org.jocker.runtime;

import java.nio.file.Path;

/** A process started in a running container by exec. */
public record ExecProcess(String containerId, int pid, int monitorPid, long monitorStartTime, Path stateDir) {}
