package dev.profileops.nodedaemon.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.profileops.api.common.ProfileState;
import dev.profileops.api.daemon.SecurityProfilesOperatorDaemon;
import dev.profileops.api.nodestatus.SecurityProfileNodeStatus;
import dev.profileops.api.seccomp.SeccompProfile;
import dev.profileops.api.seccomp.SeccompProfileSpec;
import dev.profileops.nodedaemon.MockCrds;
import dev.profileops.nodedaemon.NodeDaemon;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code security} section of the daemon config {@code spod}: enforced when a profile is installed,
 * with the reason in the node status, and a changed config applies without restarting the daemon.
 */
@EnableKubernetesMockClient(crud = true)
class DaemonConfigTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  KubernetesClient client;
  @TempDir Path kubeletDir;
  private NodeDaemon daemon;

  @AfterEach
  void stop() {
    if (daemon != null) {
      daemon.stop();
    }
  }

  @Test
  void refusesWhatTheConfigDoesNotAllowAndInstallsItOnceTheConfigDoes() {
    MockCrds.create(client, SeccompProfile.class, SecurityProfileNodeStatus.class, SecurityProfilesOperatorDaemon.class);
    client.resource(config("[read, write, exit_group]", "[SCMP_ACT_ALLOW, SCMP_ACT_ERRNO]")).create();
    client.resource(profile("web", "SCMP_ACT_ERRNO", "[read, write, execve]")).create();
    client.resource(profile("small", "SCMP_ACT_ERRNO", "[read, write]")).create();
    client.resource(profile("logger", "SCMP_ACT_LOG", "[read]")).create();
    daemon = new NodeDaemon(client, "worker-1", kubeletDir);
    daemon.start();

    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(state("web")).isEqualTo(ProfileState.Error);
      assertThat(message("web"))
          .contains("refused by the daemon config spod: syscalls execve are allowed by the profile but not in security.allowedSyscalls");
      assertThat(message("logger"))
          .contains("actions SCMP_ACT_LOG are not in security.allowedSeccompActions");
      assertThat(state("small")).isEqualTo(ProfileState.Installed);
    });
    assertThat(kubeletDir.resolve("seccomp/operator/web.json")).doesNotExist();
    assertThat(kubeletDir.resolve("seccomp/operator/logger.json")).doesNotExist();
    assertThat(kubeletDir.resolve("seccomp/operator/small.json")).exists();

    client.resource(config("[read, write, exit_group, execve]", "[SCMP_ACT_ALLOW, SCMP_ACT_ERRNO]")).update();

    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(kubeletDir.resolve("seccomp/operator/web.json")).exists();
      assertThat(state("web")).isEqualTo(ProfileState.Installed);
    });
    assertThat(state("logger")).isEqualTo(ProfileState.Error);
  }

  @Test
  void anEmptyListRestrictsNothing() {
    SeccompProfileSpec spec = profile("p", "SCMP_ACT_LOG", "[anything]").getSpec();
    assertThat(SeccompPolicy.UNRESTRICTED.violation(spec)).isEmpty();
    assertThat(new SeccompPolicy(java.util.Set.of("read"), java.util.Set.of()).violation(profile("p", "SCMP_ACT_KILL", "[]").getSpec())).isEmpty();
  }

  private ProfileState state(String profile) {
    SecurityProfileNodeStatus status = client.resources(SecurityProfileNodeStatus.class).withName(profile + "-worker-1").get();
    return status == null || status.getStatus() == null ? null : status.getStatus().getStatus();
  }

  private String message(String profile) {
    SecurityProfileNodeStatus status = client.resources(SecurityProfileNodeStatus.class).withName(profile + "-worker-1").get();
    return status == null || status.getStatus() == null ? null : status.getStatus().getMessage();
  }

  private SecurityProfilesOperatorDaemon config(String syscalls, String actions) {
    SecurityProfilesOperatorDaemon config = Serialization.unmarshal("""
        apiVersion: security-profiles-operator.x-k8s.io/v1
        kind: SecurityProfilesOperatorDaemon
        metadata: {name: spod, namespace: %s}
        spec:
          security: {allowedSyscalls: %s, allowedSeccompActions: %s}
        """.formatted(client.getNamespace(), syscalls, actions), SecurityProfilesOperatorDaemon.class);
    return config;
  }

  private static SeccompProfile profile(String name, String defaultAction, String allowed) {
    return Serialization.unmarshal("""
        apiVersion: security-profiles-operator.x-k8s.io/v1
        kind: SeccompProfile
        metadata: {name: %s}
        spec:
          defaultAction: %s
          syscalls: [{action: SCMP_ACT_ALLOW, names: %s}]
        """.formatted(name, defaultAction, allowed), SeccompProfile.class);
  }
}
