package dev.profileops.recorder.cluster;

import dev.profileops.api.SpoApi;
import dev.profileops.api.common.ProfileSpec;
import dev.profileops.api.recording.MergeStrategy;
import dev.profileops.api.recording.ProfileRecording;
import dev.profileops.recorder.RecordedKind;
import dev.profileops.recorder.RecordingMetadata;
import dev.profileops.recorder.merge.MergeResult;
import dev.profileops.recorder.merge.PartialProfileMerger;
import dev.profileops.recorder.merge.ReplicaProfile;
import dev.profileops.recorder.merge.RuleCoverage;
import dev.profileops.recorder.publish.PublishRequest;
import dev.profileops.recorder.publish.PublishResult;
import dev.profileops.recorder.publish.RecordingPublisher;
import dev.profileops.recorder.seccomp.SeccompRecordedKind;
import dev.profileops.recorder.seccomp.SyscallCoverageAnnotation;
import dev.profileops.recorder.selinux.SelinuxRecordedKind;
import dev.profileops.syncer.forge.ForgeException;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recorder's side of a ProfileRecording in the cluster: takes the SeccompProfiles and SelinuxProfiles
 * the node daemons recorded for it and hands them to people as a pull request ({@link PublishTarget}), or, for
 * a recording that names no target, leaves them in the cluster as SPO does.
 *
 * <ul>
 *   <li>{@code mergeStrategy: None}: each replica's profile is proposed as soon as a node publishes
 *       it (its container exited), all replicas of one container on one branch.
 *   <li>{@code mergeStrategy: Containers}: the nodes publish partial profiles; when the recording is
 *       deleted, and once every node has published (their finalizers are gone), the partials of each
 *       container are merged into one profile (a seccomp one with the syscall-coverage annotation), proposed (or created
 *       in the cluster), and the partials deleted.
 * </ul>
 */
public final class RecordingPublishReconciler implements Reconciler<ProfileRecording>, Cleaner<ProfileRecording> {
  public static final String FINALIZER = "recorder.profileops.dev/merged";
  /** Marks a recorded profile as proposed: {@code <branch>@<commit>}. */
  public static final String ANNOTATION_PUBLISHED = SpoApi.PROFILEOPS_DOMAIN + "/published";
  static final Duration WAIT_FOR_NODES = Duration.ofSeconds(1);

  /** The kinds a node records and this reconciler publishes. */
  static final List<RecordedKind<?>> KINDS = List.of(SeccompRecordedKind.INSTANCE, SelinuxRecordedKind.INSTANCE);

  private static final Logger log = LoggerFactory.getLogger(RecordingPublishReconciler.class);

  private final KubernetesClient client;
  private final RecordingPublisher publisher;

  private final PartialProfileMerger merger = new PartialProfileMerger();

  public RecordingPublishReconciler(KubernetesClient client, RecordingPublisher publisher) {
    this.client = client;
    this.publisher = publisher;
  }

  @Override
  public List<EventSource<?, ProfileRecording>> prepareEventSources(EventSourceContext<ProfileRecording> context) {
    return KINDS.stream().<EventSource<?, ProfileRecording>>map(kind -> recordedProfiles(kind, context)).toList();
  }

  private static <P extends CustomResource<? extends ProfileSpec, ?>> InformerEventSource<P, ProfileRecording> recordedProfiles(
      RecordedKind<P> kind, EventSourceContext<ProfileRecording> context) {
    var configuration = InformerEventSourceConfiguration.from(kind.type(), ProfileRecording.class)
        .withName("recorded-" + kind.kind())
        .withLabelSelector(RecordingMetadata.LABEL_RECORDING_ID)
        .withSecondaryToPrimaryMapper(profile -> recordingOf(profile).map(Set::of).orElse(Set.of()))
        .build();
    return new InformerEventSource<>(configuration, context);
  }

  @Override
  public UpdateControl<ProfileRecording> reconcile(ProfileRecording recording, Context<ProfileRecording> context)
      throws ForgeException {
    if (recording.getSpec() == null || recording.getSpec().getMergeStrategy() == MergeStrategy.Containers) {
      return UpdateControl.noUpdate();
    }
    Optional<PublishTarget> target = PublishTarget.of(client, recording);
    if (target.isEmpty()) {
      return UpdateControl.noUpdate();
    }
    try (PublishTarget publishTo = target.get()) {
      for (RecordedKind<?> kind : KINDS) {
        proposeEachReplica(kind, recording, publishTo, context);
      }
    }
    return UpdateControl.noUpdate();
  }

