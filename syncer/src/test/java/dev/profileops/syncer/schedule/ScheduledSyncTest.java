package dev.profileops.syncer.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.profileops.api.seccomp.SeccompProfile;
import dev.profileops.api.source.ProfileSource;
import dev.profileops.syncer.profilesource.ControllerTestSupport;
import dev.profileops.syncer.profilesource.SyncerController;
import dev.profileops.testsupport.GitDaemonServer;
import dev.profileops.testsupport.GitWorkTree;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole controller with a short interval: a pushed commit is applied by the schedule alone, with
 * no webhook and no {@code requestedAt}; a suspended source is left alone.
 */
@EnableKubernetesMockClient(crud = true, kubernetesClientBuilderCustomizer = ControllerTestSupport.ShortTimeout.class)
class ScheduledSyncTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  KubernetesClient client;
  @TempDir Path workDir;
  private GitDaemonServer git;
  private GitWorkTree work;
  private SyncerController controller;

  @BeforeEach
  void setUp() throws IOException {
    GitDaemonServer.assumeAvailable();
    ControllerTestSupport.createCrds(client);
    git = GitDaemonServer.start();
    git.createBareRepo("profiles");
    work = GitWorkTree.init();
    controller = ControllerTestSupport.startController(client, workDir, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
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
    return ControllerTestSupport.profile(name, "SCMP_ACT_ALLOW");
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
    client.resource(ControllerTestSupport.source("team-a", "profiles", git.url("profiles"), "2s")).create();
    await().atMost(WAIT).until(() -> first.equals(lastApplied()));

    work.write("profiles/b.yaml", profile("b"));
    String second = push("b");
    // no trigger: the next scheduled sync (at most 2.2 s away) fetches and applies it
    await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> second.equals(lastApplied()));
    assertThat(client.resources(SeccompProfile.class).withName("b").get()).isNotNull();

    ControllerTestSupport.mergePatch(client, "team-a", "profiles", "{\"spec\":{\"suspend\":true}}");
    await().atMost(WAIT).until(() -> get().getStatus().getConditions().stream()
        .anyMatch(c -> "Reconciling".equals(c.getType()) && "Suspended".equals(c.getReason())));
    work.write("profiles/c.yaml", profile("c"));
    push("c");
    Thread.sleep(3000); // more than an interval and its jitter
    assertThat(lastApplied()).isEqualTo(second);
    assertThat(client.resources(SeccompProfile.class).withName("c").get()).isNull();
  }
}
