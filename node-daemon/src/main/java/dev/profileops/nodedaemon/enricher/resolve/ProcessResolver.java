package dev.profileops.nodedaemon.enricher.resolve;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * pid → container id → pod container. Container ids are cached by pid and process start time (a
 * reused pid is another process), at most {@code maxEntries} (least recently used go first) for
 * {@code ttl}; within {@code recheck} of the last look an entry is trusted without reading
 * {@code /proc} again, so a burst of lines of one process costs one lookup (a pid found gone is
 * remembered as gone for that long too). The pod is looked up on
 * every call until found (the informer may not have it yet). Not thread-safe: the reader's thread.
 */
public final class ProcessResolver {
  private static final long GONE = -1;
  private static final int MAX_ANCESTORS = 8;

  private final ProcessTable processes;
  private final ProcessAncestry ancestry;
  private final PodDirectory pods;
  private final LongSupplier nanos;
  private final int maxEntries;
  private final long ttlNanos;
  private final long recheckNanos;
  private final Map<Long, Entry> cache;

  public ProcessResolver(ProcessTable processes, PodDirectory pods, LongSupplier nanos, int maxEntries, Duration ttl, Duration recheck) {
    this(processes, pods, ProcessAncestry.NONE, nanos, maxEntries, ttl, recheck);
  }

  /**
   * With fork events: a process gone before its lookup is taken to be in its nearest known ancestor's
   * container (a process stays in its parent's cgroup unless moved, which runtimes do only to their
   * own helpers).
   */
  public ProcessResolver(ProcessTable processes, PodDirectory pods, ProcessAncestry ancestry, LongSupplier nanos, int maxEntries,
      Duration ttl, Duration recheck) {
    this.ancestry = ancestry;
    this.processes = processes;
    this.pods = pods;
    this.nanos = nanos;
    this.maxEntries = maxEntries;
    this.ttlNanos = ttl.toNanos();
    this.recheckNanos = recheck.toNanos();
    this.cache = new LinkedHashMap<>(Math.min(maxEntries, 1 << 16), 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Long, Entry> eldest) {
        return size() > ProcessResolver.this.maxEntries;
      }
    };
  }

  public static ProcessResolver withDefaults(ProcessTable processes, PodDirectory pods) {
    return withDefaults(processes, pods, ProcessAncestry.NONE);
  }

  public static ProcessResolver withDefaults(ProcessTable processes, PodDirectory pods, ProcessAncestry ancestry) {
    return new ProcessResolver(processes, pods, ancestry, System::nanoTime, 8192, Duration.ofMinutes(1), Duration.ofMillis(500));
  }

  public ProcessResolution resolve(long pid) {
    ProcessResolution resolution = resolveOwn(pid);
    long ancestor = pid;
    for (int depth = 0; resolution.exited() && depth < MAX_ANCESTORS; depth++) {
      ancestor = ancestry.parent(ancestor);
      if (ancestor <= 0) {
        break;
      }
      ProcessResolution parent = resolveOwn(ancestor);
      if (!parent.exited()) {
        return parent.containerId() == null ? ProcessResolution.EXITED : parent;
      }
    }
    return resolution;
  }

  private ProcessResolution resolveOwn(long pid) {
    long now = nanos.getAsLong();
    Entry entry = cache.get(pid);
    if (entry != null && now - entry.resolvedAt > ttlNanos) {
      cache.remove(pid);
      entry = null;
    }
    if (entry != null && entry.startTime == GONE) {
      if (now - entry.checkedAt <= recheckNanos) {
        return ProcessResolution.EXITED;
      }
      cache.remove(pid);
      entry = null;
    }
    if (entry != null && now - entry.checkedAt > recheckNanos) {
      OptionalLong started = processes.startTime(pid);
      if (started.isPresent() && started.getAsLong() == entry.startTime) {
        entry.checkedAt = now;
      } else if (started.isEmpty()) {
        entry.checkedAt = now; // exited since: what it was stays true for its last lines
      } else {
        cache.remove(pid);
        entry = null;
      }
    }
    if (entry == null) {
      OptionalLong started = processes.startTime(pid);
      if (started.isEmpty()) {
        // remembered as gone for the recheck interval: a burst of lines of an exited process costs one look
        cache.put(pid, new Entry(GONE, null, now));
        return ProcessResolution.EXITED;
      }
      String containerId = CgroupContainerId.find(processes.cgroups(pid)).orElse(null);
      entry = new Entry(started.getAsLong(), containerId, now);
      cache.put(pid, entry);
    }
    if (entry.containerId != null && entry.pod == null) {
      Optional<PodContainer> pod = pods.find(entry.containerId);
      pod.ifPresent(found -> cache.get(pid).pod = found);
    }
    return new ProcessResolution(false, entry.containerId, entry.pod);
  }

  /** The pod of a container id, for lines that waited for it. */
  public Optional<PodContainer> pod(String containerId) {
    return pods.find(containerId);
  }

  public int cached() {
    return cache.size();
  }

  private static final class Entry {
    final long startTime;
    final String containerId;
    final long resolvedAt;
    long checkedAt;
    PodContainer pod;

    Entry(long startTime, String containerId, long now) {
      this.startTime = startTime;
      this.containerId = containerId;
      this.resolvedAt = now;
      this.checkedAt = now;
    }
  }
}
