package dev.profileops.cli.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.profileops.cli.TestCrds;
import dev.profileops.nodedaemon.NodeDaemon;
import dev.profileops.nodedaemon.recording.LogRecordingReconciler;
import dev.profileops.nodedaemon.recording.LoggedAvcs;
import dev.profileops.nodedaemon.recording.LoggedSyscalls;
import dev.profileops.nodedaemon.recording.RecordedContainer;
import dev.profileops.nodedaemon.recording.RecordedProfileWriter;
import dev.profileops.nodedaemon.recording.RecordingNamespaces;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recording webhook and the node daemon together, on the mock API server: a pod admitted through
 * the webhook points the kubelet at the very file the node daemon installed (its localhostProfile under
 * {@code <kubelet dir>/seccomp}), and once that pod is stored and running on the node, the daemon's
 * log recording records its container for the recording the annotation names.
 */
@EnableKubernetesMockClient(crud = true)
class RecordingWebhookToNodeDaemonTest {
  private static final String NODE = "worker-1";
  private static final String CONTAINER_ID = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

  KubernetesClient client;
  @TempDir Path kubeletDir;

  @Test
  void aPodAdmittedThroughTheWebhookRunsUnderTheNodesTraceProfileAndIsRecorded() throws Exception {
    TestCrds.createIn(client);
    client.resource(new NamespaceBuilder().withNewMetadata().withName("shop").addToLabels(RecordingNamespaces.LABEL, "").endMetadata().build())
        .create();
    client.resource(ProfileRecordingWebhookTest.recording("web", "SeccompProfile", "Logs", null, null)).create();
    Path trace = LogRecordingReconciler.installTraceProfile(kubeletDir);
    LoggedSyscalls logged = new LoggedSyscalls();
    LogRecordingReconciler recording = new LogRecordingReconciler(NODE, logged, new LoggedAvcs(), RecordingNamespaces.labelled(client),
        new RecordedProfileWriter(client, NODE), "SCMP_ARCH_X86_64", Clock.systemUTC()).withoutFieldSelector();
    NodeDaemon daemon = new NodeDaemon(client, NODE, kubeletDir);
    daemon.enableLogRecording(recording);
    daemon.start();
    try {
      String created = ProfileBindingWebhookTest.pod("{\"name\": \"app\", \"image\": \"app:1\"}");
      PodWebhook webhook = ProfileRecordingWebhook.of(client);
      AdmissionReview response = PodAdmission.review(Serialization.unmarshal(ProfileBindingWebhookTest.reviewJson("CREATE", created),
          AdmissionReview.class), webhook.what(), webhook.mutator());
      JsonNode admitted = ProfileBindingWebhookTest.applyPatch(response, created);

      // What the kubelet does with a Localhost profile: a path under <kubelet dir>/seccomp.
      JsonNode seccomp = admitted.at("/spec/containers/0/securityContext/seccompProfile");
      assertThat(seccomp.get("type").asText()).isEqualTo("Localhost");
      Path file = kubeletDir.resolve("seccomp").resolve(seccomp.get("localhostProfile").asText());
      assertThat(file).isEqualTo(trace);
      assertThat(Files.readString(file)).contains("SCMP_ACT_LOG");

      // The API server stores the admitted pod; the scheduler and the kubelet run it on this node.
      Pod pod = new PodBuilder(Serialization.unmarshal(admitted.toString(), Pod.class))
          .editMetadata().withName("web-1").withNamespace("shop").withUid("web-1-uid").endMetadata()
          .editSpec().withNodeName(NODE).endSpec()
          .withNewStatus().addNewContainerStatus().withName("app").withContainerID("containerd://" + CONTAINER_ID)
          .withNewState().withNewRunning().endRunning().endState().endContainerStatus().endStatus()
          .build();
      client.resource(pod).create();

      await().atMost(Duration.ofSeconds(30)).until(() -> recording.recordedContainers().stream()
          .anyMatch(c -> c.containerId().equals(CONTAINER_ID)));
      RecordedContainer recorded = recording.recordedContainers().iterator().next();
      Map<String, String> annotations = pod.getMetadata().getAnnotations();
      String value = annotations.get(ProfileRecordingMutator.TRACE_LOGS + "app");
      assertThat(value).startsWith(recorded.recording() + "_" + recorded.container() + "_");
      assertThat(logged.tracks(CONTAINER_ID)).as("the node reads this container's seccomp log lines").isTrue();
    } finally {
      daemon.stop();
    }
  }
}
