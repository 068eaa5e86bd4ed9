package dev.profileops.syncer.profilesource;

import dev.profileops.host.seccomp.SyscallTable;
import dev.profileops.syncer.cluster.ObjectWriter;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The syncer in cluster mode: one reconciler for ProfileSources. With leader election on, only the
 * replica holding the lease reconciles (and so writes); the others wait.
 */
public final class SyncerController implements AutoCloseable {
  public static final String LEASE_NAME = "profileops-syncer";

  private final Operator operator;

  /**
   * @param leaseNamespace namespace of the leader-election lease; null to run without leader election
   */
  public SyncerController(KubernetesClient client, SyscallTable syscalls, ObjectWriter writer, Path workDir,
      MeterRegistry metrics, String leaseNamespace) {
    this(client, syscalls, writer, workDir, metrics, leaseNamespace, defaultIdentity(), true);
  }

  /**
   * @param identity this replica's name in the lease (the pod name in a cluster)
   * @param exitOnLostLease end the process when leadership is lost, so a stale leader never writes
   */
  public SyncerController(KubernetesClient client, SyscallTable syscalls, ObjectWriter writer, Path workDir,
      MeterRegistry metrics, String leaseNamespace, String identity, boolean exitOnLostLease) {
    this.operator = new Operator(o -> {
      o.withKubernetesClient(client).withCloseClientOnStop(false).withUseSSAToPatchPrimaryResource(false);
      if (leaseNamespace != null) {
        o.withLeaderElectionConfiguration(new LeaderElectionConfiguration(LEASE_NAME, leaseNamespace,
            LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE, LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
            LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE, identity,
            new LeaderCallbacks(() -> { }, () -> { }, leader -> { }), exitOnLostLease));
      }
    });
    ProfileSourceReconciler reconciler = new ProfileSourceReconciler(client,
        new SourceSync(client, syscalls, writer, workDir), new SyncMetrics(metrics), Clock.systemUTC());
    operator.register(reconciler, c -> c
        .withFinalizer(ProfileSourceReconciler.FINALIZER)
        .withGenerationAware(false)
        .withOnUpdateFilter(ProfileSourceReconciler.relevantUpdates()));
  }

  private static String defaultIdentity() {
    String pod = System.getenv("POD_NAME");
    if (pod != null && !pod.isBlank()) {
      return pod;
    }
    String host = System.getenv().getOrDefault("HOSTNAME", "profileops");
    return host + "-" + java.util.UUID.randomUUID().toString().substring(0, 8);
  }

  /**
   * Runs another reconciler in this controller's operator, under the same leader election (the
   * recorder's publisher, say). Call before {@link #start}.
   */
  public <R extends HasMetadata> void register(Reconciler<R> other, String finalizer) {
    operator.register(other, c -> c.withFinalizer(finalizer));
  }

  public void start() {
    operator.start();
  }

  /**
   * Started (a replica waiting for the lease counts as started: it is ready to take over); a readiness
   * probe reads this.
   */
  public boolean isStarted() {
    return operator.getRuntimeInfo().isStarted();
  }

  public void stop() {
    operator.stop();
  }

  @Override
  public void close() {
    stop();
  }
}
