package dev.profileops.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.profileops.api.common.ProfileState;
import dev.profileops.api.nodestatus.SecurityProfileNodeStatus;
import dev.profileops.api.seccomp.SeccompProfile;
import dev.profileops.host.seccomp.LibseccompSyscallTable;
import dev.profileops.nodedaemon.NodeDaemon;
import dev.profileops.syncer.cluster.ClusterApplier;
import dev.profileops.syncer.render.ObjectRenderer;
import dev.profileops.syncer.source.LoadResult;
import dev.profileops.syncer.source.RepositoryLoader;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Syncer and node daemon against one mock API server, with the CRDs the build generated: the
 * repository's profiles end up as files on the node, and a profile deleted from git leaves nothing.
 */
@EnableKubernetesMockClient(crud = true, kubernetesClientBuilderCustomizer = ClusterModeTest.ShortRequestTimeout.class)
class ClusterModeTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  KubernetesClient client;
  @TempDir Path repo;
  @TempDir Path kubeletDir;
  private NodeDaemon daemon;

  public static class ShortRequestTimeout implements Consumer<KubernetesClientBuilder> {
    @Override
    public void accept(KubernetesClientBuilder builder) {
      builder.editOrNewConfig().withRequestTimeout(10_000).endConfig();
    }
  }

  @BeforeEach
  void setUp() throws IOException {
    TestCrds.createIn(client);
    try (Stream<Path> files = Files.walk(Path.of("../repo-template"))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Path target = repo.resolve(Path.of("../repo-template").relativize(f).toString());
        Files.createDirectories(target.getParent());
        Files.copy(f, target);
      }
    }
    daemon = new NodeDaemon(client, "worker-1", kubeletDir);
    daemon.start();
  }

  @AfterEach
  void tearDown() {
    if (daemon != null) {
      daemon.stop();
    }
  }

  private void sync() {
    LoadResult loaded = new RepositoryLoader(LibseccompSyscallTable.load()).load(repo);
    assertThat(loaded.errors()).isEmpty();
    var objects = new ObjectRenderer().render(loaded.validObjects(), new ObjectRenderer.Stamp("platform", "c0ffee"));
    new ClusterApplier(client, "platform", dev.profileops.syncer.cluster.ObjectWriter.createOrReplace()).apply(objects, Set.of(), Set.of(), true);
  }

  @Test
  void generatedCrdsCarryShortNamesAndPrinterColumns() {
    CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions()
        .withName("seccompprofiles.security-profiles-operator.x-k8s.io").get();
    assertThat(crd.getSpec().getScope()).isEqualTo("Cluster");
    assertThat(crd.getSpec().getNames().getShortNames()).contains("sp");
    assertThat(crd.getSpec().getVersions().get(0).getAdditionalPrinterColumns())
        .extracting(c -> c.getName()).contains("Status", "Age");
  }

  @Test
  void profilesFromGitAreInstalledOnTheNodeAndRemovedWhenDeletedFromGit() throws IOException {
    sync();
    Path shellTools = kubeletDir.resolve("seccomp/operator/shell-tools.json");
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(shellTools).exists();
      // The base profile's syscalls are merged in by the node daemon.
      assertThat(Files.readString(shellTools)).contains("\"mkdir\"", "\"execve\"").doesNotContain("baseProfileName");
      SecurityProfileNodeStatus status = client.resources(SecurityProfileNodeStatus.class).withName("shell-tools-worker-1").get();
      assertThat(status).isNotNull();
      assertThat(status.getStatus()).isNotNull();
      assertThat(status.getStatus().getStatus()).isEqualTo(ProfileState.Installed);
      SeccompProfile profile = client.resources(SeccompProfile.class).withName("shell-tools").get();
      assertThat(profile.getStatus()).isNotNull();
      assertThat(profile.getStatus().getLocalhostProfile()).isEqualTo("operator/shell-tools.json");
      assertThat(profile.getStatus().getStatus()).isEqualTo(ProfileState.Installed);
      assertThat(profile.getMetadata().getFinalizers()).containsExactly(NodeDaemon.finalizerFor("worker-1"));
    });

    Files.delete(repo.resolve("seccomp/shell-tools.yaml"));
    sync();

    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(shellTools).doesNotExist();
      assertThat(client.resources(SeccompProfile.class).withName("shell-tools").get()).isNull();
      assertThat(client.resources(SecurityProfileNodeStatus.class).withName("shell-tools-worker-1").get()).isNull();
    });
    assertThat(kubeletDir.resolve("seccomp/operator/web-server.json")).exists();
  }
}
