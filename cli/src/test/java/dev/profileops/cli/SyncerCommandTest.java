package dev.profileops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.profileops.api.SpoApi;
import dev.profileops.api.binding.ProfileBinding;
import dev.profileops.api.seccomp.SeccompProfile;
import dev.profileops.testsupport.GitWorkTree;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./profileops syncer} as a command, against the mock API server found through client config. */
@EnableKubernetesMockClient(crud = true)
class SyncerCommandTest {
  KubernetesClient client;
  @TempDir Path workDir;

  @AfterEach
  void clearClientConfig() {
    System.clearProperty(Config.KUBERNETES_MASTER_SYSTEM_PROPERTY);
    System.clearProperty(Config.KUBERNETES_TRUST_CERT_SYSTEM_PROPERTY);
    System.clearProperty(Config.KUBERNETES_NAMESPACE_SYSTEM_PROPERTY);
    System.clearProperty(Config.KUBERNETES_AUTH_TRYKUBECONFIG_SYSTEM_PROPERTY);
  }

  @Test
  void appliesTheRepositoryAndReportsErrorsWithExitOne() throws IOException {
    System.setProperty(Config.KUBERNETES_MASTER_SYSTEM_PROPERTY, client.getMasterUrl().toString());
    System.setProperty(Config.KUBERNETES_TRUST_CERT_SYSTEM_PROPERTY, "true");
    System.setProperty(Config.KUBERNETES_NAMESPACE_SYSTEM_PROPERTY, "profiles");
    System.setProperty(Config.KUBERNETES_AUTH_TRYKUBECONFIG_SYSTEM_PROPERTY, "false");
    try (GitWorkTree work = GitWorkTree.init()) {
      work.write("p/app.yaml", SyncFromGitServerTest.profile("app", "SCMP_ACT_ALLOW"));
      work.write("p/binding.yaml", """
          apiVersion: security-profiles-operator.x-k8s.io/v1alpha1
          kind: ProfileBinding
          metadata: {name: app}
          spec:
            profileRef: {kind: SeccompProfile, name: app}
            image: nginx:1.27
          """);
      work.write("p/bad.yaml", SyncFromGitServerTest.profile("bad", "SCMP_ACT_NEVER"));
      String commit = work.commitAll("profiles");

      ConsoleCapture.Run run = ConsoleCapture.run("syncer", "--repo", work.dir().toString(), "--path", "p",
          "--source", "team", "--work-dir", workDir.toString(), "--apply", "replace", "--once");

      assertThat(run.exitCode()).as(run.stderr()).isEqualTo(1);
      assertThat(run.stderr()).contains("bad.yaml:9: spec.syscalls[0].action: unknown value \"SCMP_ACT_NEVER\"");
      SeccompProfile app = client.resources(SeccompProfile.class).withName("app").get();
      assertThat(app.getMetadata().getLabels()).containsEntry(SpoApi.LABEL_SOURCE, "team");
      assertThat(app.getMetadata().getAnnotations()).containsEntry(SpoApi.ANNOTATION_REVISION, commit);
      assertThat(client.resources(SeccompProfile.class).withName("bad").get()).isNull();
      assertThat(client.resources(ProfileBinding.class).inNamespace("profiles").withName("app").get()).isNotNull();
    }
  }
}
