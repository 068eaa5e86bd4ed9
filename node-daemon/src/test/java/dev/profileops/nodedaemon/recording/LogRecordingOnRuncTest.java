package dev.profileops.nodedaemon.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.profileops.api.nodestatus.SecurityProfileNodeStatus;
import dev.profileops.api.recording.MergeStrategy;
import dev.profileops.api.recording.ProfileRecording;
import dev.profileops.api.recording.RecorderType;
import dev.profileops.api.seccomp.SeccompProfile;
import dev.profileops.host.kmsg.LibcKernelLog;
import dev.profileops.host.proc.NetlinkProcessForks;
import dev.profileops.host.proc.ProcessForks;
import dev.profileops.host.seccomp.SyscallTable;
import dev.profileops.host.seccomp.SyscallTables;
import dev.profileops.nodedaemon.CgroupLeaf;
import dev.profileops.nodedaemon.MockCrds;
import dev.profileops.nodedaemon.NodeDaemon;
import dev.profileops.nodedaemon.enricher.EnricherMetrics;
import dev.profileops.nodedaemon.enricher.PrintkRateLimit;
import dev.profileops.nodedaemon.enricher.LogEnricher;
import dev.profileops.nodedaemon.enricher.resolve.NodePodDirectory;
import dev.profileops.nodedaemon.enricher.resolve.ProcessAncestry;
import dev.profileops.nodedaemon.enricher.resolve.ProcFsProcessTable;
import dev.profileops.nodedaemon.enricher.resolve.ProcessResolver;
import dev.profileops.nodedaemon.enricher.resolve.SyscallNames;
import dev.profileops.nodedaemon.enricher.source.KernelLogSource;
import dev.profileops.nodedaemon.seccomp.OciSeccompJson;
import dev.profileops.testsupport.Prerequisites;
import dev.profileops.testsupport.RuncContainer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Log recording of seccomp end to end on real parts: the node daemon installs the log-everything
 * profile, a runc container runs under it (as the pod's securityContext would make it), the kernel
 * logs each syscall to /dev/kmsg, the node's log enricher (with fork events, as the container's
 * mkdir and cat are gone before their lines are read) hands the container's lines to the
 * recording, which publishes a SeccompProfile once the pod reports the container exited; the same
 * container then runs under that profile (default ERRNO) and is denied what it did not do.
 *
 * <p>Without auditd the kernel prints audit records through the printk rate limit (10 per 5 s,
 * machine-wide), which would drop most of a log-everything run: the test lifts it
 * ({@code kernel.printk_ratelimit=0}) while it runs and puts the old value back. Needs root and runc.
 */
@EnableKubernetesMockClient(crud = true, kubernetesClientBuilderCustomizer = RecordingFixtures.Timeout.class)
class LogRecordingOnRuncTest {
  private static final String NODE = "node-a";
  private static final Duration WAIT = Duration.ofSeconds(30);
  /** The shell stays a moment, as a container's main process does: its children's lines are traced to it. */
  private static final String[] SCRIPT = {"mkdir -p /tmp/work", "echo recorded > /tmp/work/file", "cat /tmp/work/file", "sleep 1"};

  private static SyscallTable table;
  private static RuncContainer containers;

  KubernetesClient client;
  @TempDir Path kubeletDir;

  private NodeDaemon daemon;
  private LogRecordingReconciler recording;
  private NodePodDirectory pods;
  private LogEnricher enricher;
  private Thread reader;
  private PrintkRateLimit ratelimit;
  private ProcessForks forks;

  @BeforeAll
  static void prerequisites() {
    RuncContainer.assumeAvailable();
    table = SyscallTables.system();
    Prerequisites.require(table.available() ? Optional.empty() : Optional.of("libseccomp is missing: " + table.version()));
    Prerequisites.require(PrintkRateLimit.unavailableReason());
    containers = RuncContainer.create().withApplets("chmod");
  }

