package dev.profileops.syncer.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.profileops.api.seccomp.SeccompProfile;
import dev.profileops.api.source.GitRef;
import dev.profileops.api.source.ProfileSource;
import dev.profileops.api.source.ProfileSourceSpec;
import dev.profileops.host.seccomp.LibseccompSyscallTable;
import dev.profileops.syncer.cluster.ObjectWriter;
import dev.profileops.syncer.profilesource.SyncerController;
import dev.profileops.testsupport.GitDaemonServer;
import dev.profileops.testsupport.GitWorkTree;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole controller with a short interval: a pushed commit is applied by the schedule alone, with
 * no webhook and no {@code requestedAt}; a suspended source is left alone.
 */
@EnableKubernetesMockClient(crud = true, kubernetesClientBuilderCustomizer = ScheduledSyncTest.ShortTimeout.class)
class ScheduledSyncTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  KubernetesClient client;
  @TempDir Path workDir;
  private GitDaemonServer git;
  private GitWorkTree work;
  private SyncerController controller;

  public static class ShortTimeout implements Consumer<KubernetesClientBuilder> {
    @Override
    public void accept(KubernetesClientBuilder builder) {
      builder.editOrNewConfig().withRequestTimeout(10_000).endConfig();
    }
  }

  @BeforeEach
  void setUp() throws IOException {
    GitDaemonServer.assumeAvailable();
    try (Stream<Path> crds = Files.list(Path.of("../manifests/crds"))) {
      // The *.yml CRDs only: manifests/crds also holds the Kustomization that lists them.
      for (Path crd : crds.filter(f -> f.toString().endsWith(".yml")).sorted().toList()) {
        try (InputStream in = Files.newInputStream(crd)) {
          client.apiextensions().v1().customResourceDefinitions().load(in).create();
        }
      }
    }
    git = GitDaemonServer.start();
    git.createBareRepo("profiles");
    work = GitWorkTree.init();
    controller = new SyncerController(client, LibseccompSyscallTable.load(), ObjectWriter.createOrReplace(),
        workDir, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), null);
    controller.start();
  }

  @AfterEach
  void tearDown() {
    if (controller != null) {
      controller.stop();
    }
    if (work != null) {
      work.close();
    }
    if (git != null) {
      git.close();
    }
  }

  private static String profile(String name) {
    return "apiVersion: security-profiles-operator.x-k8s.io/v1\nkind: SeccompProfile\nmetadata:\n  name: " + name
        + "\nspec:\n  defaultAction: SCMP_ACT_ERRNO\n  syscalls:\n    - names: [read, write]\n      action: SCMP_ACT_ALLOW\n";
  }

  private String push(String message) throws IOException {
    String commit = work.commitAll(message);
    work.push(git.url("profiles"), "main");
    return commit;
  }

  private ProfileSource get() {
    return client.resources(ProfileSource.class).inNamespace("team-a").withName("profiles").get();
  }

  private String lastApplied() {
    ProfileSource s = get();
    return s.getStatus() == null ? null : s.getStatus().getLastAppliedRevision();
  }

  @Test
  void aPushIsPickedUpByTheScheduleAloneAndASuspendedSourceIsLeftAlone() throws Exception {
    work.write("profiles/a.yaml", profile("a"));
    String first = push("a");
    ProfileSource source = new ProfileSource();
    source.setMetadata(new ObjectMetaBuilder().withNamespace("team-a").withName("profiles").build());
    ProfileSourceSpec spec = new ProfileSourceSpec();
    spec.setUrl(git.url("profiles"));
    GitRef ref = new GitRef();
    ref.setBranch("main");
    spec.setRef(ref);
    spec.setPath("profiles");
    spec.setInterval("2s");
    source.setSpec(spec);
    client.resource(source).create();
    await().atMost(WAIT).until(() -> first.equals(lastApplied()));

    work.write("profiles/b.yaml", profile("b"));
    String second = push("b");
    // no trigger: the next scheduled sync (at most 2.2 s away) fetches and applies it
    await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> second.equals(lastApplied()));
    assertThat(client.resources(SeccompProfile.class).withName("b").get()).isNotNull();

    client.resources(ProfileSource.class).inNamespace("team-a").withName("profiles")
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"suspend\":true}}");
    await().atMost(WAIT).until(() -> get().getStatus().getConditions().stream()
        .anyMatch(c -> "Reconciling".equals(c.getType()) && "Suspended".equals(c.getReason())));
    work.write("profiles/c.yaml", profile("c"));
    push("c");
    Thread.sleep(3000); // more than an interval and its jitter
    assertThat(lastApplied()).isEqualTo(second);
    assertThat(client.resources(SeccompProfile.class).withName("c").get()).isNull();
  }
}