  /** {@code mergeStrategy: None}: every replica of a container on its branch, so the branch holds the whole recording. */
  private <P extends CustomResource<? extends ProfileSpec, ?>> void proposeEachReplica(RecordedKind<P> kind,
      ProfileRecording recording, PublishTarget target, Context<ProfileRecording> context) throws ForgeException {
    Map<String, List<P>> byContainer = recordedProfiles(kind, recording, context).stream()
        .filter(p -> !SpoApi.isPartial(p))
        .collect(Collectors.groupingBy(RecordingPublishReconciler::container, TreeMap::new, Collectors.toList()));
    for (var container : byContainer.entrySet()) {
      if (container.getValue().stream().allMatch(RecordingPublishReconciler::isPublished)) {
        continue;
      }
      PublishResult result = publisher.publish(request(kind, recording, container.getKey(), target, container.getValue(),
          container.getValue(), Optional.empty()));
      container.getValue().forEach(p -> markPublished(kind, p, result));
    }
  }

  @Override
  public DeleteControl cleanup(ProfileRecording recording, Context<ProfileRecording> context) throws ForgeException {
    List<String> nodesStill = recording.getMetadata().getFinalizers().stream()
        .filter(RecordingMetadata::isNodeFinalizer).toList();
    if (!nodesStill.isEmpty()) {
      log.debug("Recording {} waits for nodes to publish: {}", recording.getMetadata().getName(), nodesStill);
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(WAIT_FOR_NODES);
    }
    if (recording.getSpec() == null || recording.getSpec().getMergeStrategy() != MergeStrategy.Containers) {
      return DeleteControl.defaultDelete();
    }
    Optional<PublishTarget> target = PublishTarget.of(client, recording);
    try {
      for (RecordedKind<?> kind : KINDS) {
        mergePartials(kind, recording, target, context);
      }
    } finally {
      target.ifPresent(PublishTarget::close);
    }
    return DeleteControl.defaultDelete();
  }

  /**
   * {@code mergeStrategy: Containers}: the partials of each container merged into one profile, proposed
   * (or created in the cluster when no repository is named), then deleted.
   */
  private <P extends CustomResource<? extends ProfileSpec, ?>> void mergePartials(RecordedKind<P> kind,
      ProfileRecording recording, Optional<PublishTarget> target, Context<ProfileRecording> context) throws ForgeException {
    Map<String, List<P>> partials = recordedProfiles(kind, recording, context).stream()
        .filter(SpoApi::isPartial)
        .collect(Collectors.groupingBy(RecordingPublishReconciler::container, TreeMap::new, Collectors.toList()));
    for (var container : partials.entrySet()) {
      List<ReplicaProfile<P>> replicas = container.getValue().stream()
          .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
          .map(p -> new ReplicaProfile<>(replica(p), annotation(p, RecordingMetadata.ANNOTATION_NODE), p))
          .toList();
      MergeResult<P> merged = merger.merge(kind, recording.getMetadata().getName(), container.getKey(), replicas,
          MergeStrategy.Containers);
      if (target.isPresent()) {
        PublishResult result = publisher.publish(request(kind, recording, container.getKey(), target.get(), merged.profiles(),
            container.getValue(), merged.coverage()));
        log.info("Recording {}: container {} merged from {} replicas and proposed on {}", recording.getMetadata().getName(),
            container.getKey(), replicas.size(), result.branch());
      } else {
        merged.profiles().forEach(p -> client.resource(p).createOr(NonDeletingOperation::update));
        log.info("Recording {}: container {} merged from {} replicas into {} {}", recording.getMetadata().getName(),
            container.getKey(), replicas.size(), kind.kind(), merged.profiles().get(0).getMetadata().getName());
      }
      container.getValue().forEach(p -> client.resource(p).delete());
    }
  }

