package dev.profileops.nodedaemon.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.profileops.api.SpoApi;
import dev.profileops.api.common.ProfileActivation;
import dev.profileops.api.recording.MergeStrategy;
import dev.profileops.api.recording.ProfileRecording;
import dev.profileops.api.seccomp.SeccompAction;
import dev.profileops.api.nodestatus.SecurityProfileNodeStatus;
import dev.profileops.api.seccomp.SeccompProfile;
import dev.profileops.host.bpf.FakeSyscallRecorder;
import dev.profileops.host.seccomp.FakeSyscallTable;
import dev.profileops.nodedaemon.MockCrds;
import dev.profileops.nodedaemon.NodeDaemon;
import dev.profileops.recorder.bpf.RecordingToProfile;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node daemon's BPF recording against the CRUD mock API server, with a fake recorder and a fake
 * view of the node's processes: which containers it follows, when it publishes, what it writes. The
 * real recorder with a real runc container is in {@code BpfRecordingOnRuncTest}.
 */
@EnableKubernetesMockClient(crud = true, kubernetesClientBuilderCustomizer = RecordingFixtures.Timeout.class)
class BpfRecordingReconcilerTest {
  private static final String NODE = "node-a";
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final List<String> SYSCALLS = List.of("read", "write", "execve", "openat", "mkdir", "exit_group", "getpid");
  private static final FakeSyscallTable TABLE = new FakeSyscallTable("x86_64", List.of("x86_64"), SYSCALLS);

  KubernetesClient client;
  @TempDir Path kubeletDir;

  private final FakeSyscallRecorder recorder = new FakeSyscallRecorder();
  private final Map<String, ContainerLocator.ContainerProcess> processes = new ConcurrentHashMap<>();
  private NodeDaemon daemon;
  private BpfRecordingReconciler recordingReconciler;

  @BeforeEach
  void start() {
    MockCrds.create(client, SeccompProfile.class, SecurityProfileNodeStatus.class, ProfileRecording.class);
    recorder.start(false);
    ContainerLocator locator = id -> Optional.ofNullable(processes.get(id));
    recordingReconciler = new BpfRecordingReconciler(NODE, () -> recorder, locator, new RecordingToProfile(TABLE),
        new RecordedProfileWriter(client, NODE), Clock.systemUTC())
        // fabric8's mock API server answers a watch with a field selector with no events at all.
        .withoutFieldSelector();
    daemon = new NodeDaemon(client, NODE, kubeletDir);
    daemon.enableBpfRecording(recordingReconciler);
    daemon.start();
  }

  @AfterEach
  void stop() {
    daemon.stop();
  }

  @Test
  void publishesAPartialProfilePerContainerWhenItExits() {
    client.resource(RecordingFixtures.recording("web", MergeStrategy.Containers)).create();
    // A container the runtime started: its init (pid 4242) made its first execve in mount namespace 900.
    processes.put("c0ffee01", new ContainerLocator.ContainerProcess(4242, 900));
    recorder.exec(900, 4242);
    client.resource(RecordingFixtures.runningPod("web-1", NODE, "web", "nginx", "containerd://c0ffee01")).create();
    await().atMost(WAIT).untilAsserted(() -> assertThat(reconcilerContainers()).extracting(RecordedContainer::pod).containsExactly("web-1"));
    assertThat(finalizers("web")).contains("node-a.recording.profileops.dev/published");
    recorder.saw(900, nr("read"), nr("exit_group"));

    client.pods().inNamespace("apps").withName("web-1").editStatus(RecordingFixtures::exited);

    await().atMost(WAIT).untilAsserted(() -> assertThat(seccompProfile("web-nginx-web-1")).isNotNull());
    SeccompProfile profile = seccompProfile("web-nginx-web-1");
    assertThat(profile.getMetadata().getLabels()).containsEntry("spo.x-k8s.io/recording-id", "web")
        .containsEntry("spo.x-k8s.io/container-id", "nginx")
        .containsEntry(SpoApi.LABEL_PARTIAL, "true");
    assertThat(profile.getMetadata().getAnnotations()).containsEntry("profileops.dev/recorded-pod", "apps/web-1")
        .containsEntry("profileops.dev/recorded-node", NODE)
        .containsKeys("profileops.dev/recording-started", "profileops.dev/recording-ended");
    assertThat(profile.getSpec().getDefaultAction()).isEqualTo(SeccompAction.SCMP_ACT_ERRNO);
    assertThat(profile.getSpec().getSyscalls()).singleElement().satisfies(rule -> {
      assertThat(rule.getAction()).isEqualTo(SeccompAction.SCMP_ACT_ALLOW);
      // What the workload did, and the runtime's hand-over syscalls (execve...) that the profile needs.
      assertThat(rule.getNames()).contains("execve", "read", "exit_group").doesNotContain("mkdir");
    });
    // Forgotten once published: the kernel map's slot is free again.
    await().atMost(WAIT).untilAsserted(() -> assertThat(recorder.recordings()).isEmpty());
  }

