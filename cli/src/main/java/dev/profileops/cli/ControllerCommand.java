package dev.profileops.cli;

import dev.profileops.cli.admission.AdmissionWebhookServer;
import dev.profileops.cli.admission.PodWebhook;
import dev.profileops.cli.admission.ProfileBindingWebhook;
import dev.profileops.cli.admission.ProfileRecordingWebhook;
import dev.profileops.cli.admission.SelfManagedWebhookCertificate;
import dev.profileops.cli.logging.LogVerbosity;
import dev.profileops.cli.metrics.MetricsOptions;
import dev.profileops.cli.metrics.MetricsServer;
import dev.profileops.cli.profiling.JfrProfiling;
import dev.profileops.host.seccomp.SyscallTable;
import dev.profileops.nodedaemon.config.DaemonConfigStatusReporter;
import dev.profileops.nodedaemon.inuse.InUseProtection;
import dev.profileops.nodedaemon.nodes.DepartedNodeFinalizers;
import dev.profileops.recorder.cluster.RecordingPublishReconciler;
import dev.profileops.recorder.publish.RecordingPublisher;
import dev.profileops.syncer.cluster.ObjectWriter;
import dev.profileops.syncer.profilesource.SourceTrigger;
import dev.profileops.syncer.profilesource.SyncerController;
import dev.profileops.syncer.webhook.WebhookReceiver;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The syncer as a cluster controller: follows every ProfileSource (profileops.dev/v1alpha1), serves
 * Prometheus metrics, and with {@code --leader-election} lets only one replica write.
 */
@Command(name = "controller", description = "Run the ProfileSource controller against the cluster (KUBECONFIG or in-cluster).")
final class ControllerCommand implements Callable<Integer> {

  @Option(names = "--work-dir", defaultValue = "${java.io.tmpdir}/profileops-controller", description = "Where clones live")
  Path workDir;

  @Option(names = "--metrics-port", defaultValue = "8080", description = "Port for /metrics (0: none)")
  int metricsPort;

  @Mixin
  MetricsOptions metricsOptions = new MetricsOptions();

  @Option(names = "--binding-webhook-port", defaultValue = "0",
      description = "Port of the pod mutating admission webhooks, HTTPS: ProfileBinding at " + ProfileBindingWebhook.PATH
          + " and ProfileRecording at " + ProfileRecordingWebhook.PATH + " (0: none, the default)")
  int bindingWebhookPort;

  @Option(names = "--recording-webhook", defaultValue = "true", negatable = true,
      description = "Serve the ProfileRecording webhook beside the ProfileBinding one (default true)")
  boolean recordingWebhook;

  @Option(names = "--recording-webhook-configuration", defaultValue = "profileops-recording",
      description = "The ProfileRecording webhook's MutatingWebhookConfiguration, whose caBundle a self-managed certificate writes too")
  String recordingWebhookConfiguration;

  @Option(names = "--binding-webhook-cert-dir", defaultValue = "/etc/profileops/binding-webhook",
      description = "Directory with tls.crt and tls.key of the ProfileBinding webhook (a cert-manager Secret, or where a self-managed "
          + "certificate is written; read again when renewed)")
  Path bindingWebhookCertDir;

  @Option(names = "--binding-webhook-self-managed-secret",
      description = "Make and rotate the ProfileBinding webhook's CA and certificate in this Secret of the pod's namespace "
          + "(no cert-manager): the CA goes into --binding-webhook-configuration's caBundle, the pair into --binding-webhook-cert-dir, "
          + "which must then be writable")
  String bindingWebhookSecret;

  @Option(names = "--binding-webhook-configuration", defaultValue = "profileops-binding",
      description = "The MutatingWebhookConfiguration whose caBundle a self-managed certificate writes")
  String bindingWebhookConfiguration;

  @Option(names = "--binding-webhook-service", defaultValue = "profileops-binding-webhook",
      description = "The webhook's Service, whose DNS names a self-managed certificate carries")
  String bindingWebhookService;

  @Option(names = "--health-port", defaultValue = "8081", description = "Port for /healthz and /readyz (0: none)")
  int healthPort;

  @Option(names = "--leader-election-namespace", description = "Namespace of the leader lease; omit to run without leader election")
  String leaseNamespace;

  @Option(names = "--apply", defaultValue = "server-side", description = "server-side (default) or replace")
  String applyMode;

  @Option(names = "--webhook-port", defaultValue = "9292", description = "Port of the push webhook receiver (0: none)")
  int webhookPort;

  @Option(names = "--webhook-secret-file", description = "File holding the webhook secret (HMAC key, or GitLab token)")
  Path webhookSecretFile;

  @Option(names = "--publish-recordings", defaultValue = "true", negatable = true,
      description = "Propose what ProfileRecordings recorded as pull requests (default: on)")
  boolean publishRecordings;