  @BeforeEach
  void start() throws Exception {
    ratelimit = PrintkRateLimit.lift();
    MockCrds.create(client, SeccompProfile.class, SecurityProfileNodeStatus.class, ProfileRecording.class);
    LoggedSyscalls logged = new LoggedSyscalls();
    pods = NodePodDirectory.start(client, NODE, false);
    ProcessAncestry ancestry = new ProcessAncestry(65_536);
    forks = NetlinkProcessForks.start(ancestry);
    Prerequisites.require(forks.available() ? Optional.empty() : Optional.of(forks.reason()));
    enricher = new LogEnricher(new KernelLogSource(LibcKernelLog.open("/dev/kmsg", true)),
        ProcessResolver.withDefaults(ProcFsProcessTable.system(), pods, ancestry), new SyscallNames(table), NODE, logged,
        new EnricherMetrics(new SimpleMeterRegistry(), NODE, 100), System::nanoTime, true, 10_000, Duration.ofSeconds(5));
    reader = new Thread(() -> {
      try {
        enricher.run(Duration.ofMillis(20));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, "log-enricher");
    reader.start();
    client.resource(RecordingFixtures.namespace(RecordingFixtures.NAMESPACE, true)).create();
    recording = new LogRecordingReconciler(NODE, logged, new LoggedAvcs(), RecordingNamespaces.labelled(client),
        new RecordedProfileWriter(client, NODE), table.nativeArchitecture(), Clock.systemUTC()).withoutFieldSelector();
    daemon = new NodeDaemon(client, NODE, kubeletDir);
    daemon.enableLogRecording(recording);
    daemon.start();
  }

  @AfterEach
  void stop() throws Exception {
    try {
      daemon.stop();
      enricher.stop();
      reader.join();
      enricher.close();
      pods.close();
      forks.close();
    } finally {
      ratelimit.close();
    }
  }

  @Test
  void recordsARuncContainerFromItsSeccompLogLinesAndTheProfileConfinesIt() throws Exception {
    Path trace = LogRecordingReconciler.installTraceProfile(kubeletDir);
    assertThat(Files.readString(trace)).isEqualTo("{\"defaultAction\":\"SCMP_ACT_LOG\"}\n");
    ProfileRecording logs = RecordingFixtures.recording("web", MergeStrategy.None);
    logs.getSpec().setRecorder(RecorderType.Logs);
    client.resource(logs).create();
    AtomicReference<String> containerId = new AtomicReference<>();

    JsonNode logEverything = new ObjectMapper().readTree(trace.toFile());
    RuncContainer.Result recorded = containers.runObserved("logged", logEverything, pid -> {
      containerId.set(CgroupLeaf.of(pid));
      client.resource(RecordingFixtures.runningPod("web-1", NODE, "web", "box", "containerd://" + containerId.get())).create();
      await().atMost(WAIT).until(() -> recording.recordedContainers().stream()
          .anyMatch(c -> c.containerId().equals(containerId.get())));
    }, SCRIPT);
    assertThat(recorded.succeeded()).as("%s", recorded).isTrue();
    client.pods().inNamespace("apps").withName("web-1").editStatus(RecordingFixtures::exited);

    await().atMost(WAIT).untilAsserted(() -> assertThat(client.resources(SeccompProfile.class).withName("web-box-web-1").get()).isNotNull());
    SeccompProfile profile = client.resources(SeccompProfile.class).withName("web-box-web-1").get();
    List<String> syscalls = profile.getSpec().getSyscalls().get(0).getNames();
    assertThat(syscalls).contains("execve", "mkdir", "write").doesNotContain("chmod", "fchmodat", "pivot_root", "mount");

    JsonNode filter = new ObjectMapper().readTree(OciSeccompJson.render(profile.getSpec()));
    RuncContainer.Result confined = containers.runWithSeccomp("confined", filter, SCRIPT);
    assertThat(confined.succeeded()).as("%s\nprofile %s", confined, filter).isTrue();
    assertThat(confined.stdout()).isEqualTo("recorded\n");
    String[] withChmod = {"mkdir -p /tmp/work", "echo recorded > /tmp/work/file", "chmod 600 /tmp/work/file"};
    RuncContainer.Result denied = containers.runWithSeccomp("denied", filter, withChmod);
    assertThat(denied.exitCode()).as("%s", denied).isNotZero();
    assertThat(denied.stderr()).contains("Operation not permitted");
  }
}