  @Test
  void deletingTheRecordingPublishesWhatRunningContainersDidAndReleasesIt() {
    ProfileRecording recording = RecordingFixtures.recording("api", MergeStrategy.None);
    recording.getSpec().setDisableProfileAfterRecording(true);
    recording.getSpec().setContainers(List.of("server"));
    client.resource(recording).create();
    processes.put("beef0001", new ContainerLocator.ContainerProcess(7, 901));
    processes.put("beef0002", new ContainerLocator.ContainerProcess(8, 902));
    recorder.exec(901, 7);
    recorder.exec(902, 8);
    Pod pod = RecordingFixtures.runningPod("api-1", NODE, "api", "server", "cri-o://beef0001");
    // A second container the recording's container filter leaves out.
    pod.getSpec().getContainers().add(new ContainerBuilder().withName("sidecar").build());
    pod.getStatus().getContainerStatuses().add(new ContainerStatusBuilder()
        .withName("sidecar").withContainerID("cri-o://beef0002").withNewState().withNewRunning().endRunning().endState().build());
    client.resource(pod).create();
    recorder.saw(901, nr("mkdir"));
    await().atMost(WAIT).untilAsserted(() -> assertThat(reconcilerContainers()).extracting(RecordedContainer::container)
        .containsExactly("server"));
    assertThat(finalizers("api")).contains("node-a.recording.profileops.dev/published");

    client.resources(ProfileRecording.class).inNamespace("apps").withName("api").delete();

    await().atMost(WAIT).untilAsserted(() -> assertThat(client.resources(ProfileRecording.class).inNamespace("apps").withName("api").get()).isNull());
    SeccompProfile profile = seccompProfile("api-server-api-1");
    assertThat(profile).isNotNull();
    assertThat(profile.getMetadata().getLabels()).doesNotContainKey(SpoApi.LABEL_PARTIAL);
    assertThat(profile.getSpec().getState()).isEqualTo(ProfileActivation.Disabled);
    assertThat(profile.getSpec().getSyscalls().get(0).getNames()).contains("mkdir", "execve").doesNotContain("read", "exit_group");
    assertThat(seccompProfile("api-sidecar-api-1")).isNull();
  }

  @Test
  void aContainerThatExitedBeforeItsProcessWasFoundIsFoundByItsCgroup() {
    client.resource(RecordingFixtures.recording("job", MergeStrategy.None)).create();
    // Started and exited in milliseconds: no process to find, but the kernel kept the cgroup's name.
    recorder.exec(930, 31, "cri-containerd-dead0001.scope");
    recorder.saw(930, nr("mkdir"));
    recorder.exec(931, 32, "cri-containerd-dead0002.scope");
    recorder.saw(931, nr("read"));
    Pod pod = RecordingFixtures.exited(RecordingFixtures.runningPod("job-1", NODE, "job", "worker", "containerd://dead0001"));

    client.resource(pod).create();

    await().atMost(WAIT).untilAsserted(() -> assertThat(seccompProfile("job-worker-job-1")).isNotNull());
    assertThat(seccompProfile("job-worker-job-1").getSpec().getSyscalls().get(0).getNames()).contains("mkdir").doesNotContain("read");
    // Its recording is forgotten, the other container's is not.
    await().atMost(WAIT).untilAsserted(() -> assertThat(recorder.recordings()).extracting(r -> r.cgroup())
        .containsExactly("cri-containerd-dead0002.scope"));
  }

  @Test
  void podsOfOtherNodesAndUnselectedPodsAreNotRecorded() {
    client.resource(RecordingFixtures.recording("web", MergeStrategy.Containers)).create();
    processes.put("0ther001", new ContainerLocator.ContainerProcess(10, 910));
    processes.put("0ther002", new ContainerLocator.ContainerProcess(11, 911));
    Pod elsewhere = RecordingFixtures.runningPod("web-2", NODE, "web", "nginx", "containerd://0ther001");
    elsewhere.getSpec().setNodeName("node-b");
    client.resource(elsewhere).create();
    client.resource(RecordingFixtures.runningPod("db-1", NODE, "db", "postgres", "containerd://0ther002")).create();
    processes.put("c0ffee09", new ContainerLocator.ContainerProcess(12, 912));
    client.resource(RecordingFixtures.runningPod("web-3", NODE, "web", "nginx", "containerd://c0ffee09")).create();

    // The selected pod on this node is followed; the others never are.
    await().atMost(WAIT).untilAsserted(() -> assertThat(reconcilerContainers()).extracting(RecordedContainer::pod).containsExactly("web-3"));
  }

  private Set<RecordedContainer> reconcilerContainers() {
    return recordingReconciler.recordedContainers();
  }

  private int nr(String syscall) {
    return TABLE.number("x86_64", syscall).orElseThrow();
  }

  private List<String> finalizers(String recording) {
    ProfileRecording current = client.resources(ProfileRecording.class).inNamespace("apps").withName(recording).get();
    return current == null ? List.of() : current.getMetadata().getFinalizers();
  }

  private SeccompProfile seccompProfile(String name) {
    return client.resources(SeccompProfile.class).withName(name).get();
  }




}
