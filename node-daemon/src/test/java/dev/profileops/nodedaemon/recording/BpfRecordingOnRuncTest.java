package dev.profileops.nodedaemon.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.profileops.api.nodestatus.SecurityProfileNodeStatus;
import dev.profileops.api.recording.MergeStrategy;
import dev.profileops.api.recording.ProfileRecording;
import dev.profileops.api.seccomp.SeccompProfile;
import dev.profileops.host.bpf.SyscallRecorders;
import dev.profileops.host.seccomp.SyscallTable;
import dev.profileops.host.seccomp.SyscallTables;
import dev.profileops.nodedaemon.CgroupLeaf;
import dev.profileops.nodedaemon.MockCrds;
import dev.profileops.nodedaemon.NodeDaemon;
import dev.profileops.nodedaemon.seccomp.OciSeccompJson;
import dev.profileops.recorder.bpf.RecordingToProfile;
import dev.profileops.testsupport.Prerequisites;
import dev.profileops.testsupport.RuncContainer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole cluster-side loop on real parts: a pod object in the mock API server whose containerID is
 * a real runc container's, the node daemon with the real BPF recorder follows it, publishes its
 * SeccompProfile when the pod reports the container exited, and the same container then runs under
 * that profile (default action ERRNO) and is denied what it did not do. Needs root, BTF and runc;
 * skipped with the reason elsewhere (failed in CI).
 */
@EnableKubernetesMockClient(crud = true, kubernetesClientBuilderCustomizer = RecordingFixtures.Timeout.class)
class BpfRecordingOnRuncTest {
  private static final String NODE = "node-a";
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String[] SCRIPT = {"mkdir -p /tmp/work", "echo recorded > /tmp/work/file", "cat /tmp/work/file"};

  private static SyscallTable table;
  private static RuncContainer containers;

  KubernetesClient client;
  @TempDir Path kubeletDir;

  private NodeDaemon daemon;
  private BpfRecordingReconciler recording;

  @BeforeAll
  static void prerequisites() {
    RuncContainer.assumeAvailable();
    table = SyscallTables.system();
    Prerequisites.require(SyscallRecorders.system().unsupportedReason(table));
    containers = RuncContainer.create().withApplets("chmod");
  }

  @BeforeEach
  void start() {
    MockCrds.create(client, SeccompProfile.class, SecurityProfileNodeStatus.class, ProfileRecording.class);
    recording = new BpfRecordingReconciler(NODE, () -> SyscallRecorders.system().start(table, false),
        ProcContainerLocator.system(), new RecordingToProfile(table), new RecordedProfileWriter(client, NODE), Clock.systemUTC())
        .withoutFieldSelector();
    daemon = new NodeDaemon(client, NODE, kubeletDir);
    daemon.enableBpfRecording(recording);
    daemon.start();
  }

  @AfterEach
  void stop() {
    daemon.stop();
  }

  @Test
  void recordsTheRuncContainerOfAPodAndTheProfileConfinesIt() throws Exception {
    client.resource(RecordingFixtures.recording("web", MergeStrategy.None)).create();
    AtomicReference<String> containerId = new AtomicReference<>();

    RuncContainer.Result recorded = containers.runObserved("recorded", null, pid -> {
      // What the kubelet would report: the pod, running, with the runtime's id of the container.
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
    assertThat(syscalls).contains("execve", "mkdir", "openat", "write").doesNotContain("pivot_root", "mount", "chmod", "fchmodat");

    JsonNode filter = new ObjectMapper().readTree(OciSeccompJson.render(profile.getSpec()));
    RuncContainer.Result confined = containers.runWithSeccomp("confined", filter, SCRIPT);
    assertThat(confined.succeeded()).as("%s\nprofile %s", confined, filter).isTrue();
    assertThat(confined.stdout()).isEqualTo("recorded\n");
    String[] withChmod = {"mkdir -p /tmp/work", "echo recorded > /tmp/work/file", "chmod 600 /tmp/work/file"};
    RuncContainer.Result denied = containers.runWithSeccomp("denied", filter, withChmod);
    assertThat(denied.exitCode()).as("%s", denied).isNotZero();
    assertThat(denied.stderr()).contains("Operation not permitted");
  }

  @Test
  void aContainerThatExitedBeforeThePodReportedItIsRecordedAllTheSame() throws Exception {
    client.resource(RecordingFixtures.recording("job", MergeStrategy.None)).create();
    // Loads the recorder (it records from its load on): a recording with no pod yet.
    await().atMost(WAIT).until(recording::isRecording);

    // The container runs to its end before the node hears of it: only the kernel saw it.
    RuncContainer.Result ran = containers.run("quick", null, SCRIPT);
    assertThat(ran.succeeded()).as("%s", ran).isTrue();
    client.resource(RecordingFixtures.exited(
        RecordingFixtures.runningPod("job-1", NODE, "job", "box", "containerd://" + ran.containerId()))).create();

    await().atMost(WAIT).untilAsserted(() -> assertThat(client.resources(SeccompProfile.class).withName("job-box-job-1").get()).isNotNull());
    List<String> syscalls = client.resources(SeccompProfile.class).withName("job-box-job-1").get().getSpec().getSyscalls().get(0).getNames();
    assertThat(syscalls).contains("execve", "mkdir", "openat", "write").doesNotContain("pivot_root", "mount");
  }
}
