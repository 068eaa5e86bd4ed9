package dev.profileops.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CrdSchemaValidatorTest {
  static CrdSchemaValidator crds;

  @BeforeAll
  static void read() throws IOException {
    crds = CrdSchemaValidator.fromDirectory(DeploymentManifestsTest.MANIFESTS.resolve("crds"));
  }

  @Test
  void takesAValidSeccompProfile() {
    assertThat(crds.validate(seccomp(Map.of("defaultAction", "SCMP_ACT_ERRNO",
        "syscalls", List.of(Map.of("action", "SCMP_ACT_ALLOW", "names", List.of("read", "write"))))))).isEmpty();
  }

  @Test
  void namesTheFieldOfEachProblem() {
    List<String> problems = crds.validate(seccomp(Map.of("defaultAction", "SCMP_ACT_MAYBE", "defaultActoin", "x",
        "syscalls", List.of(Map.of("action", "SCMP_ACT_ALLOW", "names", "read")))));

    assertThat(problems).contains(
        "spec.defaultAction: SCMP_ACT_MAYBE is not one of " + enumOf(problems, "spec.defaultAction"),
        "spec.defaultActoin: unknown field",
        "spec.syscalls[0].names: expected a list, got string read");
  }

  @Test
  void refusesAMissingRequiredFieldAndAKindNoCrdServes() {
    Map<String, Object> source = Map.of("apiVersion", "profileops.dev/v1alpha1", "kind", "ProfileSource",
        "metadata", Map.of("name", "s"), "spec", Map.of("ref", Map.of("branch", "main")));
    assertThat(crds.validate(source)).contains("spec.url: required field missing");
    assertThat(crds.validate(Map.of("apiVersion", "security-profiles-operator.x-k8s.io/v1", "kind", "SeccompProfil")))
        .containsExactly("no CRD serves security-profiles-operator.x-k8s.io/v1 SeccompProfil");
  }

  private static String enumOf(List<String> problems, String path) {
    return problems.stream().filter(p -> p.startsWith(path + ":")).findFirst().orElseThrow().replaceFirst(".* is not one of ", "");
  }

  private static Map<String, Object> seccomp(Map<String, Object> spec) {
    return Map.of("apiVersion", "security-profiles-operator.x-k8s.io/v1", "kind", "SeccompProfile",
        "metadata", Map.of("name", "p"), "spec", spec);
  }
}
