package dev.profileops.cli.admission;

import static dev.profileops.cli.admission.ProfileBindingWebhookTest.applyPatch;
import static dev.profileops.cli.admission.ProfileBindingWebhookTest.pod;
import static dev.profileops.cli.admission.ProfileBindingWebhookTest.reviewJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.profileops.api.recording.ProfileRecording;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * AdmissionReviews in, AdmissionReviews out: what ProfileRecordings do to pods being created, each
 * patch applied to the pod as the API server would (zjsonpatch, RFC 6902) and checked on the result.
 */
class ProfileRecordingWebhookTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2026-11-29T22:00:00Z");
  private static final String TRACE = "{\"type\": \"Localhost\", \"localhostProfile\": \"operator/profileops-log-recording.json\"}";
  private final ProfileRecordingMutator mutator = new ProfileRecordingMutator(Clock.fixed(NOW, ZoneOffset.UTC), () -> "n0nce");

  @Test
  void logsSeccompPutsTheContainerOnTheTraceProfileAndAnnotatesIt() throws Exception {
    String pod = pod("{\"name\": \"nginx\", \"image\": \"nginx:1\"}");

    AdmissionReview response = review("CREATE", pod, recording("web", "SeccompProfile", "Logs", null, null));

    assertThat(response.getResponse().getAllowed()).isTrue();
    assertThat(response.getResponse().getUid()).isEqualTo("uid-1");
    assertThat(response.getResponse().getPatchType()).isEqualTo("JSONPatch");
    assertThat(response.getResponse().getWarnings()).isNullOrEmpty();
    JsonNode patched = applyPatch(response, pod);
    assertThat(patched.at("/metadata/annotations")).isEqualTo(JSON.readTree(
        "{\"io.containers.trace-logs/nginx\": \"web_nginx_n0nce_" + NOW.getEpochSecond() + "\"}"));
    assertThat(patched.at("/spec/containers/0/securityContext")).isEqualTo(JSON.readTree("{\"seccompProfile\": " + TRACE + "}"));
    assertThat(patched.at("/metadata/labels/app").asText()).isEqualTo("web");
  }

  @Test
  void logsSelinuxSetsTheRecordingTypeAndKeepsWhatTheContainerSaysBeside() throws Exception {
    String pod = pod("""
        {"name": "app", "image": "app:1", "securityContext": {"runAsNonRoot": true, "seLinuxOptions": {"level": "s0:c1,c2"}}}""");

    AdmissionReview response = review("CREATE", pod, recording("app-avcs", "SelinuxProfile", "Logs", null, null));

    JsonNode patched = applyPatch(response, pod);
    assertThat(patched.at("/metadata/annotations/io.containers.trace-avcs~1app").asText()).startsWith("app-avcs_app_n0nce_");
    JsonNode context = patched.at("/spec/containers/0/securityContext");
    assertThat(context).isEqualTo(JSON.readTree("""
        {"runAsNonRoot": true, "seLinuxOptions": {"level": "s0:c1,c2", "type": "selinuxrecording.process"}}"""));
  }

  @Test
  void seccompAndSelinuxRecordingsOfAContainerWithoutSecurityContextBothApply() throws Exception {
    String pod = pod("{\"name\": \"app\", \"image\": \"app:1\"}");

    AdmissionReview response = review("CREATE", pod,
        recording("calls", "SeccompProfile", "Logs", null, null), recording("avcs", "SelinuxProfile", "Logs", null, null));

    JsonNode patched = applyPatch(response, pod);
    assertThat(patched.at("/spec/containers/0/securityContext")).isEqualTo(JSON.readTree(
        "{\"seccompProfile\": " + TRACE + ", \"seLinuxOptions\": {\"type\": \"selinuxrecording.process\"}}"));
    // Sorted by recording name: avcs before calls.
    assertThat(fieldNames(patched.at("/metadata/annotations"))).containsExactly("io.containers.trace-avcs/app", "io.containers.trace-logs/app");
  }

  @Test
  void bpfOnlyAnnotatesAndLeavesTheSecurityContextAlone() throws Exception {
    String pod = pod("""
        {"name": "app", "image": "app:1", "securityContext": {"seccompProfile": {"type": "RuntimeDefault"}}}""");

    AdmissionReview response = review("CREATE", pod, recording("app-bpf", "SeccompProfile", "Bpf", null, null));

    JsonNode patched = applyPatch(response, pod);
    assertThat(patched.at("/metadata/annotations/io.containers.trace-bpf~1app").asText()).isEqualTo("app-bpf_app_n0nce_" + NOW.getEpochSecond());
    assertThat(patched.at("/spec")).isEqualTo(JSON.readTree(pod).at("/spec"));
    assertThat(response.getResponse().getWarnings()).isNullOrEmpty();
  }

  @Test
  void recordsOnlyTheListedContainersAndSaysThatInitContainersAreNotRecorded() throws Exception {
    String pod = """
        {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web-1", "labels": {"app": "web"}, "annotations": {"team": "shop"}},
         "spec": {"initContainers": [{"name": "migrate", "image": "app:1"}],
                  "containers": [{"name": "sidecar", "image": "envoy:1"}, {"name": "app", "image": "app:1", "securityContext": {"runAsUser": 1000}}]}}""";

    AdmissionReview response = review("CREATE", pod, recording("web", "SeccompProfile", "Logs", null, "[\"app\", \"migrate\"]"));

    JsonNode patched = applyPatch(response, pod);
    // The pod had annotations: one operation per key, its "/" escaped as "~1" (RFC 6901).
    assertThat(patchPaths(response)).contains("/metadata/annotations/io.containers.trace-logs~1app");
    assertThat(fieldNames(patched.at("/metadata/annotations"))).containsExactly("team", "io.containers.trace-logs/app");
    assertThat(patched.at("/spec/containers/0")).isEqualTo(JSON.readTree("{\"name\": \"sidecar\", \"image\": \"envoy:1\"}"));
    assertThat(patched.at("/spec/containers/1/securityContext")).isEqualTo(JSON.readTree("{\"runAsUser\": 1000, \"seccompProfile\": " + TRACE + "}"));
    assertThat(patched.at("/spec/initContainers")).isEqualTo(JSON.readTree(pod).at("/spec/initContainers"));
    assertThat(response.getResponse().getWarnings()).containsExactly(
        "ProfileRecording web: migrate is an init container; only a pod's containers are recorded");
  }

  @Test
  void leavesPodsThePodSelectorDoesNotSelect() {
    AdmissionReview response = review("CREATE", pod("{\"name\": \"nginx\", \"image\": \"nginx:1\"}"),
        recording("other", "SeccompProfile", "Logs", "{\"matchLabels\": {\"app\": \"other\"}}", null));

    assertThat(response.getResponse().getAllowed()).isTrue();
    assertThat(response.getResponse().getPatch()).isNull();
    assertThat(response.getResponse().getWarnings()).isNullOrEmpty();
  }

  @Test
  void replacesTheAuthorsOwnSeccompProfileAndSelinuxTypeWithAWarning() throws Exception {
    // As SPO: a container recorded under another profile would record nothing; the warning tells why it changed.
    String pod = pod("""
        {"name": "calls", "image": "app:1", "securityContext": {"seccompProfile": {"type": "RuntimeDefault"}}},
        {"name": "avcs", "image": "app:1", "securityContext": {"seLinuxOptions": {"type": "container_t", "level": "s0:c3"}}}""");

    AdmissionReview response = review("CREATE", pod, recording("a", "SeccompProfile", "Logs", null, "[\"calls\"]"),
        recording("b", "SelinuxProfile", "Logs", null, "[\"avcs\"]"));

    JsonNode patched = applyPatch(response, pod);
    assertThat(patched.at("/spec/containers/0/securityContext/seccompProfile")).isEqualTo(JSON.readTree(TRACE));
    assertThat(patched.at("/spec/containers/1/securityContext/seLinuxOptions"))
        .isEqualTo(JSON.readTree("{\"type\": \"selinuxrecording.process\", \"level\": \"s0:c3\"}"));
    assertThat(response.getResponse().getWarnings()).containsExactly(
        "ProfileRecording a: container calls sets its own seccompProfile (RuntimeDefault); replaced by Localhost "
            + "operator/profileops-log-recording.json while it is recorded",
        "ProfileRecording b: container avcs sets its own SELinux type container_t; replaced by selinuxrecording.process while it is recorded");
  }

  @Test
  void twoRecordingsOfOneContainerResolveByNameWhateverOrderTheyCome() throws Exception {
    String pod = pod("{\"name\": \"app\", \"image\": \"app:1\"}");
    ProfileRecording first = recording("alpha", "SeccompProfile", "Logs", null, null);
    ProfileRecording second = recording("beta", "SeccompProfile", "Logs", null, null);

    AdmissionReview forward = review("CREATE", pod, first, second);
    AdmissionReview backward = review("CREATE", pod, second, first);

    assertThat(backward.getResponse().getPatch()).isEqualTo(forward.getResponse().getPatch());
    JsonNode patched = applyPatch(backward, pod);
    assertThat(patched.at("/metadata/annotations/io.containers.trace-logs~1app").asText()).startsWith("alpha_app_");
    assertThat(patched.at("/spec/containers/0/securityContext/seccompProfile")).isEqualTo(JSON.readTree(TRACE));
    assertThat(backward.getResponse().getWarnings()).containsExactly("ProfileRecordings alpha and beta both record container app "
        + "(io.containers.trace-logs/app); the annotation names alpha, the first by name");
  }

  @Test
  void keepsARecordingAnnotationThePodCarriesAlready() throws Exception {
    String pod = """
        {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web-1", "labels": {"app": "web"},
           "annotations": {"io.containers.trace-bpf/app": "mine"}},
         "spec": {"containers": [{"name": "app", "image": "app:1"}]}}""";

    AdmissionReview response = review("CREATE", pod, recording("web", "SeccompProfile", "Bpf", null, null));

    assertThat(response.getResponse().getPatch()).isNull();
    assertThat(response.getResponse().getWarnings()).containsExactly("ProfileRecording web: the pod carries io.containers.trace-bpf/app already; kept as it is");
  }

  @Test
  void refusesNothingForAKindTheRecorderCannotRecordButSaysSo() {
    AdmissionReview response = review("CREATE", pod("{\"name\": \"app\", \"image\": \"app:1\"}"),
        recording("aa", "AppArmorProfile", "Logs", null, null));

    assertThat(response.getResponse().getAllowed()).isTrue();
    assertThat(response.getResponse().getPatch()).isNull();
    assertThat(response.getResponse().getWarnings()).singleElement().asString().contains("recorder Logs cannot record AppArmorProfile");
  }

  @Test
  void warnsOnceThatAPrivilegedContainerLeavesNothingToRecordFromLogs() throws Exception {
    String pod = pod("{\"name\": \"app\", \"image\": \"app:1\", \"securityContext\": {\"privileged\": true}}");

    AdmissionReview response = review("CREATE", pod,
        recording("avcs", "SelinuxProfile", "Logs", null, null), recording("calls", "SeccompProfile", "Logs", null, null));

    assertThat(applyPatch(response, pod).at("/spec/containers/0/securityContext/seccompProfile")).isEqualTo(JSON.readTree(TRACE));
    assertThat(response.getResponse().getWarnings()).containsExactly("ProfileRecording avcs: container app is privileged: it runs "
        + "without a seccomp profile and SELinux type, so its log recording will see nothing");
  }

  @Test
  void neverTouchesAnUpdate() {
    AdmissionReview response = review("UPDATE", pod("{\"name\": \"app\", \"image\": \"app:1\"}"),
        recording("web", "SeccompProfile", "Logs", null, null));

    assertThat(response.getResponse().getAllowed()).isTrue();
    assertThat(response.getResponse().getPatch()).isNull();
  }

  @Test
  void randomNoncesDifferFromPodToPod() throws Exception {
    ProfileRecordingMutator random = ProfileRecordingMutator.withRandomNonces(Clock.fixed(NOW, ZoneOffset.UTC));
    String pod = pod("{\"name\": \"app\", \"image\": \"app:1\"}");
    List<String> values = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      AdmissionReview response = ProfileRecordingWebhook.review(request("CREATE", pod), random,
          namespace -> List.of(recording("web", "SeccompProfile", "Logs", null, null)));
      values.add(applyPatch(response, pod).at("/metadata/annotations/io.containers.trace-logs~1app").asText());
    }

    assertThat(values).allMatch(v -> v.matches("web_app_[a-z0-9]{5}_" + NOW.getEpochSecond())).doesNotHaveDuplicates();
  }

  @Test
  void failsOpenWhenTheRecordingsCannotBeRead() {
    AdmissionReview response = ProfileRecordingWebhook.review(request("CREATE", pod("{\"name\": \"app\", \"image\": \"app:1\"}")), mutator,
        namespace -> {
          throw new IllegalStateException("API server unreachable");
        });

    assertThat(response.getResponse().getAllowed()).isTrue();
    assertThat(response.getResponse().getPatch()).isNull();
    assertThat(response.getResponse().getWarnings()).containsExactly("ProfileRecordings not applied: API server unreachable");
  }

  private AdmissionReview review(String operation, String pod, ProfileRecording... recordings) {
    return ProfileRecordingWebhook.review(request(operation, pod), mutator, namespace -> {
      assertThat(namespace).isEqualTo("shop");
      return List.of(recordings);
    });
  }

  private static AdmissionReview request(String operation, String pod) {
    return Serialization.unmarshal(reviewJson(operation, pod), AdmissionReview.class);
  }

  static ProfileRecording recording(String name, String kind, String recorder, String podSelector, String containers) {
    return Serialization.unmarshal("""
        {"apiVersion": "security-profiles-operator.x-k8s.io/v1", "kind": "ProfileRecording",
         "metadata": {"name": "%s", "namespace": "shop"},
         "spec": {"kind": "%s", "recorder": "%s", "podSelector": %s%s}}"""
        .formatted(name, kind, recorder, podSelector == null ? "{\"matchLabels\": {\"app\": \"web\"}}" : podSelector,
            containers == null ? "" : ", \"containers\": " + containers),
        ProfileRecording.class);
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static List<String> patchPaths(AdmissionReview response) throws Exception {
    JsonNode patch = JSON.readTree(new String(Base64.getDecoder().decode(response.getResponse().getPatch()), StandardCharsets.UTF_8));
    List<String> paths = new ArrayList<>();
    patch.forEach(op -> paths.add(op.get("path").asText()));
    return paths;
  }
}
