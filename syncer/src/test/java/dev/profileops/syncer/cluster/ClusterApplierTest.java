package dev.profileops.syncer.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.profileops.api.SpoApi;
import dev.profileops.api.seccomp.SeccompProfile;
import dev.profileops.host.seccomp.LibseccompSyscallTable;
import dev.profileops.syncer.render.ObjectRenderer;
import dev.profileops.syncer.source.LoadResult;
import dev.profileops.syncer.source.RepositoryLoader;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@EnableKubernetesMockClient(crud = true)
class ClusterApplierTest {
  KubernetesClient client;
  @TempDir Path repo;

  private static String profile(String name) {
    return "apiVersion: security-profiles-operator.x-k8s.io/v1\nkind: SeccompProfile\nmetadata:\n  name: " + name
        + "\nspec:\n  defaultAction: SCMP_ACT_ERRNO\n  syscalls:\n    - names: [read]\n      action: SCMP_ACT_ALLOW\n";
  }

  private ClusterApplyResult sync(String revision) {
    LoadResult loaded = new RepositoryLoader(LibseccompSyscallTable.load()).load(repo);
    var objects = new ObjectRenderer().render(loaded.validObjects(), new ObjectRenderer.Stamp("team-a", revision));
    return new ClusterApplier(client, "team-a", ObjectWriter.createOrReplace()).apply(objects, loaded.filesWithErrors(),
        Set.copyOf(loaded.objects().stream().filter(o -> !o.valid()).map(o -> o.id()).toList()), true);
  }

  @Test
  void appliesLabelsPrunesAndNeverTouchesForeignObjects() throws IOException {
    Files.writeString(repo.resolve("a.yaml"), profile("a"));
    Files.writeString(repo.resolve("b.yaml"), profile("b"));
    SeccompProfile foreign = new SeccompProfile();
    foreign.setMetadata(new ObjectMetaBuilder().withName("hand-made").build());
    client.resource(foreign).create();

    assertThat(sync("rev1").applied()).containsExactly("SeccompProfile/a", "SeccompProfile/b");
    SeccompProfile a = client.resources(SeccompProfile.class).withName("a").get();
    assertThat(a.getMetadata().getLabels()).containsEntry(SpoApi.LABEL_SOURCE, "team-a");
    assertThat(a.getMetadata().getAnnotations())
        .containsEntry(SpoApi.ANNOTATION_PATH, "a.yaml").containsEntry(SpoApi.ANNOTATION_REVISION, "rev1");
    assertThat(a.getSpec().getSyscalls().get(0).getNames()).containsExactly("read");

    Files.delete(repo.resolve("b.yaml"));
    Files.writeString(repo.resolve("a.yaml"), "apiVersion: [broken");
    ClusterApplyResult second = sync("rev2");

    assertThat(second.pruned()).containsExactly("SeccompProfile/b");
    assertThat(second.kept()).containsExactly("SeccompProfile/a");
    assertThat(client.resources(SeccompProfile.class).withName("b").get()).isNull();
    assertThat(client.resources(SeccompProfile.class).withName("a").get().getMetadata().getAnnotations())
        .containsEntry(SpoApi.ANNOTATION_REVISION, "rev1");
    assertThat(client.resources(SeccompProfile.class).withName("hand-made").get()).isNotNull();
  }
}
