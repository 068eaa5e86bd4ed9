package dev.profileops.nodedaemon.recording;

import dev.profileops.api.common.LabelSelectorMatcher;
import dev.profileops.api.recording.ProfileRecording;
import dev.profileops.api.recording.ProfileRecordingSpec;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.api.config.informer.FieldSelector;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The pods of this node that ProfileRecordings select, for the recording reconcilers (BPF and logs):
 * an informer of the node's pods whose events go to the recordings selecting them, and the running
 * containers of a recording's pods.
 */
final class SelectedPods {
  private final String nodeName;
  private final boolean fieldSelector;
  private volatile InformerEventSource<Pod, ProfileRecording> pods;

  /**
   * @param fieldSelector ask the API server for this node's pods only ({@code spec.nodeName}); false
   *     watches every pod and keeps this node's, for servers without field selectors on watches
   *     (fabric8's mock)
   */
  SelectedPods(String nodeName, boolean fieldSelector) {
    this.nodeName = nodeName;
    this.fieldSelector = fieldSelector;
  }

  /** The event source to register, named {@code name}; call once, from prepareEventSources. */
  InformerEventSource<Pod, ProfileRecording> eventSource(String name, EventSourceContext<ProfileRecording> context) {
    var recordings = context.getPrimaryCache();
    var configuration = InformerEventSourceConfiguration.from(Pod.class, ProfileRecording.class)
        .withName(name)
        .withGenericFilter(this::onThisNode)
        .withSecondaryToPrimaryMapper(pod -> recordings.list(pod.getMetadata().getNamespace())
            .filter(r -> selects(r, pod))
            .map(ResourceID::fromResource)
            .collect(Collectors.toSet()));
    if (fieldSelector) {
      // Only this node's pods reach the daemon, not every pod of the cluster.
      configuration.withFieldSelector(new FieldSelector(new FieldSelector.Field("spec.nodeName", nodeName)));
    }
    pods = new InformerEventSource<>(configuration.build(), context);
    return pods;
  }

  /** This node's pods the recording selects. */
  List<Pod> of(ProfileRecording recording) {
    return pods.list(recording.getMetadata().getNamespace(), pod -> onThisNode(pod) && selects(recording, pod)).toList();
  }

  /** The pod's containers the recording asks for ({@code containers}, all when empty) that have a runtime id. */
  static List<ContainerStatus> recordedContainers(ProfileRecordingSpec spec, Pod pod) {
    List<ContainerStatus> statuses = pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null
        ? List.of() : pod.getStatus().getContainerStatuses();
    List<String> only = spec.getContainers();
    return statuses.stream()
        .filter(s -> only == null || only.isEmpty() || only.contains(s.getName()))
        .filter(s -> RecordedContainer.runtimeId(s.getContainerID()) != null)
        .toList();
  }

  static boolean isRunning(ContainerStatus status) {
    return status.getState() != null && status.getState().getRunning() != null;
  }

  private boolean onThisNode(Pod pod) {
    return pod.getSpec() != null && nodeName.equals(pod.getSpec().getNodeName());
  }

  static boolean selects(ProfileRecording recording, Pod pod) {
    return recording.getSpec() != null
        && Objects.equals(recording.getMetadata().getNamespace(), pod.getMetadata().getNamespace())
        && LabelSelectorMatcher.matches(recording.getSpec().getPodSelector(), pod.getMetadata().getLabels());
  }
}
