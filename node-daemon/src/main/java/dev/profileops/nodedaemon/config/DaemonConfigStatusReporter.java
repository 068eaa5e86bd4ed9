package dev.profileops.nodedaemon.config;

import dev.profileops.api.daemon.SecurityProfilesOperatorDaemon;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the {@code spod}'s {@link DaemonConfigStatus} (run by the controller): looks at the config
 * and the node daemon's DaemonSet in the controller's namespace every interval and writes the status
 * only when it says something new, so replicas that both run it write the same thing, rarely.
 */
public final class DaemonConfigStatusReporter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DaemonConfigStatusReporter.class);
  public static final String NODE_DAEMON_SET = "profileops-node-daemon";
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(15);

  private final KubernetesClient client;
  private final String namespace;
  private final String daemonSetName;
  private final Clock clock;
  private ScheduledExecutorService timer;

  public DaemonConfigStatusReporter(KubernetesClient client, String namespace, String daemonSetName, Clock clock) {
    this.client = client;
    this.namespace = namespace;
    this.daemonSetName = daemonSetName;
    this.clock = clock;
  }

  /** One look: the status written, or empty when there is no spod or its status already said it. */
  public Optional<DaemonConfigStatus> report() {
    var configs = client.resources(SecurityProfilesOperatorDaemon.class).inNamespace(namespace);
    SecurityProfilesOperatorDaemon spod = configs.withName(SecurityProfilesOperatorDaemon.SINGLETON_NAME).get();
    if (spod == null) {
      return Optional.empty();
    }
    DaemonSet nodeDaemons = client.apps().daemonSets().inNamespace(namespace).withName(daemonSetName).get();
    DaemonConfigStatus status = DaemonConfigStatus.of(spod.getSpec(), nodeDaemons, daemonSetName);
    if (status.isIn(spod.getStatus())) {
      return Optional.empty();
    }
    spod.setStatus(status.toStatus(spod.getStatus(), clock.instant().toString()));
    configs.resource(spod).updateStatus();
    LOG.info("SecurityProfilesOperatorDaemon {}/{}: {} ({})", namespace, SecurityProfilesOperatorDaemon.SINGLETON_NAME, status.state(),
        status.message());
    return Optional.of(status);
  }

  public synchronized void start(Duration interval) {
    timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "spod-status");
      thread.setDaemon(true);
      return thread;
    });
    timer.scheduleWithFixedDelay(() -> {
      try {
        report();
      } catch (RuntimeException e) {
        // A conflict (the other replica wrote) or the API server away: the next look tries again.
        LOG.debug("spod status not written this time: {}", e.toString());
      }
    }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }
}
