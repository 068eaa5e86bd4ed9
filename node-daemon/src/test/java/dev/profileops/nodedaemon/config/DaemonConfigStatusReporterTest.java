package dev.profileops.nodedaemon.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.profileops.api.daemon.DaemonSpec;
import dev.profileops.api.daemon.DaemonStatus;
import dev.profileops.api.daemon.SecurityProfilesOperatorDaemon;
import dev.profileops.nodedaemon.MockCrds;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The controller's view of the spod written into its status, against the mock API server: PENDING
 * without node daemons, IN-PROGRESS while they roll out, RUNNING when all are ready, ERROR for a config
 * that cannot apply; written only when it changes.
 */
@EnableKubernetesMockClient(crud = true)
class DaemonConfigStatusReporterTest {
  static final String NAMESPACE = "profileops";
  KubernetesClient client;
  DaemonConfigStatusReporter reporter;

  @BeforeEach
  void crds() {
    MockCrds.create(client, SecurityProfilesOperatorDaemon.class);
    reporter = new DaemonConfigStatusReporter(client, NAMESPACE, DaemonConfigStatusReporter.NODE_DAEMON_SET,
        Clock.fixed(Instant.parse("2026-11-29T22:00:00Z"), ZoneOffset.UTC));
  }

  @Test
  void followsTheNodeDaemonsFromPendingThroughInProgressToRunning() {
    client.resource(spod(0)).create();

    assertThat(reporter.report()).map(DaemonConfigStatus::state).contains(DaemonConfigStatus.PENDING);
    assertThat(status().getState()).isEqualTo("PENDING");
    assertThat(status().getConditions()).singleElement().satisfies(c -> {
      assertThat(c.getType()).isEqualTo("Ready");
      assertThat(c.getStatus()).isEqualTo("False");
      assertThat(c.getMessage()).contains("profileops-node-daemon");
    });
    assertThat(reporter.report()).as("nothing new: nothing written").isEmpty();

    client.resource(daemonSet(3, 1, 3)).create();
    assertThat(reporter.report()).map(DaemonConfigStatus::state).contains(DaemonConfigStatus.IN_PROGRESS);
    assertThat(status().getConditions().get(0).getMessage()).isEqualTo("1 of 3 node daemons ready, 3 updated");

    client.apps().daemonSets().inNamespace(NAMESPACE).resource(daemonSet(3, 3, 3)).updateStatus();
    assertThat(reporter.report()).map(DaemonConfigStatus::state).contains(DaemonConfigStatus.RUNNING);
    assertThat(status().getState()).isEqualTo("RUNNING");
    assertThat(status().getConditions().get(0).getStatus()).isEqualTo("True");
  }

  @Test
  void aVerbosityOtherThanZeroOrOneIsAnError() {
    client.resource(spod(2)).create();
    client.resource(daemonSet(1, 1, 1)).create();

    assertThat(reporter.report()).map(DaemonConfigStatus::state).contains(DaemonConfigStatus.ERROR);
    assertThat(status().getConditions().get(0).getMessage()).isEqualTo("spec.verbosity: 2 is not 0 or 1");
  }

  @Test
  void withoutASpodThereIsNothingToReport() {
    assertThat(reporter.report()).isEmpty();
  }

  private DaemonStatus status() {
    return client.resources(SecurityProfilesOperatorDaemon.class).inNamespace(NAMESPACE).withName("spod").get().getStatus();
  }

  private static SecurityProfilesOperatorDaemon spod(int verbosity) {
    SecurityProfilesOperatorDaemon spod = new SecurityProfilesOperatorDaemon();
    spod.setMetadata(new ObjectMetaBuilder().withName("spod").withNamespace(NAMESPACE).build());
    spod.setSpec(new DaemonSpec());
    spod.getSpec().setVerbosity(verbosity);
    return spod;
  }

  private static DaemonSet daemonSet(int desired, int ready, int updated) {
    return new DaemonSetBuilder().withNewMetadata().withName("profileops-node-daemon").withNamespace(NAMESPACE).endMetadata()
        .withNewSpec().withNewSelector().addToMatchLabels("app", "node-daemon").endSelector().endSpec()
        .withNewStatus().withDesiredNumberScheduled(desired).withNumberReady(ready).withUpdatedNumberScheduled(updated)
        .withCurrentNumberScheduled(desired).withNumberMisscheduled(0).endStatus().build();
  }
}
