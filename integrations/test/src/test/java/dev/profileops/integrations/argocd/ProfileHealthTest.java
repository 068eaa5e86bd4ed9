package dev.profileops.integrations.argocd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.profileops.integrations.argocd.HealthScript.Health;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Runs the health script of each SPO profile kind against objects in every state a profile reports. */
class ProfileHealthTest {
  static final String GROUP = "security-profiles-operator.x-k8s.io";
  static final List<String> KINDS = List.of("SeccompProfile", "SelinuxProfile", "RawSelinuxProfile", "AppArmorProfile");

  /** One state of a profile: its status block (YAML, may be empty) and the health Argo CD should show. */
  record Case(String name, String status, String expectedStatus, String expectedMessage) {
    @Override
    public String toString() {
      return name;
    }
  }

  static final List<Case> CASES = List.of(
      new Case("no status yet", "", "Progressing", "Waiting for the nodes to report"),
      new Case("empty status", "status: {}", "Progressing", "Waiting for the nodes to report"),
      new Case("Installed, Ready message", """
          status:
            status: Installed
            conditions:
            - type: Ready
              status: "True"
              reason: Installed
              message: installed on 3 of 3 nodes
          """, "Healthy", "installed on 3 of 3 nodes"),
      new Case("Installed, no message", """
          status:
            status: Installed
            conditions:
            - type: Ready
              status: "True"
              reason: Installed
          """, "Healthy", "Installed on every node"),
      new Case("Installed, no conditions", "status:\n  status: Installed\n", "Healthy", "Installed on every node"),
      new Case("Pending", """
          status:
            status: Pending
            conditions:
            - type: Ready
              status: "False"
              reason: Pending
              message: 1 of 3 nodes have not reported
          """, "Progressing", "1 of 3 nodes have not reported"),
      new Case("Pending, no conditions", "status:\n  status: Pending\n", "Progressing", "Pending: not installed on every node yet"),
      new Case("InProgress", """
          status:
            status: InProgress
            conditions:
            - type: Ready
              status: "False"
              reason: InProgress
              message: installing on node-b
          """, "Progressing", "installing on node-b"),
      new Case("InProgress, no conditions", "status:\n  status: InProgress\n", "Progressing", "Being installed on the nodes"),
      new Case("Terminating", "status:\n  status: Terminating\n", "Progressing", "Being removed from the nodes"),
      new Case("Error, the Ready condition's message", """
          status:
            status: Error
            conditions:
            - type: Synced
              status: "True"
              message: not this one
            - type: Ready
              status: "False"
              reason: Error
              lastTransitionTime: "2025-01-01T00:00:00Z"
              message: "node-b: cannot write /var/lib/kubelet/seccomp/operator/web-server.json: read-only file system"
          """, "Degraded", "node-b: cannot write /var/lib/kubelet/seccomp/operator/web-server.json: read-only file system"),
      new Case("Error, no conditions", "status:\n  status: Error\n", "Degraded", "Error on at least one node"),
      new Case("Error, empty Ready message", """
          status:
            status: Error
            conditions:
            - type: Ready
              status: "False"
              reason: Error
              message: ""
          """, "Degraded", "Error on at least one node"),
      new Case("Disabled", """
          status:
            status: Disabled
            conditions:
            - type: Ready
              status: "False"
              reason: Disabled
          """, "Suspended", "Disabled (spec.state: Disabled): installed on no node"),
      new Case("Partial", "status:\n  status: Partial\n", "Suspended",
          "Partial recording (label spo.x-k8s.io/partial): installed on no node"),
      new Case("a state this script does not know", "status:\n  status: Frobnicated\n", "Unknown",
          "Unknown profile state: Frobnicated"));

  static Stream<Arguments> kindsAndCases() {
    List<Arguments> all = new ArrayList<>();
    for (String kind : KINDS) {
      for (Case c : CASES) {
        all.add(Arguments.of(kind, c));
      }
    }
    return all.stream();
  }

  static HealthScript script(String kind) {
    return new HealthScript(Files.healthScripts().resolve(GROUP + "_" + kind + ".lua"));
  }

  static String profile(String kind, String status) {
    return """
        apiVersion: security-profiles-operator.x-k8s.io/v1
        kind: %s
        metadata:
          name: web-server
          generation: 3
          labels:
            app.kubernetes.io/managed-by: profileops
          annotations:
            profileops.dev/path: profiles/web-server.yaml
          finalizers:
          - node-a-deleted
        spec:
          state: Enabled
        %s""".formatted(kind, status);
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("kindsAndCases")
  void reportsTheProfileState(String kind, Case c) {
    Health health = script(kind).run(profile(kind, c.status()));

    assertThat(health.status()).as(c.name()).isIn(HealthScript.VALID_STATUSES).isEqualTo(c.expectedStatus());
    assertThat(health.message()).as(c.name()).isEqualTo(c.expectedMessage());
  }

  @Test
  void everyProfileKindHasTheSameRules() {
    // One script per argocd-cm key; they differ only in the comments naming their kind.
    String first = withoutComments(Files.read(Files.healthScripts().resolve(GROUP + "_" + KINDS.get(0) + ".lua")));
    for (String kind : KINDS) {
      assertThat(withoutComments(Files.read(Files.healthScripts().resolve(GROUP + "_" + kind + ".lua")))).as(kind).isEqualTo(first);
    }
  }

  @Test
  void theSandboxHasNoStringLibraryLikeArgoCd() {
    // Guards the test itself: a script that used string.* would pass here only if Argo CD had it too.
    HealthScript usesString = new HealthScript("uses-string.lua", "return {status = string.upper('healthy')}");
    assertThatThrownBy(() -> usesString.run("kind: SeccompProfile")).hasMessageContaining("string");
  }

  private static String withoutComments(String lua) {
    return lua.lines().filter(l -> !l.startsWith("--")).reduce("", (a, b) -> a + b + "\n");
  }
}
