package dev.profileops.syncer.profilesource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.profileops.api.seccomp.SeccompProfile;
import dev.profileops.api.source.ProfileSource;
import dev.profileops.api.source.ProfileSourceSpec;
import dev.profileops.host.seccomp.LibseccompSyscallTable;
import dev.profileops.syncer.cluster.ObjectWriter;
import dev.profileops.testsupport.GitDaemonServer;
import dev.profileops.testsupport.GitWorkTree;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two syncer replicas with leader election: only the one holding the lease syncs (and so writes). */
@EnableKubernetesMockClient(crud = true, kubernetesClientBuilderCustomizer = ControllerTestSupport.ShortTimeout.class)
class LeaderElectionTest {
  KubernetesClient client;
  KubernetesMockServer server;
  @TempDir Path workDir;

  private static double syncs(PrometheusMeterRegistry registry) {
    return registry.find("profileops_sync_duration").timers().stream().mapToLong(t -> t.count()).sum();
  }

  @Test
  void onlyTheLeaderSyncs() throws IOException {
    GitDaemonServer.assumeAvailable();
    // JOSDK checks that it may use leases before electing; the CRUD mock cannot answer that review.
    server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
        .andReturn(201, new SelfSubjectRulesReviewBuilder().withNewStatus()
            .addNewResourceRule().withApiGroups("coordination.k8s.io").withResources("leases").withVerbs("*").endResourceRule()
            .endStatus().build()).always();
    ControllerTestSupport.createCrds(client);
    try (GitDaemonServer git = GitDaemonServer.start(); GitWorkTree work = GitWorkTree.init()) {
      git.createBareRepo("profiles");
      work.write("p/a.yaml", ControllerTestSupport.profile("a", "SCMP_ACT_ALLOW"));
      work.commitAll("one");
      work.push(git.url("profiles"), "main");
      PrometheusMeterRegistry first = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      PrometheusMeterRegistry second = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      SyncerController a = new SyncerController(client, LibseccompSyscallTable.load(), ObjectWriter.createOrReplace(),
          workDir.resolve("a"), first, "default", "replica-a", false);
      SyncerController b = new SyncerController(client, LibseccompSyscallTable.load(), ObjectWriter.createOrReplace(),
          workDir.resolve("b"), second, "default", "replica-b", false);
      try {
        a.start();
        b.start();
        ProfileSource source = new ProfileSource();
        source.setMetadata(new ObjectMetaBuilder().withNamespace("team").withName("src").build());
        ProfileSourceSpec spec = new ProfileSourceSpec();
        spec.setUrl(git.url("profiles"));
        spec.setPath("p");
        spec.setInterval("1h");
        source.setSpec(spec);
        client.resource(source).create();

        await().atMost(Duration.ofSeconds(30)).until(() -> client.resources(SeccompProfile.class).withName("a").get() != null);
        await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> true);
        assertThat(syncs(first) + syncs(second)).isPositive();
        assertThat(syncs(first) == 0 || syncs(second) == 0).as("one replica never synced").isTrue();
        assertThat(client.leases().inNamespace("default").withName(SyncerController.LEASE_NAME).get().getSpec().getHolderIdentity())
            .isIn("replica-a", "replica-b");
      } finally {
        a.stop();
        b.stop();
      }
    }
  }
}
