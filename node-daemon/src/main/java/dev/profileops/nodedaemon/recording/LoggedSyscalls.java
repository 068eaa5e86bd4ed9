package dev.profileops.nodedaemon.recording;

import dev.profileops.nodedaemon.enricher.output.EnrichedEvent;
import dev.profileops.nodedaemon.enricher.output.EnrichedSink;
import dev.profileops.nodedaemon.enricher.parse.AuditEvent;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The syscalls the kernel logged (seccomp records) for the containers a log recording follows, fed by
 * the node's log enricher. Only tracked container ids are kept, so memory is bounded by the
 * recordings, not by the log. The enricher's thread adds, the reconcilers' threads track and take.
 */
public final class LoggedSyscalls implements EnrichedSink {
  private final Map<String, Seen> tracked = new ConcurrentHashMap<>();

  /** Starts keeping the logged syscalls of a container (no-op when it is kept already). */
  public void track(String containerId) {
    tracked.putIfAbsent(containerId, new Seen());
  }

  public boolean tracks(String containerId) {
    return tracked.containsKey(containerId);
  }

  /** Stops keeping a container's syscalls and hands back what was logged (empty when untracked). */
  public Optional<Seen> take(String containerId) {
    return Optional.ofNullable(tracked.remove(containerId));
  }

  @Override
  public void accept(EnrichedEvent enriched) {
    if (enriched.containerId() == null || !(enriched.event() instanceof AuditEvent.Seccomp)) {
      return;
    }
    Seen seen = tracked.get(enriched.containerId());
    if (seen != null) {
      seen.add(enriched.arch(), enriched.syscall());
    }
  }

  /** What one container's lines named: syscall names (numbers libseccomp could not name as digits) and the architecture. */
  public static final class Seen {
    private final Set<String> syscalls = new TreeSet<>();
    private String arch = "";

    synchronized void add(String lineArch, String syscall) {
      if (!syscall.isEmpty()) {
        syscalls.add(syscall);
      }
      if (arch.isEmpty()) {
        arch = lineArch;
      }
    }

    public synchronized Set<String> syscalls() {
      return Set.copyOf(syscalls);
    }

    public synchronized String arch() {
      return arch;
    }
  }
}
