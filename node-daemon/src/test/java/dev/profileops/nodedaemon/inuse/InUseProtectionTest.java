package dev.profileops.nodedaemon.inuse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.profileops.api.common.ProfileState;
import dev.profileops.api.nodestatus.SecurityProfileNodeStatus;
import dev.profileops.api.seccomp.SeccompProfile;
import dev.profileops.nodedaemon.NodeDaemon;
import dev.profileops.nodedaemon.MockCrds;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A profile deleted while a running pod uses it stays, with its file on the node, until the pod is
 * gone: the controller's InUseProtection and a real node daemon against one mock API server.
 */
@EnableKubernetesMockClient(crud = true)
class InUseProtectionTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  KubernetesClient client;
  @TempDir Path kubeletDir;
  private NodeDaemon daemon;
  private InUseProtection controller;

  @BeforeEach
  void start() {
    MockCrds.create(client, SeccompProfile.class, SecurityProfileNodeStatus.class);
    daemon = new NodeDaemon(client, "worker-1", kubeletDir);
    daemon.start();
    controller = new InUseProtection(client);
    controller.start();
  }

  @AfterEach
  void stop() {
    controller.close();
    daemon.stop();
  }

  @Test
  void aProfileInUseKeepsItsFileUntilThePodsAreGone() {
    client.resource(profile("web")).create();
    client.resource(profile("unused")).create();
    Path file = kubeletDir.resolve("seccomp/operator/web.json");
    await().atMost(WAIT).until(() -> file.toFile().exists() && kubeletDir.resolve("seccomp/operator/unused.json").toFile().exists());

    client.resource(pod("web-1", "Running", "operator/web.json")).create();
    client.resource(pod("batch-1", "Succeeded", "operator/web.json")).create();
    await().atMost(WAIT).untilAsserted(() -> {
      SeccompProfile web = client.resources(SeccompProfile.class).withName("web").get();
      assertThat(web.getMetadata().getFinalizers()).contains(InUseProtection.FINALIZER);
      assertThat(web.getStatus().getActiveWorkloads()).containsExactly("shop/web-1");
    });

    client.resources(SeccompProfile.class).withName("web").delete();
    client.resources(SeccompProfile.class).withName("unused").delete();
    // The node daemon has seen the deletion (it says Terminating), and kept the file.
    await().atMost(WAIT).untilAsserted(() -> assertThat(nodeState("web")).isEqualTo(ProfileState.Terminating));
    assertThat(file).exists();
    assertThat(client.resources(SeccompProfile.class).withName("web").get().isMarkedForDeletion()).isTrue();
    // A profile nobody uses goes at once, file and all.
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(client.resources(SeccompProfile.class).withName("unused").get()).isNull();
      assertThat(kubeletDir.resolve("seccomp/operator/unused.json")).doesNotExist();
    });

    client.pods().inNamespace("shop").withName("web-1").delete();

    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(client.resources(SeccompProfile.class).withName("web").get()).isNull();
      assertThat(file).doesNotExist();
    });
  }

  @Test
  void findsTheProfilesOfPodAndContainersButNotOthers() {
    Pod pod = Serialization.unmarshal("""
        {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "shop"},
         "spec": {"securityContext": {"seccompProfile": {"type": "Localhost", "localhostProfile": "operator/pod-level.json"}},
                  "initContainers": [{"name": "i", "image": "x", "securityContext": {"seccompProfile": {"type": "Localhost", "localhostProfile": "operator/init.json"}}}],
                  "containers": [{"name": "a", "image": "x", "securityContext": {"seccompProfile": {"type": "RuntimeDefault"}}},
                                 {"name": "b", "image": "x", "securityContext": {"seccompProfile": {"type": "Localhost", "localhostProfile": "custom/other.json"}}},
                                 {"name": "c", "image": "x", "securityContext": {"seccompProfile": {"type": "Localhost", "localhostProfile": "operator/app.json"}}}]}}""",
        Pod.class);

    assertThat(InUseProtection.profileNamesUsedBy(pod)).containsExactlyInAnyOrder("pod-level", "init", "app");
  }

  private ProfileState nodeState(String profile) {
    SecurityProfileNodeStatus status = client.resources(SecurityProfileNodeStatus.class).withName(profile + "-worker-1").get();
    return status == null || status.getStatus() == null ? null : status.getStatus().getStatus();
  }

  private static SeccompProfile profile(String name) {
    return Serialization.unmarshal("""
        {"apiVersion": "security-profiles-operator.x-k8s.io/v1", "kind": "SeccompProfile", "metadata": {"name": "%s"},
         "spec": {"defaultAction": "SCMP_ACT_LOG"}}""".formatted(name), SeccompProfile.class);
  }

  private static Pod pod(String name, String phase, String localhostProfile) {
    return Serialization.unmarshal("""
        {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "%s", "namespace": "shop"},
         "spec": {"containers": [{"name": "app", "image": "nginx:1",
                  "securityContext": {"seccompProfile": {"type": "Localhost", "localhostProfile": "%s"}}}]},
         "status": {"phase": "%s"}}""".formatted(name, localhostProfile, phase), Pod.class);
  }
}