  private <P extends CustomResource<? extends ProfileSpec, ?>> PublishRequest request(RecordedKind<P> kind,
      ProfileRecording recording, String container, PublishTarget target, List<P> profiles, List<P> replicas,
      Optional<RuleCoverage> coverage) {
    var builder = PublishRequest.builder(target.repositoryUrl(), recording.getMetadata().getName(), container)
        .defaultBranch(target.defaultBranch())
        .transport(target.transport())
        .profiles(kind, profiles.stream().map(p -> forGit(kind, p)).toList())
        .replicas(replicas.stream().map(RecordingPublishReconciler::replica).sorted().toList())
        .nodes(replicas.stream().map(p -> annotation(p, RecordingMetadata.ANNOTATION_NODE)).filter(Objects::nonNull)
            .distinct().sorted().toList());
    target.pullRequest().ifPresent(builder::pullRequest);
    coverage.ifPresent(builder::coverage);
    Optional<Instant> start = replicas.stream().map(p -> instant(p, RecordingMetadata.ANNOTATION_STARTED))
        .flatMap(Optional::stream).min(Comparator.naturalOrder());
    Optional<Instant> end = replicas.stream().map(p -> instant(p, RecordingMetadata.ANNOTATION_ENDED))
        .flatMap(Optional::stream).max(Comparator.naturalOrder());
    if (start.isPresent() && end.isPresent()) {
      builder.window(start.get(), end.get());
    }
    return builder.build();
  }

  /** What goes into the repository: name, the recording's labels and the coverage; no cluster bookkeeping. */
  private static <P extends CustomResource<? extends ProfileSpec, ?>> P forGit(RecordedKind<P> kind, P recorded) {
    P profile = kind.withSpecOf(recorded);
    profile.getMetadata().setName(recorded.getMetadata().getName());
    Map<String, String> labels = new TreeMap<>(Objects.requireNonNullElse(recorded.getMetadata().getLabels(), Map.of()));
    labels.remove(SpoApi.LABEL_PARTIAL);
    profile.getMetadata().setLabels(labels);
    String coverage = annotation(recorded, SyscallCoverageAnnotation.ANNOTATION);
    if (coverage != null) {
      profile.getMetadata().setAnnotations(Map.of(SyscallCoverageAnnotation.ANNOTATION, coverage));
    }
    return profile;
  }

  private <P extends CustomResource<? extends ProfileSpec, ?>> void markPublished(RecordedKind<P> kind, P profile,
      PublishResult result) {
    String value = result.branch() + "@" + result.commit().orElse("unchanged");
    client.resources(kind.type()).withName(profile.getMetadata().getName())
        .edit(p -> {
          Map<String, String> annotations = new TreeMap<>(Objects.requireNonNullElse(p.getMetadata().getAnnotations(), Map.of()));
          annotations.put(ANNOTATION_PUBLISHED, value);
          p.getMetadata().setAnnotations(annotations);
          return p;
        });
  }

  private static <P extends CustomResource<? extends ProfileSpec, ?>> List<P> recordedProfiles(RecordedKind<P> kind,
      ProfileRecording recording, Context<ProfileRecording> context) {
    ResourceID id = ResourceID.fromResource(recording);
    return context.getSecondaryResources(kind.type()).stream()
        .filter(p -> recordingOf(p).filter(id::equals).isPresent())
        .toList();
  }

  private static String container(HasMetadata profile) {
    return profile.getMetadata().getLabels().get(RecordingMetadata.LABEL_CONTAINER_ID);
  }

  /** The recording a node recorded the profile for. */
  static Optional<ResourceID> recordingOf(HasMetadata profile) {
    String name = profile.getMetadata().getLabels() == null ? null
        : profile.getMetadata().getLabels().get(RecordingMetadata.LABEL_RECORDING_ID);
    String namespace = annotation(profile, RecordingMetadata.ANNOTATION_RECORDING_NAMESPACE);
    return name == null || namespace == null ? Optional.empty() : Optional.of(new ResourceID(name, namespace));
  }

  /** The replica's pod name, from {@code <namespace>/<pod>}; the profile's name where it is missing. */
  private static String replica(HasMetadata profile) {
    String pod = annotation(profile, RecordingMetadata.ANNOTATION_POD);
    return pod == null ? profile.getMetadata().getName() : pod.substring(pod.indexOf('/') + 1);
  }

  private static Optional<Instant> instant(HasMetadata profile, String annotation) {
    try {
      return Optional.ofNullable(annotation(profile, annotation)).map(Instant::parse);
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private static String annotation(HasMetadata profile, String key) {
    Map<String, String> annotations = profile.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(key);
  }

  private static boolean isPublished(HasMetadata profile) {
    return annotation(profile, ANNOTATION_PUBLISHED) != null;
  }
}
