package dev.profileops.nodedaemon.recording;

import dev.profileops.nodedaemon.enricher.output.EnrichedEvent;
import dev.profileops.nodedaemon.enricher.output.EnrichedSink;
import dev.profileops.nodedaemon.enricher.parse.AuditEvent;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The SELinux accesses (AVC records) the kernel logged for the containers an SELinux log recording
 * follows, fed by the node's log enricher, as {@link LoggedSyscalls} does for seccomp: only tracked
 * container ids are kept, and of their AVCs only those of the recording type
 * ({@link RecordedSelinuxAllow#RECORDING_TYPE}).
 */
public final class LoggedAvcs implements EnrichedSink {
  private final Map<String, RecordedSelinuxAllow> tracked = new ConcurrentHashMap<>();

  /** Starts keeping the AVCs of a container (no-op when it is kept already). */
  public void track(String containerId) {
    tracked.putIfAbsent(containerId, new RecordedSelinuxAllow());
  }

  public boolean tracks(String containerId) {
    return tracked.containsKey(containerId);
  }

  /** Stops keeping a container's AVCs and hands back their allow map (empty when untracked). */
  public Optional<Map<String, Map<String, List<String>>>> take(String containerId) {
    RecordedSelinuxAllow allow = tracked.remove(containerId);
    if (allow == null) {
      return Optional.empty();
    }
    synchronized (allow) {
      return Optional.of(allow.allow());
    }
  }

  @Override
  public void accept(EnrichedEvent enriched) {
    if (enriched.containerId() == null || !(enriched.event() instanceof AuditEvent.Selinux avc)) {
      return;
    }
    RecordedSelinuxAllow allow = tracked.get(enriched.containerId());
    if (allow != null) {
      synchronized (allow) {
        allow.add(avc);
      }
    }
  }
}
