package dev.profileops.syncer.profilesource;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sync metrics per source. Labels stay bounded: the source (one per ProfileSource) and, for errors, a
 * reason from a fixed set; never file names, commits or messages.
 */
public final class SyncMetrics {
  private final MeterRegistry registry;
  private final Map<String, AtomicLong> lastSuccess = new ConcurrentHashMap<>();

  public SyncMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public void record(String source, Duration took, SyncOutcome outcome) {
    Timer.builder("profileops_sync_duration").description("Time to sync one source").tag("source", source)
        .publishPercentileHistogram().register(registry).record(took);
    if (outcome.failure() != null || !outcome.errors().isEmpty()) {
      Counter.builder("profileops_sync_errors").description("Syncs that ended with errors, by reason")
          .tag("source", source).tag("reason", outcome.reason()).register(registry).increment();
    }
    Counter.builder("profileops_sync_objects_applied").tag("source", source).register(registry)
        .increment(outcome.applied().size());
    Counter.builder("profileops_sync_objects_pruned").tag("source", source).register(registry)
        .increment(outcome.pruned().size());
    if (outcome.succeeded()) {
      lastSuccess.computeIfAbsent(source, s -> registry.gauge("profileops_sync_last_success_timestamp_seconds",
          io.micrometer.core.instrument.Tags.of("source", s), new AtomicLong()))
          .set(System.currentTimeMillis() / 1000);
    }
  }
}
