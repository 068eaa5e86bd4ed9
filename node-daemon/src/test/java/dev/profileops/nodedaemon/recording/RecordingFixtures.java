package dev.profileops.nodedaemon.recording;

import dev.profileops.api.common.ProfileKind;
import dev.profileops.api.recording.MergeStrategy;
import dev.profileops.api.recording.ProfileRecording;
import dev.profileops.api.recording.ProfileRecordingSpec;
import dev.profileops.api.recording.RecorderType;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.Map;
import java.util.function.Consumer;

/** Recordings and pods as the API server would hold them, for the recording tests (namespace {@code apps}). */
final class RecordingFixtures {
  static final String NAMESPACE = "apps";

  private RecordingFixtures() {}

  /** A BPF seccomp recording of the pods labelled {@code app=<name>}. */
  static ProfileRecording recording(String name, MergeStrategy merge) {
    ProfileRecording recording = new ProfileRecording();
    recording.getMetadata().setName(name);
    recording.getMetadata().setNamespace(NAMESPACE);
    ProfileRecordingSpec spec = new ProfileRecordingSpec();
    spec.setKind(ProfileKind.SeccompProfile);
    spec.setRecorder(RecorderType.Bpf);
    spec.setMergeStrategy(merge);
    spec.setPodSelector(new LabelSelectorBuilder().withMatchLabels(Map.of("app", name)).build());
    recording.setSpec(spec);
    return recording;
  }

  /** A pod on {@code node} labelled {@code app=<app>} with one running container of that runtime id. */
  static Pod runningPod(String name, String node, String app, String container, String containerId) {
    return new PodBuilder()
        .withNewMetadata().withName(name).withNamespace(NAMESPACE).withUid(name + "-uid").addToLabels("app", app).endMetadata()
        .withNewSpec().withNodeName(node).addNewContainer().withName(container).withImage("busybox").endContainer().endSpec()
        .withNewStatus()
        .addNewContainerStatus().withName(container).withContainerID(containerId)
        .withNewState().withNewRunning().endRunning().endState()
        .endContainerStatus()
        .endStatus()
        .build();
  }

  /** The pod with every container terminated, as the kubelet reports it after the containers exit. */
  static Pod exited(Pod pod) {
    pod.getStatus().getContainerStatuses().forEach(status -> status.setState(new ContainerStateBuilder()
        .withNewTerminated().withExitCode(0).endTerminated().build()));
    return pod;
  }

  /** A namespace; opted in to recording (labelled as SPO's recording webhook selects) or not. */
  static Namespace namespace(String name, boolean optedIn) {
    return new NamespaceBuilder().withNewMetadata().withName(name)
        .withLabels(optedIn ? Map.of(RecordingNamespaces.LABEL, "true") : Map.of()).endMetadata().build();
  }

  /** Requests to the mock API server time out in 5 s, not fabric8's default of minutes. */
  public static class Timeout implements Consumer<KubernetesClientBuilder> {
    @Override
    public void accept(KubernetesClientBuilder builder) {
      builder.editOrNewConfig().withRequestTimeout(5_000).endConfig();
    }
  }
}