  @Override
  public Integer call() throws Exception {
    // The JDK's HTTP server reads this once, at its first use: it bounds how long a client may take to
    // send request headers, so a slow client cannot hold the receiver's few threads.
    if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
      System.setProperty("sun.net.httpserver.maxReqTime", "10");
    }
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ObjectWriter writer = "replace".equals(applyMode) ? ObjectWriter.createOrReplace() : ObjectWriter.serverSideApply();
    KubernetesClient client = new KubernetesClientBuilder().build();
    String namespace = podNamespace();
    MetricsServer metricsServer = metricsPort > 0
        ? metricsOptions.start(metricsPort, client, MetricsOptions.serviceName("profileops-controller-metrics"), metrics::scrape)
        : null;
    SyscallTable syscalls = Syscalls.load(System.err);
    System.err.println(ComponentBanner.of("controller", syscalls));
    JfrProfiling profiling = new JfrProfiling("controller");
    DaemonConfigWatch config = DaemonConfigWatch.start(client, namespace, List.of(spec -> LogVerbosity.apply(spec.getVerbosity()), spec -> profiling.apply(spec.getEnableProfiling())));
    SyncerController controller = new SyncerController(client, syscalls, writer, workDir, metrics, leaseNamespace);
    if (publishRecordings) {
      controller.register(new RecordingPublishReconciler(client, new RecordingPublisher(workDir.resolve("recordings"), syscalls)),
          RecordingPublishReconciler.FINALIZER);
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      config.close();
      profiling.close();
      controller.close();
      client.close();
      if (metricsServer != null) {
        metricsServer.close();
      }
      stopped.countDown();
    }));
    WebhookReceiver receiver = null;
    if (webhookPort > 0) {
      if (webhookSecretFile == null) {
        System.err.println("error: --webhook-secret-file is required for the webhook receiver (or --webhook-port 0)");
        return 2;
      }
      receiver = new WebhookReceiver(new InetSocketAddress(webhookPort), Files.readAllBytes(webhookSecretFile),
          new SourceTrigger(client, Clock.systemUTC()));
    }
    HealthEndpoints health = healthPort > 0 ? HealthEndpoints.start(new InetSocketAddress(healthPort),
        () -> controller.isStarted() ? Optional.empty() : Optional.of("controller starting"), profiling) : null;
    if (health != null) {
      Runtime.getRuntime().addShutdownHook(new Thread(health::close));
    }
    if (bindingWebhookPort > 0) {
      if (bindingWebhookSecret != null) {
        List<String> configurations = recordingWebhook ? List.of(bindingWebhookConfiguration, recordingWebhookConfiguration)
            : List.of(bindingWebhookConfiguration);
        SelfManagedWebhookCertificate certificate = new SelfManagedWebhookCertificate(client, namespace, bindingWebhookSecret,
            configurations, SelfManagedWebhookCertificate.serviceDnsNames(bindingWebhookService, namespace),
            bindingWebhookCertDir, Clock.systemUTC(), SelfManagedWebhookCertificate.DEFAULT_CA_VALIDITY,
            SelfManagedWebhookCertificate.DEFAULT_SERVING_VALIDITY);
        // The first one here, so that the webhook starts with a certificate; then every hour.
        certificate.ensure();
        certificate.start(SelfManagedWebhookCertificate.DEFAULT_CHECK_INTERVAL);
        Runtime.getRuntime().addShutdownHook(new Thread(certificate::close));
      }
      List<PodWebhook> webhooks = recordingWebhook ? List.of(ProfileBindingWebhook.of(client), ProfileRecordingWebhook.of(client))
          : List.of(ProfileBindingWebhook.of(client));
      AdmissionWebhookServer admission = AdmissionWebhookServer.start(new InetSocketAddress(bindingWebhookPort),
          bindingWebhookCertDir.resolve("tls.crt"), bindingWebhookCertDir.resolve("tls.key"), webhooks);
      Runtime.getRuntime().addShutdownHook(new Thread(admission::close));
    }
    controller.start();
    // Finalizers and node statuses of nodes that left the cluster, which would block deletes forever.
    DepartedNodeFinalizers janitor = new DepartedNodeFinalizers(client);
    janitor.start(DepartedNodeFinalizers.DEFAULT_INTERVAL);
    Runtime.getRuntime().addShutdownHook(new Thread(janitor::close));
    // The spod's status.state, from the node daemon's DaemonSet; every replica looks, writes only what changed.
    DaemonConfigStatusReporter spodStatus = new DaemonConfigStatusReporter(client, namespace,
        DaemonConfigStatusReporter.NODE_DAEMON_SET, Clock.systemUTC());
    spodStatus.start(DaemonConfigStatusReporter.DEFAULT_INTERVAL);
    Runtime.getRuntime().addShutdownHook(new Thread(spodStatus::close));
    // In-use protection: profiles used by running pods keep a finalizer until those pods are gone.
    InUseProtection inUse = new InUseProtection(client);
    inUse.start();
    Runtime.getRuntime().addShutdownHook(new Thread(inUse::close));
    if (receiver != null) {
      receiver.start();
      WebhookReceiver started = receiver;
      Runtime.getRuntime().addShutdownHook(new Thread(started::close));
    }
    System.err.println("profileops controller " + ComponentBanner.VERSION + " started" + (metricsPort > 0 ? ", metrics on " + (metricsOptions.insecure() ? "http" : "https") + " :" + metricsPort + "/metrics" : "")
        + (bindingWebhookPort > 0 ? ", ProfileBinding webhook on https :" + bindingWebhookPort + ProfileBindingWebhook.PATH
            + (recordingWebhook ? ", ProfileRecording webhook on " + ProfileRecordingWebhook.PATH : "") : "")
        + (health != null ? ", probes on :" + healthPort + "/healthz,/readyz" : "")
        + (receiver != null ? ", webhooks on :" + webhookPort + "/hooks/{github,gitea,gitlab}" : ""));
    stopped.await();
    return 0;
  }

  private static String podNamespace() {
    return System.getenv().getOrDefault("POD_NAMESPACE", "profileops");
  }
}
