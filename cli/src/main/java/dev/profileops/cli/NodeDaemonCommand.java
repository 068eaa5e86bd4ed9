package dev.profileops.cli;

import dev.profileops.cli.logging.LogVerbosity;
import dev.profileops.cli.metrics.MetricsOptions;
import dev.profileops.cli.metrics.MetricsServer;
import dev.profileops.cli.profiling.JfrProfiling;
import dev.profileops.host.bpf.SyscallRecorders;
import dev.profileops.host.seccomp.SyscallTable;
import dev.profileops.host.seccomp.SyscallTables;
import dev.profileops.nodedaemon.NodeDaemon;
import dev.profileops.nodedaemon.SecurityModules;
import dev.profileops.nodedaemon.enricher.source.SourceKind;
import dev.profileops.nodedaemon.recording.BpfRecordingReconciler;
import dev.profileops.nodedaemon.recording.ProcContainerLocator;
import dev.profileops.nodedaemon.recording.RecordedProfileWriter;
import dev.profileops.recorder.bpf.RecordingToProfile;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Cluster mode of the node daemon: install this node's profiles from the cluster (KUBECONFIG or in-cluster). */
@Command(name = "node-daemon", description = "Install the cluster's profiles on this node (KUBECONFIG or in-cluster).")
final class NodeDaemonCommand implements Callable<Integer> {

  @Option(names = "--node-name", defaultValue = "${env:NODE_NAME}", description = "This node's name (default: $NODE_NAME)")
  String nodeName;

  @Option(names = "--kubelet-dir", description = "Kubelet directory (default: $KUBELET_DIR or /var/lib/kubelet)")
  Path kubeletDir;

  @Option(names = "--bpf-recorder", defaultValue = "${env:ENABLE_BPF_RECORDER:-false}",
      description = "Record the containers of ProfileRecordings with recorder: Bpf on this node (default: $ENABLE_BPF_RECORDER or false)")
  boolean bpfRecorder;

  @Option(names = "--health-port", defaultValue = "8081", description = "Port for /healthz and /readyz (0: none)")
  int healthPort;

  @Option(names = "--log-enricher", defaultValue = "${env:ENABLE_LOG_ENRICHER:-false}",
      description = "Read this node's seccomp, SELinux and AppArmor audit lines, print them as JSON with their pod,"
          + " and record ProfileRecordings with recorder: Logs (default: $ENABLE_LOG_ENRICHER or false)")
  boolean logEnricher;

  @Option(names = "--log-enricher-source", defaultValue = "${env:LOG_ENRICHER_SOURCE:-auto}", converter = EnrichCommand.SourceConverter.class,
      description = "auto, auditd, kmsg or syslog (default: $LOG_ENRICHER_SOURCE or auto)")
  SourceKind logEnricherSource;

  @Option(names = "--metrics-port", defaultValue = "9443",
      description = "Port for /metrics, the log enricher's audit counters with SPO's names (0: none; default 9443, SPO's spod metrics port)")
  int metricsPort;

  @Mixin
  MetricsOptions metricsOptions = new MetricsOptions();

