package dev.profileops.recorder.cluster;

import dev.profileops.api.SpoApi;
import dev.profileops.api.recording.MergeStrategy;
import dev.profileops.api.recording.ProfileRecording;
import dev.profileops.api.seccomp.SeccompProfile;
import dev.profileops.recorder.merge.MergeResult;
import dev.profileops.recorder.merge.PartialProfileMerger;
import dev.profileops.recorder.merge.ReplicaProfile;
import dev.profileops.recorder.merge.SyscallCoverage;
import dev.profileops.recorder.publish.PublishRequest;
import dev.profileops.recorder.publish.PublishResult;
import dev.profileops.recorder.publish.RecordingPublisher;
import dev.profileops.recorder.seccomp.RecordedSeccompProfile;
import dev.profileops.syncer.forge.ForgeException;
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
 * The recorder's side of a ProfileRecording in the cluster: takes the SeccompProfiles the node
 * daemons recorded for it and hands them to people as a pull request ({@link PublishTarget}), or, for
 * a recording that names no target, leaves them in the cluster as SPO does.
 *
 * <ul>
 *   <li>{@code mergeStrategy: None}: each replica's profile is proposed as soon as a node publishes
 *       it (its container exited), all replicas of one container on one branch.
 *   <li>{@code mergeStrategy: Containers}: the nodes publish partial profiles; when the recording is
 *       deleted, and once every node has published (their finalizers are gone), the partials of each
 *       container are merged into one profile with the syscall-coverage annotation, proposed (or created
 *       in the cluster), and the partials deleted.
 * </ul>
 */
