package dev.profileops.integrations.argocd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.profileops.integrations.argocd.HealthScript.Health;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Runs the ProfileSource health script against kstatus-shaped statuses. */
class ProfileSourceHealthTest {
  record Case(String name, String suspend, long generation, String status, String expectedStatus, String expectedMessage) {
    @Override
    public String toString() {
      return name;
    }
  }

  static final String READY = """
        - type: Ready
          status: "True"
          reason: Succeeded
          message: "Applied revision main@sha1:4f2a9c1"
      """;
  static final String STALLED = """
        - type: Stalled
          status: "True"
          reason: AuthenticationFailed
          message: "fetch https://git.example.com/profiles.git: authentication required"
        - type: Ready
          status: "False"
          reason: AuthenticationFailed
          message: "fetch failed"
      """;

  static List<Case> cases() {
    return List.of(
        new Case("no status yet", null, 1, "", "Progressing", "Waiting for the syncer to observe generation 1"),
        new Case("Ready, generation observed", null, 4, status(4, READY), "Healthy", "Applied revision main@sha1:4f2a9c1"),
        new Case("Ready, suspend false", "false", 4, status(4, READY), "Healthy", "Applied revision main@sha1:4f2a9c1"),
        new Case("Ready without message: the applied revision", null, 2, """
            status:
              observedGeneration: 2
              lastAppliedRevision: main@sha1:77aa01b
              conditions:
              - type: Ready
                status: "True"
                reason: Succeeded
            """, "Healthy", "Applied revision main@sha1:77aa01b"),
        new Case("Ready, but for an older generation", null, 5, status(4, READY), "Progressing",
            "Waiting for the syncer to observe generation 5"),
        new Case("Ready, observedGeneration missing", null, 5, "status:\n  conditions:\n" + READY, "Progressing",
            "Waiting for the syncer to observe generation 5"),
        new Case("Stalled", null, 4, status(4, STALLED), "Degraded",
            "fetch https://git.example.com/profiles.git: authentication required"),
        new Case("Stalled wins over an old observedGeneration", null, 5, status(4, STALLED), "Degraded",
            "fetch https://git.example.com/profiles.git: authentication required"),
        new Case("Stalled without message: its reason", null, 1, status(1, """
              - type: Stalled
                status: "True"
                reason: InvalidURL
            """), "Degraded", "InvalidURL"),
        new Case("Stalled False is not stalled", null, 3, status(3, """
              - type: Stalled
                status: "False"
                reason: Succeeded
            """ + READY), "Healthy", "Applied revision main@sha1:4f2a9c1"),
        new Case("suspended", "true", 4, status(4, READY), "Suspended",
            "Suspended (spec.suspend: true): not following the repository"),
        new Case("suspended while stalled", "true", 4, status(4, STALLED), "Suspended",
            "Suspended (spec.suspend: true): not following the repository"),
        new Case("Reconciling", null, 6, status(6, """
              - type: Reconciling
                status: "True"
                reason: Progressing
                message: "fetching main"
              - type: Ready
                status: Unknown
                reason: Progressing
                message: "Reconciliation in progress"
            """), "Progressing", "fetching main"),
        new Case("Ready False, not stalled", null, 6, status(6, """
              - type: Ready
                status: "False"
                reason: ApplyFailed
                message: "seccompprofiles.security-profiles-operator.x-k8s.io is forbidden"
            """), "Progressing", "seccompprofiles.security-profiles-operator.x-k8s.io is forbidden"),
        new Case("observed, no conditions", null, 2, "status:\n  observedGeneration: 2\n", "Progressing", "Waiting for the syncer"));
  }

  static String status(long observedGeneration, String conditions) {
    return "status:\n  observedGeneration: " + observedGeneration + "\n  conditions:\n" + conditions;
  }

  static String source(Case c) {
    String suspend = c.suspend() == null ? "" : "  suspend: " + c.suspend() + "\n";
    return """
        apiVersion: profileops.dev/v1alpha1
        kind: ProfileSource
        metadata:
          name: platform-profiles
          namespace: profileops-system
          generation: %d
        spec:
          url: https://git.example.com/profiles.git
          ref:
            branch: main
          path: profiles
        %s%s""".formatted(c.generation(), suspend, c.status());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void reportsKstatus(Case c) {
    HealthScript script = new HealthScript(Files.healthScripts().resolve("profileops.dev_ProfileSource.lua"));

    Health health = script.run(source(c));

    assertThat(health.status()).isIn(HealthScript.VALID_STATUSES).isEqualTo(c.expectedStatus());
    assertThat(health.message()).isEqualTo(c.expectedMessage());
  }
}
