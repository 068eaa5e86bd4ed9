package dev.profileops.cli.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.profileops.api.binding.ProfileBinding;
import dev.profileops.api.common.ProfileKind;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.zjsonpatch.JsonPatch;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** AdmissionReviews in, AdmissionReviews out: what ProfileBindings do to pods, applied as the API server would. */
class ProfileBindingWebhookTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The profiles that exist and are enabled. */
  private final Set<String> profiles = Set.of("SeccompProfile/web-server", "SelinuxProfile/web", "AppArmorProfile/web");
  private final ProfileBindingMutator mutator = new ProfileBindingMutator((kind, name) -> profiles.contains(kind + "/" + name));

  @Test
  void patchesTheContainerWhoseImageIsBoundAndNoOther() throws Exception {
    AdmissionReview response = review("CREATE", pod("""
        {"name": "nginx", "image": "nginx:1.27"}, {"name": "sidecar", "image": "envoy:1.30"}"""),
        binding("web", "SeccompProfile", "web-server", "nginx:1.27", null));

    assertThat(response.getResponse().getAllowed()).isTrue();
    assertThat(response.getResponse().getUid()).isEqualTo("uid-1");
    assertThat(response.getResponse().getPatchType()).isEqualTo("JSONPatch");
    JsonNode patched = applyPatch(response, pod("""
        {"name": "nginx", "image": "nginx:1.27"}, {"name": "sidecar", "image": "envoy:1.30"}"""));
    assertThat(patched.at("/spec/containers/0/securityContext/seccompProfile"))
        .isEqualTo(JSON.readTree("{\"type\": \"Localhost\", \"localhostProfile\": \"operator/web-server.json\"}"));
    assertThat(patched.at("/spec/containers/1/securityContext").isMissingNode()).isTrue();
  }

  @Test
  void setsSelinuxAndAppArmorBesideWhatTheContainerAlreadySays() throws Exception {
    String containers = """
        {"name": "app", "image": "app:1", "securityContext": {"runAsNonRoot": true, "seLinuxOptions": {"level": "s0:c1,c2"}}}""";
    AdmissionReview response = review("CREATE", pod(containers),
        binding("a", "SelinuxProfile", "web", "*", null), binding("b", "AppArmorProfile", "web", "*", null));

    JsonNode context = applyPatch(response, pod(containers)).at("/spec/containers/0/securityContext");
    assertThat(context.get("runAsNonRoot").asBoolean()).isTrue();
    assertThat(context.at("/seLinuxOptions/type").asText()).isEqualTo("web.process");
    assertThat(context.at("/seLinuxOptions/level").asText()).isEqualTo("s0:c1,c2");
    assertThat(context.at("/appArmorProfile/localhostProfile").asText()).isEqualTo("web");
    assertThat(context.at("/appArmorProfile/type").asText()).isEqualTo("Localhost");
  }

  @Test
  void skipsPodsThePodSelectorDoesNotSelect() throws Exception {
    AdmissionReview response = review("CREATE", pod("""
        {"name": "nginx", "image": "nginx:1.27"}"""), binding("web", "SeccompProfile", "web-server", "*", "{\"matchLabels\": {\"app\": \"other\"}}"));

    assertThat(response.getResponse().getAllowed()).isTrue();
    assertThat(response.getResponse().getPatch()).isNull();
  }

  @Test
  void appliesWhenThePodSelectorSelects() throws Exception {
    AdmissionReview response = review("CREATE", pod("""
        {"name": "nginx", "image": "nginx:1.27"}"""), binding("web", "SeccompProfile", "web-server", "*", "{\"matchLabels\": {\"app\": \"web\"}}"));

    assertThat(response.getResponse().getPatch()).isNotNull();
  }

  @Test
  void neverTouchesAnUpdate() throws Exception {
    AdmissionReview response = review("UPDATE", pod("""
        {"name": "nginx", "image": "nginx:1.27"}"""), binding("web", "SeccompProfile", "web-server", "*", null));

    assertThat(response.getResponse().getAllowed()).isTrue();
    assertThat(response.getResponse().getPatch()).isNull();
  }

  @Test
  void leavesAContainersOwnProfileAndAMissingProfileAloneWithWarnings() throws Exception {
    AdmissionReview response = review("CREATE", pod("""
        {"name": "own", "image": "app:1", "securityContext": {"seccompProfile": {"type": "RuntimeDefault"}}},
        {"name": "other", "image": "app:2"}"""),
        binding("a", "SeccompProfile", "web-server", "app:1", null), binding("b", "SeccompProfile", "gone", "app:2", null));

    assertThat(response.getResponse().getAllowed()).isTrue();
    assertThat(response.getResponse().getPatch()).isNull();
    assertThat(response.getResponse().getWarnings()).containsExactly(
        "ProfileBinding a: container own sets its own seccompProfile; left as it is",
        "ProfileBinding b: SeccompProfile gone does not exist or is disabled; container other left as it is");
  }

  @Test
  void failsOpenWhenTheBindingsCannotBeRead() throws Exception {
    AdmissionReview request = Serialization.unmarshal(reviewJson("CREATE", pod("""
        {"name": "nginx", "image": "nginx:1.27"}""")), AdmissionReview.class);

    AdmissionReview response = ProfileBindingWebhook.review(request, mutator, namespace -> {
      throw new IllegalStateException("API server unreachable");
    });

    assertThat(response.getResponse().getAllowed()).isTrue();
    assertThat(response.getResponse().getPatch()).isNull();
    assertThat(response.getResponse().getWarnings()).singleElement().asString().contains("API server unreachable");
  }

  private AdmissionReview review(String operation, String pod, ProfileBinding... bindings) {
    AdmissionReview request = Serialization.unmarshal(reviewJson(operation, pod), AdmissionReview.class);
    return ProfileBindingWebhook.review(request, mutator, namespace -> {
      assertThat(namespace).isEqualTo("shop");
      return List.of(bindings);
    });
  }

  static String reviewJson(String operation, String pod) {
    return """
        {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
         "request": {"uid": "uid-1", "kind": {"group": "", "version": "v1", "kind": "Pod"},
                     "resource": {"group": "", "version": "v1", "resource": "pods"},
                     "namespace": "shop", "operation": "%s", "object": %s}}""".formatted(operation, pod);
  }

  static String pod(String containers) {
    return """
        {"apiVersion": "v1", "kind": "Pod", "metadata": {"generateName": "web-", "labels": {"app": "web"}},
         "spec": {"containers": [%s]}}""".formatted(containers);
  }

  static ProfileBinding binding(String name, String kind, String profile, String image, String podSelector) {
    return Serialization.unmarshal("""
        {"apiVersion": "security-profiles-operator.x-k8s.io/v1", "kind": "ProfileBinding",
         "metadata": {"name": "%s", "namespace": "shop"},
         "spec": {"profileRef": {"kind": "%s", "name": "%s"}, "image": "%s"%s}}"""
        .formatted(name, ProfileKind.valueOf(kind), profile, image, podSelector == null ? "" : ", \"podSelector\": " + podSelector),
        ProfileBinding.class);
  }

  static JsonNode applyPatch(AdmissionReview response, String pod) throws Exception {
    String patch = new String(Base64.getDecoder().decode(response.getResponse().getPatch()), StandardCharsets.UTF_8);
    return JsonPatch.apply(JSON.readTree(patch), JSON.readTree(pod));
  }
}
