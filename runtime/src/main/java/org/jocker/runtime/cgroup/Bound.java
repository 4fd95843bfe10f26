package org.jocker.runtime.cgroup;

/** A controller implementation together with the hierarchy it drives. */
record Bound<T>(T impl, Hierarchy hierarchy) {}
