package dev.profileops.nodedaemon.recording;

import dev.profileops.api.SpoApi;
import dev.profileops.api.common.ProfileActivation;
import dev.profileops.api.common.ProfileSpec;
import dev.profileops.api.recording.MergeStrategy;
import dev.profileops.api.recording.ProfileRecording;
import dev.profileops.api.seccomp.SeccompProfile;
import dev.profileops.api.selinux.PolicyRef;
import dev.profileops.api.selinux.SelinuxProfile;
import dev.profileops.api.selinux.SelinuxProfileSpec;
import dev.profileops.nodedaemon.status.ShortNames;
import dev.profileops.recorder.RecordingMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Publishes what this node recorded for one container as a SeccompProfile or SelinuxProfile in the
 * cluster, the way SPO does: named {@code <recording>-<container>-<pod>}, labelled with the recording and container, and
 * marked partial when the recording merges its replicas ({@code mergeStrategy: Containers}): a partial
 * profile is never installed; the recorder merges the partials into one and proposes it to git.
 */
public final class RecordedProfileWriter {

  private final KubernetesClient client;
  private final String nodeName;

  public RecordedProfileWriter(KubernetesClient client, String nodeName) {
    this.client = client;
    this.nodeName = nodeName;
  }

  /** Creates (or replaces) the profile for the container; returns what was written. */
  public SeccompProfile write(ProfileRecording recording, RecordedContainer container, SeccompProfile recorded, Instant ended) {
    SeccompProfile profile = new SeccompProfile();
    profile.setSpec(recorded.getSpec());
    return publish(recording, container, profile, ended);
  }

  /**
   * Creates (or replaces) the SelinuxProfile of a container recorded from its AVCs: {@code allow} as
   * recorded, inheriting the system's {@code container} block (what the recording policy inherits too).
   */
  public SelinuxProfile writeSelinux(ProfileRecording recording, RecordedContainer container,
      Map<String, Map<String, List<String>>> allow, Instant ended) {
    SelinuxProfile profile = new SelinuxProfile();
    SelinuxProfileSpec spec = new SelinuxProfileSpec();
    spec.setInherit(new ArrayList<>(List.of(new PolicyRef("System", "container"))));
    spec.setAllow(allow);
    profile.setSpec(spec);
    return publish(recording, container, profile, ended);
  }

  /** Names, labels and annotates a recorded profile of any kind the same way, then writes it. */
  private <P extends CustomResource<? extends ProfileSpec, ?>> P publish(ProfileRecording recording, RecordedContainer container,
      P profile, Instant ended) {
    var meta = profile.getMetadata();
    meta.setName(name(container.recording(), container.container(), container.pod()));
    Map<String, String> labels = new HashMap<>();
    labels.put(RecordingMetadata.LABEL_RECORDING_ID, container.recording());
    labels.put(RecordingMetadata.LABEL_CONTAINER_ID, container.container());
    if (recording.getSpec().getMergeStrategy() == MergeStrategy.Containers) {
      labels.put(SpoApi.LABEL_PARTIAL, "true");
    }
    meta.setLabels(labels);
    meta.setAnnotations(Map.of(
        RecordingMetadata.ANNOTATION_RECORDING_NAMESPACE, container.recordingNamespace(),
        RecordingMetadata.ANNOTATION_POD, container.recordingNamespace() + "/" + container.pod(),
        RecordingMetadata.ANNOTATION_NODE, nodeName,
        RecordingMetadata.ANNOTATION_STARTED, container.started().toString(),
        RecordingMetadata.ANNOTATION_ENDED, ended.toString()));
    if (Boolean.TRUE.equals(recording.getSpec().getDisableProfileAfterRecording())) {
      profile.getSpec().setState(ProfileActivation.Disabled);
    }
    return client.resource(profile).createOr(NonDeletingOperation::update);
  }

  /**
   * {@code <recording>-<container>-<pod>}: one profile per replica, as pods of one workload differ in
   * their name's suffix. Cut and made unique with a hash past an object name's 253 characters.
   */
  public static String name(String recording, String container, String pod) {
    return ShortNames.fit(RecordingMetadata.name(recording, container) + "-" + pod, ShortNames.MAX_OBJECT_NAME);
  }
}
