package dev.profileops.syncer.profilesource;

import dev.profileops.api.SpoApi;
import dev.profileops.api.source.ProfileSource;
import dev.profileops.api.source.ProfileSourceStatus;
import dev.profileops.syncer.cluster.ClusterApplier;
import dev.profileops.syncer.cluster.ClusterState;
import dev.profileops.syncer.cluster.ObjectWriter;
import dev.profileops.syncer.schedule.QuartzSyncSchedule;
import dev.profileops.syncer.source.ProfileKinds;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One ProfileSource: sync it now, then every interval on a Quartz schedule ({@link QuartzSyncSchedule}:
 * jittered start, a fire during a running sync is dropped). Scheduled syncs are ordinary JOSDK events,
 * and JOSDK never runs two reconciles of one source at once.
 */
public final class ProfileSourceReconciler implements Reconciler<ProfileSource>, Cleaner<ProfileSource> {
  public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(5);
  public static final String FINALIZER = "profileops.dev/prune";
  /** On every applied object: {@code <namespace>/<name>} of its source, to route cluster changes back to it. */
  public static final String ANNOTATION_SOURCE_REF = "profileops.dev/source-ref";

  private final KubernetesClient client;
  private final SourceSync sync;
  private final SyncMetrics metrics;
  private final SourceEvents events;
  private final CommitStatusPublisher commitStatus;
  private final Clock clock;
  /** Watches on the objects sources applied: the cache to compare with, and drift events. */
  private final List<InformerEventSource<? extends HasMetadata, ProfileSource>> applied = new ArrayList<>();
  private final QuartzSyncSchedule<ProfileSource> schedule = new QuartzSyncSchedule<>();

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

  /**
   * One informer per profile kind on the objects carrying a source label. An object edited or deleted by
   * hand wakes its source, which puts it back; and syncs compare with these caches instead of listing.
   */
  @Override
  public List<EventSource<?, ProfileSource>> prepareEventSources(EventSourceContext<ProfileSource> context) {
    List<EventSource<?, ProfileSource>> sources = new ArrayList<>();
    for (ProfileKinds.KindInfo kind : ProfileKinds.all()) {
      InformerEventSource<? extends HasMetadata, ProfileSource> informer = appliedObjects(kind.type(), context);
      applied.add(informer);
      sources.add(informer);
    }
    sources.add(schedule);
    return sources;
  }

  private static <R extends HasMetadata> InformerEventSource<R, ProfileSource> appliedObjects(Class<R> type,
      EventSourceContext<ProfileSource> context) {
    return new InformerEventSource<>(InformerEventSourceConfiguration.from(type, ProfileSource.class)
        .withName("applied-" + type.getSimpleName())
        .withLabelSelector(SpoApi.LABEL_SOURCE)
        .withSecondaryToPrimaryMapper(ProfileSourceReconciler::owningSource)
        .build(), context);
  }

  private static Set<ResourceID> owningSource(HasMetadata object) {
    Map<String, String> annotations = object.getMetadata().getAnnotations();
    String ref = annotations == null ? null : annotations.get(ANNOTATION_SOURCE_REF);
    int slash = ref == null ? -1 : ref.indexOf('/');
    return slash < 0 ? Set.of() : Set.of(new ResourceID(ref.substring(slash + 1), ref.substring(0, slash)));
  }

  private ClusterState cachedState() {
    return () -> applied.stream().flatMap(informer -> informer.list(o -> true).map(HasMetadata.class::cast));
  }

  /**
   * The revision this controller last applied per source (by uid). The source handed to a reconcile
   * can be a cached copy from before our last status write; what we applied ourselves is never older.
   */
  private final Map<String, String> lastApplied = new ConcurrentHashMap<>();

  private void rememberedLastApplied(ProfileSource source) {
    String remembered = lastApplied.get(source.getMetadata().getUid());
    if (remembered == null) {
      return;
    }
    if (source.getStatus() == null) {
      source.setStatus(new ProfileSourceStatus());
    }
    source.getStatus().setLastAppliedRevision(remembered);
  }

  @Override
  public UpdateControl<ProfileSource> reconcile(ProfileSource source, Context<ProfileSource> context) {
    if (source.getSpec().suspended()) {
      schedule.unschedule(ResourceID.fromResource(source));
      source.setStatus(SourceStatus.suspended(source, clock.instant()));
      return UpdateControl.patchStatus(source);
    }
    Instant start = clock.instant();
    SyncOutcome outcome = sync.sync(source, cachedState());
    Duration took = Duration.between(start, clock.instant());
    metrics.record(SourceIdentity.labelValue(source), took, outcome);
    rememberedLastApplied(source);
    String previous = source.getStatus() == null ? null : source.getStatus().getLastAppliedRevision();
    source.setStatus(SourceStatus.from(source, outcome, clock.instant()));
    if (outcome.succeeded()) {
      lastApplied.put(source.getMetadata().getUid(), outcome.revision());
    }
    report(source, outcome, previous);
    String notReported = commitStatus.publish(source, outcome);
    if (notReported != null) {
      events.record(source, true, "CommitStatusFailed", notReported);
    }
    schedule.schedule(ResourceID.fromResource(source), interval(source)); // keeps the phase if unchanged
    return UpdateControl.patchStatus(source);
  }

  @Override
  public DeleteControl cleanup(ProfileSource source, Context<ProfileSource> context) {
    lastApplied.remove(source.getMetadata().getUid());
    if (source.getSpec().pruneEnabled()) {
      // Deleting the source deletes what it applied, as a Flux Kustomization with prune does.
      new ClusterApplier(client, SourceIdentity.labelValue(source), ObjectWriter.serverSideApply(),
          source.getMetadata().getNamespace(), cachedState()).apply(List.of(), Set.of(), Set.of(), true);
    }
    schedule.unschedule(ResourceID.fromResource(source));
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

  private static String requestedAt(ProfileSource source) {
    Map<String, String> annotations = source.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(ProfileSource.ANNOTATION_REQUESTED_AT);
  }
}
