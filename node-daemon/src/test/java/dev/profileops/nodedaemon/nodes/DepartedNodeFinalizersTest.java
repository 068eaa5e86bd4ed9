package dev.profileops.nodedaemon.nodes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.profileops.api.common.ProfileKind;
import dev.profileops.api.nodestatus.NodeStatusSpec;
import dev.profileops.api.nodestatus.SecurityProfileNodeStatus;
import dev.profileops.api.recording.ProfileRecording;
import dev.profileops.api.recording.ProfileRecordingSpec;
import dev.profileops.api.recording.RecorderType;
import dev.profileops.api.seccomp.SeccompProfile;
import dev.profileops.api.seccomp.SeccompProfileSpec;
import dev.profileops.nodedaemon.MockCrds;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class DepartedNodeFinalizersTest {
  private static final String LIVE = "node-a.node.profileops.dev/deleted";
  private static final String GONE = "ip-10-0-0-9.ec2.internal.node.profileops.dev/deleted";
  private static final String GONE_RECORDING = "ip-10-0-0-9.ec2.internal.recording.profileops.dev/published";
  private static final String OTHER = "example.com/keep";

  KubernetesClient client;

  @BeforeEach
  void crds() {
    MockCrds.create(client, SeccompProfile.class, SecurityProfileNodeStatus.class, ProfileRecording.class);
  }

  @Test
  void removesOnlyTheFinalizersAndStatusesOfNodesThatAreGone() {
    node("node-a");
    profile("nginx", LIVE, GONE, OTHER);
    recording("web", GONE_RECORDING, "node-a.recording.profileops.dev/published");
    nodeStatus("nginx-node-a", "node-a");
    nodeStatus("nginx-ip-10-0-0-9.ec2.internal", "ip-10-0-0-9.ec2.internal");

    DepartedNodeFinalizers.Sweep sweep = new DepartedNodeFinalizers(client).sweep();

    assertThat(sweep.finalizers()).isEqualTo(2);
    assertThat(sweep.nodeStatuses()).isEqualTo(1);
    assertThat(sweep.departedNodes()).containsExactly("ip-10-0-0-9.ec2.internal");
    assertThat(client.resources(SeccompProfile.class).withName("nginx").get().getMetadata().getFinalizers())
        .containsExactly(LIVE, OTHER);
    assertThat(client.resources(ProfileRecording.class).inNamespace("apps").withName("web").get().getMetadata().getFinalizers())
        .containsExactly("node-a.recording.profileops.dev/published");
    assertThat(client.resources(SecurityProfileNodeStatus.class).list().getItems())
        .extracting(s -> s.getMetadata().getName()).containsExactly("nginx-node-a");
    // Nothing left to do the second time.
    assertThat(new DepartedNodeFinalizers(client).sweep().finalizers()).isZero();
  }

  @Test
  void aDepartedNodesLogRecordingFinalizerGoesToo() {
    node("node-a");
    recording("avc", "ip-10-0-0-9.ec2.internal.recording.profileops.dev/logs-published",
        "node-a.recording.profileops.dev/logs-published");

    DepartedNodeFinalizers.Sweep sweep = new DepartedNodeFinalizers(client).sweep();

    assertThat(sweep.finalizers()).isEqualTo(1);
    assertThat(client.resources(ProfileRecording.class).inNamespace("apps").withName("avc").get().getMetadata().getFinalizers())
        .containsExactly("node-a.recording.profileops.dev/logs-published");
  }

  @Test
  void aDeletedNodeIsCleanedUpAfterWithoutWaitingForTheNextSweep() {
    node("node-a");
    node("node-b");
    profile("nginx", LIVE, "node-b.node.profileops.dev/deleted");
    try (DepartedNodeFinalizers janitor = new DepartedNodeFinalizers(client)) {
      janitor.start(Duration.ofHours(1));
      await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).untilAsserted(() ->
          assertThat(client.resources(SeccompProfile.class).withName("nginx").get().getMetadata().getFinalizers()).hasSize(2));

      client.nodes().withName("node-b").delete();

      await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(client.resources(SeccompProfile.class).withName("nginx").get().getMetadata().getFinalizers())
              .containsExactly(LIVE));
    }
  }

  @Test
  void anEmptyNodeListRemovesNothing() {
    profile("nginx", LIVE, GONE);

    DepartedNodeFinalizers.Sweep sweep = new DepartedNodeFinalizers(client).sweep();

    assertThat(sweep).isEqualTo(new DepartedNodeFinalizers.Sweep(0, 0, Set.of()));
    assertThat(client.resources(SeccompProfile.class).withName("nginx").get().getMetadata().getFinalizers())
        .containsExactly(LIVE, GONE);
  }

  @Test
  void readsTheNodeBackFromTheFinalizer() {
    assertThat(DepartedNodeFinalizers.nodeOf(GONE, ".node.profileops.dev/deleted")).contains("ip-10-0-0-9.ec2.internal");
    assertThat(DepartedNodeFinalizers.nodeOf(OTHER, ".node.profileops.dev/deleted")).isEmpty();
    assertThat(DepartedNodeFinalizers.nodeOf(".node.profileops.dev/deleted", ".node.profileops.dev/deleted")).isEmpty();
  }

  private void node(String name) {
    client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
  }

  private void profile(String name, String... finalizers) {
    SeccompProfile profile = new SeccompProfile();
    profile.getMetadata().setName(name);
    profile.getMetadata().setFinalizers(List.of(finalizers));
    profile.setSpec(new SeccompProfileSpec());
    client.resource(profile).create();
  }

  private void recording(String name, String... finalizers) {
    ProfileRecording recording = new ProfileRecording();
    recording.getMetadata().setName(name);
    recording.getMetadata().setNamespace("apps");
    recording.getMetadata().setFinalizers(List.of(finalizers));
    ProfileRecordingSpec spec = new ProfileRecordingSpec();
    spec.setKind(ProfileKind.SeccompProfile);
    spec.setRecorder(RecorderType.Bpf);
    spec.setPodSelector(new LabelSelector());
    recording.setSpec(spec);
    client.resource(recording).create();
  }

  private void nodeStatus(String name, String node) {
    SecurityProfileNodeStatus status = new SecurityProfileNodeStatus();
    status.getMetadata().setName(name);
    NodeStatusSpec spec = new NodeStatusSpec();
    spec.setNodeName(node);
    spec.setProfileKind("SeccompProfile");
    spec.setProfileName("nginx");
    status.setSpec(spec);
    client.resource(status).create();
  }
}