  /** The node daemon's meters: what the log enricher counts, served on --metrics-port. */
  final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  @Override
  public Integer call() throws InterruptedException, IOException, GeneralSecurityException {
    if (nodeName == null || nodeName.isBlank()) {
      System.err.println("error: --node-name (or NODE_NAME) is required");
      return 2;
    }
    Path dir = kubeletDir != null ? kubeletDir : NodeDaemon.kubeletDir(System.getenv());
    SyscallTable syscalls = SyscallTables.system();
    System.err.println(ComponentBanner.of("node-daemon", syscalls) + ", node " + nodeName + ", kubelet dir " + dir);
    KubernetesClient client = new KubernetesClientBuilder().build();
    NodeDaemon daemon = new NodeDaemon(client, nodeName, dir, SecurityModules.system(client), o -> {});
    // The spod of the daemon's own namespace, as the feature gates: its verbosity applies without restart.
    JfrProfiling profiling = new JfrProfiling("node-daemon");
    DaemonConfigWatch config = DaemonConfigWatch.start(client, client.getNamespace() != null ? client.getNamespace() : "profileops",
        List.of(spec -> LogVerbosity.apply(spec.getVerbosity()), spec -> profiling.apply(spec.getEnableProfiling())));
    if (bpfRecorder) {
      // Said at start, and the daemon goes on installing profiles either way.
      System.err.println("BPF recorder: " + SyscallRecorders.system().unsupportedReason(syscalls)
          .map(why -> "cannot run here: " + why).orElse("available, loaded on the first ProfileRecording"));
      daemon.enableBpfRecording(new BpfRecordingReconciler(nodeName, () -> SyscallRecorders.system().start(syscalls, false),
          ProcContainerLocator.system(), new RecordingToProfile(syscalls), new RecordedProfileWriter(client, nodeName),
          Clock.systemUTC()));
    }
    NodeLogEnricher enricher = null;
    if (logEnricher) {
      try {
        enricher = NodeLogEnricher.start(client, nodeName, logEnricherSource, syscalls, dir, metrics);
        daemon.enableLogRecording(enricher.recording());
      } catch (IOException e) {
        // Said at start; the daemon goes on installing profiles either way.
        System.err.println("log enricher: cannot run here: " + e.getMessage());
      }
    }
    NodeLogEnricher startedEnricher = enricher;
    // Up before the profiles are installed: the startup probe gets "not ready" rather than a refused connection.
    HealthEndpoints health = healthPort > 0 ? HealthEndpoints.start(new InetSocketAddress(healthPort), readiness(daemon), profiling) : null;
    // Started after the start-up pass (its TLS set-up is not on the way to ready); closed by the hook.
    AtomicReference<MetricsServer> metrics = new AtomicReference<>();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      if (startedEnricher != null) {
        startedEnricher.close();
      }
      if (health != null) {
        health.close();
      }
      MetricsServer metricsServer = metrics.get();
      if (metricsServer != null) {
        metricsServer.close();
      }
      config.close();
      profiling.close();
      daemon.close();
      client.close();
      stopped.countDown();
    }));
    daemon.installProfilesAtStart();
    if (daemon.isReady()) {
      System.err.println("ready: profiles of node " + nodeName + " installed (" + sinceJvmStart() + ")");
    }
    MetricsServer metricsServer = startMetrics(client);
    metrics.set(metricsServer);
    if (metricsServer != null) {
      System.err.println("metrics on " + (metricsOptions.insecure() ? "http" : "https") + " :" + metricsServer.port() + MetricsServer.PATH);
    }
    daemon.startControllers();
    if (!daemon.isReady() && daemon.awaitReady(Duration.ofMinutes(5))) {
      System.err.println("ready: profiles of node " + nodeName + " installed (" + sinceJvmStart() + ")");
    }
    if (daemon.awaitReported(Duration.ofMinutes(5))) {
      System.err.println("reported: statuses of node " + nodeName + " written (" + sinceJvmStart() + ")");
    }
    stopped.await();
    return 0;
  }

  /** The metrics endpoint as the options say, or null with --metrics-port 0. */
  MetricsServer startMetrics(KubernetesClient client) throws IOException, GeneralSecurityException {
    if (metricsPort <= 0) {
      return null;
    }
    // The JDK's HTTP server reads this once, at its first use: a slow client cannot hold its thread.
    if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
      System.setProperty("sun.net.httpserver.maxReqTime", "10");
    }
    return metricsOptions.start(metricsPort, client, MetricsOptions.serviceName("profileops-node-daemon-metrics"), metrics::scrape);
  }

  /** Ready once this node's profiles are installed. */
  static Supplier<Optional<String>> readiness(NodeDaemon daemon) {
    return () -> daemon.isReady() ? Optional.empty() : Optional.of("profiles of this node not installed yet");
  }

  private static String sinceJvmStart() {
    return ManagementFactory.getRuntimeMXBean().getUptime() + " ms after JVM start";
  }
}
