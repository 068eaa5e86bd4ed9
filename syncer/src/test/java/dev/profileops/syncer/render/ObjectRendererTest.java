package dev.profileops.syncer.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.profileops.host.seccomp.FakeSyscallTable;
import dev.profileops.syncer.source.LoadResult;
import dev.profileops.syncer.source.RepositoryLoader;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ObjectRendererTest {
  @TempDir Path repo;

  @Test
  void dropsOtherToolsTrackingKeysAndKeepsTheUsersOwn() throws IOException {
    Files.writeString(repo.resolve("p.yaml"), """
        apiVersion: security-profiles-operator.x-k8s.io/v1
        kind: SeccompProfile
        metadata:
          name: p
          labels:
            team: payments
            app.kubernetes.io/instance: some-argo-app
            kustomize.toolkit.fluxcd.io/name: flux-ks
          annotations:
            argocd.argoproj.io/tracking-id: "app:security-profiles-operator.x-k8s.io/SeccompProfile:/p"
            kubectl.kubernetes.io/last-applied-configuration: "{}"
            owner: "payments@example.com"
        spec:
          defaultAction: SCMP_ACT_ERRNO
        """);
    LoadResult loaded = new RepositoryLoader(FakeSyscallTable.common()).load(repo);
    HasMetadata rendered = new ObjectRenderer().render(loaded.validObjects(), new ObjectRenderer.Stamp("src", "abc")).get(0);

    assertThat(rendered.getMetadata().getLabels()).containsOnlyKeys("team", "app.kubernetes.io/managed-by", "profileops.dev/source");
    assertThat(rendered.getMetadata().getAnnotations()).containsOnlyKeys("owner", "profileops.dev/path", "profileops.dev/revision");
    // The loaded object itself is left as read: the next sync renders from it again.
    assertThat(loaded.validObjects().get(0).resource().getMetadata().getLabels()).containsKey("app.kubernetes.io/instance");
  }
}
