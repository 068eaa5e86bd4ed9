package dev.profileops.nodedaemon.enricher.resolve;

import java.util.List;
import java.util.OptionalLong;

/** What the enricher reads about a process from {@code /proc}; a directory tree in tests. */
public interface ProcessTable {

  /** The process's start time in clock ticks since boot ({@code stat} field 22); empty when it is gone. */
  OptionalLong startTime(long pid);

  /** The lines of {@code /proc/<pid>/cgroup}; empty when the process is gone. */
  List<String> cgroups(long pid);
}
