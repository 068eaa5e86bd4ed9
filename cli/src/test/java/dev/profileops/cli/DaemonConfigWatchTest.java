package dev.profileops.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.profileops.api.daemon.DaemonSpec;
import dev.profileops.api.daemon.SecurityProfilesOperatorDaemon;
import dev.profileops.cli.logging.LogVerbosity;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Changing the spod's verbosity in the mock API server switches what our loggers write, in the running
 * process: a debug line is dropped at 0 and written at 1, and deleting the spod brings back 0.
 */
@EnableKubernetesMockClient(crud = true)
class DaemonConfigWatchTest {
  KubernetesClient client;
  final Logger ours = (Logger) LoggerFactory.getLogger("dev.profileops.nodedaemon.SomeReconciler");
  final ListAppender<ILoggingEvent> written = new ListAppender<>();

  @BeforeEach
  void capture() {
    LogVerbosity.apply(0);
    written.start();
    ours.addAppender(written);
  }

  @AfterEach
  void release() {
    ours.detachAppender(written);
    LogVerbosity.apply(0);
  }

  @Test
  void verbositySwitchesDebugLoggingWithoutRestart() {
    try (DaemonConfigWatch watch = DaemonConfigWatch.start(client, "profileops", List.of(spec -> LogVerbosity.apply(spec.getVerbosity())))) {
      ours.debug("before");
      SecurityProfilesOperatorDaemon spod = spod(1);
      client.resource(spod).create();
      await().until(() -> ((Logger) LoggerFactory.getLogger(LogVerbosity.LOGGER)).getLevel() == Level.DEBUG);
      ours.debug("at verbosity 1");

      spod = client.resources(SecurityProfilesOperatorDaemon.class).inNamespace("profileops").withName("spod").get();
      spod.getSpec().setVerbosity(0);
      client.resource(spod).update();
      await().until(() -> ((Logger) LoggerFactory.getLogger(LogVerbosity.LOGGER)).getLevel() == Level.INFO);
      ours.debug("back at 0");

      assertThat(written.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly("at verbosity 1");
      client.resource(spod(1)).update();
      await().until(() -> ((Logger) LoggerFactory.getLogger(LogVerbosity.LOGGER)).getLevel() == Level.DEBUG);
      client.resources(SecurityProfilesOperatorDaemon.class).inNamespace("profileops").withName("spod").delete();
      await().until(() -> ((Logger) LoggerFactory.getLogger(LogVerbosity.LOGGER)).getLevel() == Level.INFO);
    }
  }

  @Test
  void aVerbosityOtherThanZeroOrOneIsRefusedAndTheLevelStays() {
    LogVerbosity.apply(1);
    try {
      LogVerbosity.apply(3);
      throw new AssertionError("verbosity 3 was accepted");
    } catch (IllegalArgumentException e) {
      assertThat(e.getMessage()).contains("spec.verbosity", "3");
    }
    assertThat(((Logger) LoggerFactory.getLogger(LogVerbosity.LOGGER)).getLevel()).isEqualTo(Level.DEBUG);
  }

  private static SecurityProfilesOperatorDaemon spod(int verbosity) {
    SecurityProfilesOperatorDaemon spod = new SecurityProfilesOperatorDaemon();
    spod.setMetadata(new ObjectMetaBuilder().withName("spod").withNamespace("profileops").build());
    spod.setSpec(new DaemonSpec());
    spod.getSpec().setVerbosity(verbosity);
    return spod;
  }
}
