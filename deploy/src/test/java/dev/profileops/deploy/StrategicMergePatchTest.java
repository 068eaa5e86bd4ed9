package dev.profileops.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StrategicMergePatchTest {
  private final Map<String, Object> deployment = Map.of("spec", Map.of("template", Map.of("spec", Map.of(
      "securityContext", Map.of("runAsUser", 65532, "runAsNonRoot", true),
      "containers", List.of(
          Map.of("name", "main", "image", "a", "args", List.of("x", "y"),
              "env", List.of(Map.of("name", "A", "value", "1"), Map.of("name", "B", "value", "2")),
              "ports", List.of(Map.of("name", "metrics", "containerPort", 8080))),
          Map.of("name", "side", "image", "b"))))));

  @Test
  void mergesContainersEnvAndPortsOnTheirKeysAndReplacesOtherLists() {
    Map<String, Object> patched = StrategicMergePatch.apply(deployment, Map.of("spec", Map.of("template", Map.of("spec", Map.of(
        "containers", List.of(Map.of("name", "main", "args", List.of("z"),
            "env", List.of(Map.of("name", "B", "value", "3"), Map.of("name", "C", "value", "4")),
            "ports", List.of(Map.of("name", "hooks", "containerPort", 9292)))))))));

    List<?> containers = (List<?>) at(patched, "spec", "template", "spec").get("containers");
    assertThat(containers).hasSize(2);
    Map<?, ?> main = (Map<?, ?>) containers.get(0);
    assertThat(main.get("name")).isEqualTo("main");
    assertThat(main.get("image")).isEqualTo("a");
    assertThat(main.get("args")).isEqualTo(List.of("z"));
    // kustomize's order: the patch's items first, then the target's other items.
    assertThat(main.get("env")).isEqualTo(List.of(Map.of("name", "B", "value", "3"), Map.of("name", "C", "value", "4"),
        Map.of("name", "A", "value", "1")));
    assertThat(main.get("ports")).isEqualTo(List.of(Map.of("name", "hooks", "containerPort", 9292),
        Map.of("name", "metrics", "containerPort", 8080)));
    assertThat(containers.get(1)).isEqualTo(Map.of("name", "side", "image", "b"));
  }

  @Test
  void nullDeletesAKeyAndTheTargetStaysUnchanged() {
    java.util.HashMap<String, Object> context = new java.util.HashMap<>();
    context.put("runAsUser", null);
    Map<String, Object> patched = StrategicMergePatch.apply(deployment,
        Map.of("spec", Map.of("template", Map.of("spec", Map.of("securityContext", context)))));

    assertThat(at(patched, "spec", "template", "spec", "securityContext")).isEqualTo(Map.of("runAsNonRoot", true));
    assertThat(at(deployment, "spec", "template", "spec", "securityContext")).containsKey("runAsUser");
  }

  @Test
  void refusesDirectivesItDoesNotImplement() {
    assertThatThrownBy(() -> StrategicMergePatch.apply(deployment,
        Map.of("spec", Map.of("template", Map.of("spec", Map.of("$patch", "replace"))))))
        .hasMessageContaining("spec.template.spec.$patch");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> at(Map<String, Object> map, String... path) {
    Map<String, Object> current = map;
    for (String key : path) {
      current = (Map<String, Object>) current.get(key);
    }
    return current;
  }
}
