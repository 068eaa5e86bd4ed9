package dev.profileops.syncer.profilesource;

import dev.profileops.api.source.ProfileSource;
import dev.profileops.syncer.cluster.ClusterApplier;
import dev.profileops.syncer.cluster.ObjectWriter;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One ProfileSource: sync it now, then again after its interval (plus jitter, so sources created
 * together do not fetch together). JOSDK never runs two reconciles of one source at once, so an
 * overrunning sync delays the next instead of piling up.
 */
public final class ProfileSourceReconciler implements Reconciler<ProfileSource>, Cleaner<ProfileSource> {
  public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(5);
  public static final String FINALIZER = "profileops.dev/prune";

  private final KubernetesClient client;
  private final SourceSync sync;
  private final SyncMetrics metrics;
  private final SourceEvents events;
  private final CommitStatusPublisher commitStatus;
  private final Clock clock;

  public ProfileSourceReconciler(KubernetesClient client, SourceSync sync, SyncMetrics metrics, Clock clock) {
    this.client = client;
    this.sync = sync;
    this.metrics = metrics;
    this.events = new SourceEvents(client);
    this.commitStatus = new CommitStatusPublisher(client);
    this.clock = clock;
  }

  /**
   * A new generation, a new {@code requestedAt}, finalizers changed (JOSDK adds ours, then waits for
   * that update to reconcile), or deletion. Our own status writes do not loop back.
   */
  public static OnUpdateFilter<ProfileSource> relevantUpdates() {
    return (updated, old) -> !Objects.equals(updated.getMetadata().getGeneration(), old.getMetadata().getGeneration())
        || !Objects.equals(requestedAt(updated), requestedAt(old))
        || !Objects.equals(updated.getMetadata().getFinalizers(), old.getMetadata().getFinalizers())
        || updated.isMarkedForDeletion();
  }

  @Override
  public UpdateControl<ProfileSource> reconcile(ProfileSource source, Context<ProfileSource> context) {
    if (source.getSpec().suspended()) {
      source.setStatus(SourceStatus.suspended(source, clock.instant()));
      return UpdateControl.patchStatus(source);
    }
    Instant start = clock.instant();
    SyncOutcome outcome = sync.sync(source);
    Duration took = Duration.between(start, clock.instant());
    metrics.record(SourceIdentity.labelValue(source), took, outcome);
    String previous = source.getStatus() == null ? null : source.getStatus().getLastAppliedRevision();
    source.setStatus(SourceStatus.from(source, outcome, clock.instant()));
    report(source, outcome, previous);
    String notReported = commitStatus.publish(source, outcome);
    if (notReported != null) {
      events.record(source, true, "CommitStatusFailed", notReported);
    }
    return UpdateControl.patchStatus(source).rescheduleAfter(withJitter(interval(source)));
  }

  @Override
  public DeleteControl cleanup(ProfileSource source, Context<ProfileSource> context) {
    if (source.getSpec().pruneEnabled()) {
      // Deleting the source deletes what it applied, as a Flux Kustomization with prune does.
      new ClusterApplier(client, SourceIdentity.labelValue(source), ObjectWriter.serverSideApply(),
          source.getMetadata().getNamespace()).apply(List.of(), Set.of(), Set.of(), true);
    }
    sync.forget(source);
    return DeleteControl.defaultDelete();
  }

  private void report(ProfileSource source, SyncOutcome outcome, String previousRevision) {
    if (outcome.failure() != null) {
      events.record(source, true, outcome.reason(), outcome.failure());
    } else if (!outcome.errors().isEmpty()) {
      events.record(source, true, outcome.reason(), outcome.errors().size() + " error(s) at " + outcome.revision()
          + "; first: " + outcome.errors().get(0));
    } else if (!Objects.equals(previousRevision, outcome.revision()) || !outcome.pruned().isEmpty()) {
      events.record(source, false, "Applied", "applied " + outcome.applied().size() + " object(s), pruned "
          + outcome.pruned().size() + " at revision " + outcome.revision());
    }
  }

  private static Duration interval(ProfileSource source) {
    try {
      return Durations.parse(source.getSpec().getInterval(), DEFAULT_INTERVAL);
    } catch (IllegalArgumentException e) {
      return DEFAULT_INTERVAL;
    }
  }

  /** Up to 10% later, so many sources with one interval spread out. */
  static Duration withJitter(Duration interval) {
    long jitter = (long) (interval.toMillis() * 0.1 * ThreadLocalRandom.current().nextDouble());
    return interval.plusMillis(jitter);
  }

  private static String requestedAt(ProfileSource source) {
    Map<String, String> annotations = source.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(ProfileSource.ANNOTATION_REQUESTED_AT);
  }
}
