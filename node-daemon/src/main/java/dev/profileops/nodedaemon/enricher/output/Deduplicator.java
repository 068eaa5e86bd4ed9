package dev.profileops.nodedaemon.enricher.output;

import dev.profileops.nodedaemon.enricher.parse.AuditEvent;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Passes each distinct (container, syscall or permission) once per window: the first one goes through,
 * repeats within the window are dropped. Processes without a container are told apart by executable.
 * Remembers at most {@code maxKeys} keys; past that it forgets them all (a burst of repeats may pass
 * again, memory stays bounded).
 */
public final class Deduplicator implements EnrichedSink {
  private final EnrichedSink next;
  private final long windowNanos;
  private final LongSupplier nanos;
  private final int maxKeys;
  private final Map<String, Long> lastPassed = new HashMap<>();
  private long dropped;

  public Deduplicator(EnrichedSink next, Duration window, LongSupplier nanos, int maxKeys) {
    this.next = next;
    this.windowNanos = window.toNanos();
    this.nanos = nanos;
    this.maxKeys = maxKeys;
  }

  @Override
  public void accept(EnrichedEvent enriched) throws IOException {
    long now = nanos.getAsLong();
    String key = key(enriched);
    Long last = lastPassed.get(key);
    if (last != null && now - last < windowNanos) {
      dropped++;
      return;
    }
    if (last == null && lastPassed.size() >= maxKeys) {
      lastPassed.values().removeIf(passed -> now - passed >= windowNanos);
      if (lastPassed.size() >= maxKeys) {
        lastPassed.clear();
      }
    }
    lastPassed.put(key, now);
    next.accept(enriched);
  }

  public long dropped() {
    return dropped;
  }

  @Override
  public void flush() throws IOException {
    next.flush();
  }

  private static String key(EnrichedEvent enriched) {
    String who = enriched.containerId() != null ? enriched.containerId() : "exe:" + enriched.event().executable();
    AuditEvent event = enriched.event();
    if (event instanceof AuditEvent.Seccomp seccomp) {
      return who + "\u0000seccomp\u0000" + enriched.syscall() + "\u0000" + seccomp.action();
    } else if (event instanceof AuditEvent.Selinux avc) {
      return who + "\u0000selinux\u0000" + avc.tclass() + "\u0000" + String.join(",", avc.permissions()) + "\u0000" + avc.tcontext();
    }
    AuditEvent.AppArmor apparmor = (AuditEvent.AppArmor) event;
    return who + "\u0000apparmor\u0000" + apparmor.operation() + "\u0000" + apparmor.name() + "\u0000" + apparmor.deniedMask();
  }
}