public final class RecordingPublishReconciler implements Reconciler<ProfileRecording>, Cleaner<ProfileRecording> {
  public static final String FINALIZER = "recorder.profileops.dev/merged";
  /** Marks a recorded profile as proposed: {@code <branch>@<commit>}. */
  public static final String ANNOTATION_PUBLISHED = SpoApi.PROFILEOPS_DOMAIN + "/published";
  /** The node daemons' finalizers on a recording end with this. */
  static final String NODE_FINALIZER_SUFFIX = ".recording.profileops.dev/published";
  static final Duration WAIT_FOR_NODES = Duration.ofSeconds(1);

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
    var configuration = InformerEventSourceConfiguration.from(SeccompProfile.class, ProfileRecording.class)
        .withName("recorded-profiles")
        .withLabelSelector(RecordedSeccompProfile.LABEL_RECORDING_ID)
        .withSecondaryToPrimaryMapper(profile -> recordingOf(profile).map(Set::of).orElse(Set.of()))
        .build();
    return List.of(new InformerEventSource<>(configuration, context));
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
    Map<String, List<SeccompProfile>> byContainer = recordedProfiles(recording, context).stream()
        .filter(p -> !isPartial(p))
        .collect(Collectors.groupingBy(p -> p.getMetadata().getLabels().get(RecordedSeccompProfile.LABEL_CONTAINER_ID),
            TreeMap::new, Collectors.toList()));
    for (var container : byContainer.entrySet()) {
      if (container.getValue().stream().allMatch(RecordingPublishReconciler::isPublished)) {
        continue;
      }
      // Every replica of the container goes on its branch, so the branch always holds the whole recording.
      PublishResult result = publisher.publish(request(recording, container.getKey(), target.get(), container.getValue(),
          container.getValue(), Optional.empty()));
      container.getValue().forEach(p -> markPublished(p, result));
    }
    return UpdateControl.noUpdate();
  }

  @Override
  public DeleteControl cleanup(ProfileRecording recording, Context<ProfileRecording> context) throws ForgeException {
    List<String> nodesStill = recording.getMetadata().getFinalizers().stream()
        .filter(f -> f.endsWith(NODE_FINALIZER_SUFFIX)).toList();
    if (!nodesStill.isEmpty()) {
      log.debug("Recording {} waits for nodes to publish: {}", recording.getMetadata().getName(), nodesStill);
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(WAIT_FOR_NODES);
    }
    if (recording.getSpec() == null || recording.getSpec().getMergeStrategy() != MergeStrategy.Containers) {
      return DeleteControl.defaultDelete();
    }
    Optional<PublishTarget> target = PublishTarget.of(client, recording);
    Map<String, List<SeccompProfile>> partials = recordedProfiles(recording, context).stream()
        .filter(RecordingPublishReconciler::isPartial)
        .collect(Collectors.groupingBy(p -> p.getMetadata().getLabels().get(RecordedSeccompProfile.LABEL_CONTAINER_ID),
            TreeMap::new, Collectors.toList()));
    for (var container : partials.entrySet()) {
      List<ReplicaProfile> replicas = container.getValue().stream()
          .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
          .map(p -> new ReplicaProfile(replica(p), annotation(p, RecordedSeccompProfile.ANNOTATION_NODE), p))
          .toList();
      MergeResult merged = merger.merge(recording.getMetadata().getName(), container.getKey(), replicas, MergeStrategy.Containers);
      if (target.isPresent()) {
        PublishResult result = publisher.publish(request(recording, container.getKey(), target.get(), merged.profiles(),
            container.getValue(), merged.coverage()));
        log.info("Recording {}: container {} merged from {} replicas and proposed on {}", recording.getMetadata().getName(),
            container.getKey(), replicas.size(), result.branch());
      } else {
        merged.profiles().forEach(p -> client.resource(p).createOr(NonDeletingOperation::update));
        log.info("Recording {}: container {} merged from {} replicas into SeccompProfile {}", recording.getMetadata().getName(),
            container.getKey(), replicas.size(), merged.profiles().get(0).getMetadata().getName());
      }
      container.getValue().forEach(p -> client.resource(p).delete());
    }
    return DeleteControl.defaultDelete();
  }

  private PublishRequest request(ProfileRecording recording, String container, PublishTarget target,
      List<SeccompProfile> profiles, List<SeccompProfile> replicas, Optional<SyscallCoverage> coverage) {
    var builder = PublishRequest.builder(target.repositoryUrl(), recording.getMetadata().getName(), container)
        .defaultBranch(target.defaultBranch())
        .transport(target.transport())
        .profiles(profiles.stream().map(RecordingPublishReconciler::forGit).toList())
        .replicas(replicas.stream().map(RecordingPublishReconciler::replica).sorted().toList())
        .nodes(replicas.stream().map(p -> annotation(p, RecordedSeccompProfile.ANNOTATION_NODE)).filter(Objects::nonNull)
            .distinct().sorted().toList());
    target.pullRequest().ifPresent(builder::pullRequest);
    coverage.ifPresent(builder::coverage);
    Optional<Instant> start = replicas.stream().map(p -> instant(p, RecordedSeccompProfile.ANNOTATION_STARTED))
        .flatMap(Optional::stream).min(Comparator.naturalOrder());
    Optional<Instant> end = replicas.stream().map(p -> instant(p, RecordedSeccompProfile.ANNOTATION_ENDED))
        .flatMap(Optional::stream).max(Comparator.naturalOrder());
    if (start.isPresent() && end.isPresent()) {
      builder.window(start.get(), end.get());
    }
    return builder.build();
  }

  /** What goes into the repository: name, the recording's labels and the coverage; no cluster bookkeeping. */
  private static SeccompProfile forGit(SeccompProfile recorded) {
    SeccompProfile profile = new SeccompProfile();
    profile.getMetadata().setName(recorded.getMetadata().getName());
    Map<String, String> labels = new TreeMap<>(Objects.requireNonNullElse(recorded.getMetadata().getLabels(), Map.of()));
    labels.remove(SpoApi.LABEL_PARTIAL);
    profile.getMetadata().setLabels(labels);
    String coverage = annotation(recorded, SyscallCoverage.ANNOTATION);
    if (coverage != null) {
      profile.getMetadata().setAnnotations(Map.of(SyscallCoverage.ANNOTATION, coverage));
    }
    profile.setSpec(recorded.getSpec());
    return profile;
  }

  private void markPublished(SeccompProfile profile, PublishResult result) {
    String value = result.branch() + "@" + result.commit().orElse("unchanged");
    client.resources(SeccompProfile.class).withName(profile.getMetadata().getName())
        .edit(p -> {
          Map<String, String> annotations = new TreeMap<>(Objects.requireNonNullElse(p.getMetadata().getAnnotations(), Map.of()));
          annotations.put(ANNOTATION_PUBLISHED, value);
          p.getMetadata().setAnnotations(annotations);
          return p;
        });
  }

  private static List<SeccompProfile> recordedProfiles(ProfileRecording recording, Context<ProfileRecording> context) {
    return context.getSecondaryResources(SeccompProfile.class).stream()
        .filter(p -> recordingOf(p).filter(ResourceID.fromResource(recording)::equals).isPresent())
        .toList();
  }

  /** The recording a node recorded the profile for. */
  static Optional<ResourceID> recordingOf(SeccompProfile profile) {
    String name = profile.getMetadata().getLabels() == null ? null
        : profile.getMetadata().getLabels().get(RecordedSeccompProfile.LABEL_RECORDING_ID);
    String namespace = annotation(profile, RecordedSeccompProfile.ANNOTATION_RECORDING_NAMESPACE);
    return name == null || namespace == null ? Optional.empty() : Optional.of(new ResourceID(name, namespace));
  }

  /** The replica's pod name, from {@code <namespace>/<pod>}; the profile's name where it is missing. */
  private static String replica(SeccompProfile profile) {
    String pod = annotation(profile, RecordedSeccompProfile.ANNOTATION_POD);
    return pod == null ? profile.getMetadata().getName() : pod.substring(pod.indexOf('/') + 1);
  }

  private static Optional<Instant> instant(SeccompProfile profile, String annotation) {
    try {
      return Optional.ofNullable(annotation(profile, annotation)).map(Instant::parse);
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private static String annotation(SeccompProfile profile, String key) {
    Map<String, String> annotations = profile.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(key);
  }

  private static boolean isPartial(SeccompProfile profile) {
    return "true".equals(Objects.requireNonNullElse(profile.getMetadata().getLabels(), Map.<String, String>of()).get(SpoApi.LABEL_PARTIAL));
  }

  private static boolean isPublished(SeccompProfile profile) {
    return annotation(profile, ANNOTATION_PUBLISHED) != null;
  }
}
