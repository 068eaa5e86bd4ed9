package dev.profileops.nodedaemon.enricher.resolve;

import dev.profileops.host.proc.ProcessForks;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Who forked whom, from the kernel's fork events: a short-lived process (a shell's {@code mkdir})
 * is usually gone before its log line is read, but its parent, still in the container, is not. Keeps
 * the latest {@code maxEntries} forks (a reused pid's newer fork replaces the older).
 */
public final class ProcessAncestry implements ProcessForks.Listener {
  /** Without fork events: no process has a known parent. */
  public static final ProcessAncestry NONE = new ProcessAncestry(0);

  private final int maxEntries;
  private final Map<Long, Long> parents;

  public ProcessAncestry(int maxEntries) {
    this.maxEntries = maxEntries;
    this.parents = new LinkedHashMap<>(Math.min(maxEntries, 1 << 16) + 1, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Long, Long> eldest) {
        return size() > ProcessAncestry.this.maxEntries;
      }
    };
  }

  @Override
  public synchronized void forked(long parentPid, long childPid) {
    if (maxEntries > 0) {
      parents.remove(childPid);
      parents.put(childPid, parentPid);
    }
  }

  /** The parent pid of a process seen forking, or -1. */
  public synchronized long parent(long pid) {
    Long parent = parents.get(pid);
    return parent == null ? -1 : parent;
  }
}
