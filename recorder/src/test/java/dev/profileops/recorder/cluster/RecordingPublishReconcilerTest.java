package dev.profileops.recorder.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.profileops.api.SpoApi;
import dev.profileops.api.common.ProfileKind;
import dev.profileops.api.recording.MergeStrategy;
import dev.profileops.api.recording.ProfileRecording;
import dev.profileops.api.recording.ProfileRecordingSpec;
import dev.profileops.api.recording.RecorderType;
import dev.profileops.api.seccomp.SeccompProfile;
import dev.profileops.api.selinux.PolicyRef;
import dev.profileops.api.selinux.SelinuxProfile;
import dev.profileops.api.selinux.SelinuxProfileSpec;
import dev.profileops.api.source.GitRef;
import dev.profileops.api.source.ProfileSource;
import dev.profileops.api.source.ProfileSourceSpec;
import dev.profileops.host.seccomp.FakeSyscallTable;
import dev.profileops.recorder.RecordingMetadata;
import dev.profileops.recorder.publish.RecordingPublisher;
import dev.profileops.recorder.publish.ServedProfileRepository;
import dev.profileops.recorder.seccomp.RecordedSeccompProfile;
import dev.profileops.recorder.seccomp.SyscallCoverageAnnotation;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.Operator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recorded profiles from the nodes to a pull-request branch on a real git server on loopback, through
 * the mock API server: merge on deletion once the nodes are done, per-replica proposals, and the SPO
 * behaviour (merged profile in the cluster) for a recording that names no repository.
 */
@EnableKubernetesMockClient(crud = true, kubernetesClientBuilderCustomizer = RecordingPublishReconcilerTest.Timeout.class)
class RecordingPublishReconcilerTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String NODE_FINALIZER = "node-a.recording.profileops.dev/published";
  private static final String EXISTING = """
      apiVersion: security-profiles-operator.x-k8s.io/v1
      kind: SeccompProfile
      metadata:
        name: web-nginx
      spec:
        defaultAction: SCMP_ACT_ERRNO
        syscalls:
        - action: SCMP_ACT_ALLOW
          names: [read, write, ptrace]
      """;

  KubernetesClient client;
  @TempDir Path work;

  private ServedProfileRepository repository;
  private Operator operator;
  private String mainHead;

  @BeforeEach
  void start() throws Exception {
    repository = ServedProfileRepository.start(Map.of("seccomp/web.yaml", EXISTING));
    mainHead = repository.mainHead();
    for (var type : List.of(SeccompProfile.class, SelinuxProfile.class, ProfileRecording.class, ProfileSource.class)) {
      client.apiextensions().v1().customResourceDefinitions()
          .resource(CustomResourceDefinitionContext.v1CRDFromCustomResourceType(type).build()).create();
    }
    ProfileSource source = new ProfileSource();
    source.getMetadata().setName("profiles");
    source.getMetadata().setNamespace("apps");
    ProfileSourceSpec spec = new ProfileSourceSpec();
    spec.setUrl(repository.url());
    GitRef ref = new GitRef();
    ref.setBranch("main");
    spec.setRef(ref);
    source.setSpec(spec);
    client.resource(source).create();

    operator = new Operator(o -> o.withKubernetesClient(client).withCloseClientOnStop(false).withUseSSAToPatchPrimaryResource(false));
    operator.register(new RecordingPublishReconciler(client, new RecordingPublisher(work, FakeSyscallTable.common())),
        c -> c.withFinalizer(RecordingPublishReconciler.FINALIZER));
    operator.start();
  }

  @AfterEach
  void stop() {
    if (operator != null) {
      operator.stop();
    }
    if (repository != null) {
      repository.close();
    }
  }

  @Test
  void mergesThePartialsOnceEveryNodeIsDoneAndProposesTheResult() throws Exception {
    ProfileRecording recording = recording("web", MergeStrategy.Containers, true);
    recording.getMetadata().setFinalizers(List.of(NODE_FINALIZER));
    client.resource(recording).create();
    client.resource(recorded("web", "nginx", "web-1", "node-a", true, "read", "openat", "close")).create();
    client.resource(recorded("web", "nginx", "web-2", "node-b", true, "read", "openat", "futex")).create();
    await().atMost(WAIT).untilAsserted(() -> assertThat(finalizers("web")).contains(RecordingPublishReconciler.FINALIZER));

    client.resources(ProfileRecording.class).inNamespace("apps").withName("web").delete();
    // A node still publishing: nothing is merged yet.
    Thread.sleep(1500);
    assertThat(branchHead("web-nginx")).isEmpty();
    assertThat(client.resources(SeccompProfile.class).withName("web-nginx-web-1").get()).isNotNull();

    client.resources(ProfileRecording.class).inNamespace("apps").withName("web").edit(r -> {
      r.getMetadata().setFinalizers(new ArrayList<>(List.of(RecordingPublishReconciler.FINALIZER)));
      return r;
    });

    await().atMost(WAIT).untilAsserted(() -> assertThat(client.resources(ProfileRecording.class).inNamespace("apps").withName("web").get()).isNull());
    String file = server("show", "refs/heads/profileops/recording/web-nginx:seccomp/web.yaml");
    assertThat(file).contains("name: web-nginx", "- close", "- futex", "- openat", "- read", SyscallCoverageAnnotation.ANNOTATION)
        .doesNotContain("ptrace", SpoApi.LABEL_PARTIAL, "recorded-pod");
    assertThat(server("log", "-1", "--format=%an", "refs/heads/profileops/recording/web-nginx")).isEqualTo("ProfileOps Recorder");
    assertThat(server("rev-parse", "refs/heads/main")).isEqualTo(mainHead);
    // The partials are gone; the merged profile reaches the cluster through git, not from here.
    assertThat(client.resources(SeccompProfile.class).list().getItems()).isEmpty();
  }

  @Test
  void proposesEachReplicaWhenNotMergingAndMarksItProposed() throws Exception {
    client.resource(recording("api", MergeStrategy.None, true)).create();

    client.resource(recorded("api", "server", "api-1", "node-a", false, "read", "accept4")).create();

    await().atMost(WAIT).untilAsserted(() -> assertThat(branchHead("api-server")).isNotEmpty());
    assertThat(server("show", "refs/heads/profileops/recording/api-server:seccomp/api-server-api-1.yaml")).contains("- accept4");
    await().atMost(WAIT).untilAsserted(() -> assertThat(client.resources(SeccompProfile.class).withName("api-server-api-1").get()
        .getMetadata().getAnnotations()).containsEntry(RecordingPublishReconciler.ANNOTATION_PUBLISHED,
            "profileops/recording/api-server@" + branchHead("api-server")));
    // Never the default branch.
    assertThat(server("rev-parse", "refs/heads/main")).isEqualTo(mainHead);
  }

  @Test
  void withoutARepositoryTheMergedProfileGoesIntoTheClusterAsSpoDoes() {
    client.resource(recording("job", MergeStrategy.Containers, false)).create();
    client.resource(recorded("job", "worker", "job-1", "node-a", true, "read")).create();
    client.resource(recorded("job", "worker", "job-2", "node-a", true, "write")).create();
    await().atMost(WAIT).untilAsserted(() -> assertThat(finalizers("job")).contains(RecordingPublishReconciler.FINALIZER));

    client.resources(ProfileRecording.class).inNamespace("apps").withName("job").delete();

    await().atMost(WAIT).untilAsserted(() -> assertThat(client.resources(SeccompProfile.class).withName("job-worker").get()).isNotNull());
    SeccompProfile merged = client.resources(SeccompProfile.class).withName("job-worker").get();
    assertThat(merged.getSpec().getSyscalls().get(0).getNames()).containsExactly("read", "write");
    assertThat(SyscallCoverageAnnotation.parse(merged.getMetadata().getAnnotations().get(SyscallCoverageAnnotation.ANNOTATION)).total()).isEqualTo(2);
    await().atMost(WAIT).untilAsserted(() -> assertThat(client.resources(SeccompProfile.class).withName("job-worker-job-1").get()).isNull());
  }

  @Test
  void mergesSelinuxPartialsOnceEveryNodeIsDoneAndProposesThemInPermissions() throws Exception {
    ProfileRecording recording = recording("avc", MergeStrategy.Containers, true);
    recording.getSpec().setKind(ProfileKind.SelinuxProfile);
    recording.getSpec().setRecorder(RecorderType.Logs);
    client.resource(recording).create();
    client.resource(recordedSelinux("avc", "web", "avc-1", "node-a", Map.of("var_log_t", Map.of("file", List.of("open", "read"))))).create();
    client.resource(recordedSelinux("avc", "web", "avc-2", "node-b", Map.of("var_log_t", Map.of("file", List.of("read")),
        "@self", Map.of("process", List.of("signal"), "capability", List.of("dac_override"))))).create();
    await().atMost(WAIT).untilAsserted(() -> assertThat(finalizers("avc")).contains(RecordingPublishReconciler.FINALIZER));

    client.resources(ProfileRecording.class).inNamespace("apps").withName("avc").delete();

    await().atMost(WAIT).untilAsserted(() -> assertThat(client.resources(ProfileRecording.class).inNamespace("apps").withName("avc").get()).isNull());
    String file = server("show", "refs/heads/profileops/recording/avc-web:selinux/avc-web.yaml");
    assertThat(file).contains("kind: SelinuxProfile", "name: avc-web", "var_log_t:", "- open", "- read", "- signal", "name: container")
        .doesNotContain("dac_override", SpoApi.LABEL_PARTIAL, "recorded-pod", SyscallCoverageAnnotation.ANNOTATION);
    assertThat(server("log", "-1", "--format=%B", "refs/heads/profileops/recording/avc-web"))
        .startsWith("Recorded SELinux profile avc-web (+3 -0 permissions)")
        .contains("left out: @self capability dac_override", "Replicas: avc-1, avc-2", "Nodes: node-a, node-b");
    assertThat(server("rev-parse", "refs/heads/main")).isEqualTo(mainHead);
    assertThat(client.resources(SelinuxProfile.class).list().getItems()).as("the partials are gone").isEmpty();
  }

  @Test
  void aLogRecordingIsMergedOnlyOnceItsNodesAreDoneToo() throws Exception {
    ProfileRecording recording = recording("logs", MergeStrategy.Containers, true);
    recording.getSpec().setKind(ProfileKind.SelinuxProfile);
    recording.getSpec().setRecorder(RecorderType.Logs);
    recording.getMetadata().setFinalizers(List.of("node-a.recording.profileops.dev/logs-published"));
    client.resource(recording).create();
    client.resource(recordedSelinux("logs", "web", "logs-1", "node-a", Map.of("var_log_t", Map.of("file", List.of("read"))))).create();
    await().atMost(WAIT).untilAsserted(() -> assertThat(finalizers("logs")).contains(RecordingPublishReconciler.FINALIZER));

    client.resources(ProfileRecording.class).inNamespace("apps").withName("logs").delete();
    // The log-recording node still publishing: nothing is merged yet.
    Thread.sleep(1500);
    assertThat(branchHead("logs-web")).isEmpty();
    assertThat(client.resources(SelinuxProfile.class).withName("logs-web-logs-1").get()).isNotNull();

    client.resources(ProfileRecording.class).inNamespace("apps").withName("logs").edit(r -> {
      r.getMetadata().setFinalizers(new ArrayList<>(List.of(RecordingPublishReconciler.FINALIZER)));
      return r;
    });
    await().atMost(WAIT).untilAsserted(() -> assertThat(branchHead("logs-web")).isNotEmpty());
  }

  @Test
  void proposesEachSelinuxReplicaWhenNotMerging() throws Exception {
    ProfileRecording recording = recording("one", MergeStrategy.None, true);
    recording.getSpec().setKind(ProfileKind.SelinuxProfile);
    recording.getSpec().setRecorder(RecorderType.Logs);
    client.resource(recording).create();

    SelinuxProfile replica = recordedSelinux("one", "web", "one-1", "node-a", Map.of("var_log_t", Map.of("file", List.of("read"))));
    replica.getMetadata().getLabels().remove(SpoApi.LABEL_PARTIAL);
    client.resource(replica).create();

    await().atMost(WAIT).untilAsserted(() -> assertThat(branchHead("one-web")).isNotEmpty());
    assertThat(server("show", "refs/heads/profileops/recording/one-web:selinux/one-web-one-1.yaml")).contains("- read");
    await().atMost(WAIT).untilAsserted(() -> assertThat(client.resources(SelinuxProfile.class).withName("one-web-one-1").get()
        .getMetadata().getAnnotations()).containsEntry(RecordingPublishReconciler.ANNOTATION_PUBLISHED,
            "profileops/recording/one-web@" + branchHead("one-web")));
  }

  private List<String> finalizers(String name) {
    ProfileRecording current = client.resources(ProfileRecording.class).inNamespace("apps").withName(name).get();
    return current == null ? List.of() : current.getMetadata().getFinalizers();
  }

  private String branchHead(String suffix) {
    try {
      return server("rev-parse", "--verify", "--quiet", "refs/heads/profileops/recording/" + suffix);
    } catch (Exception e) {
      return "";
    }
  }

  private String server(String... args) throws Exception {
    return repository.git(args);
  }

  private static ProfileRecording recording(String name, MergeStrategy merge, boolean toGit) {
    ProfileRecording recording = new ProfileRecording();
    recording.getMetadata().setName(name);
    recording.getMetadata().setNamespace("apps");
    if (toGit) {
      recording.getMetadata().setAnnotations(Map.of(PublishTarget.ANNOTATION, "profiles"));
    }
    ProfileRecordingSpec spec = new ProfileRecordingSpec();
    spec.setKind(ProfileKind.SeccompProfile);
    spec.setRecorder(RecorderType.Bpf);
    spec.setMergeStrategy(merge);
    spec.setPodSelector(new LabelSelectorBuilder().withMatchLabels(Map.of("app", name)).build());
    recording.setSpec(spec);
    return recording;
  }

  /** What a node daemon writes when a container of the recording exits. */
  private static SeccompProfile recorded(String recording, String container, String pod, String node, boolean partial,
      String... syscalls) {
    SeccompProfile profile = RecordedSeccompProfile.build(recording, container, "x86_64", List.of(syscalls));
    profile.getMetadata().setName(RecordingMetadata.name(recording, container) + "-" + pod);
    Map<String, String> labels = new HashMap<>(profile.getMetadata().getLabels());
    labels.put(RecordingMetadata.LABEL_CONTAINER_ID, container);
    if (partial) {
      labels.put(SpoApi.LABEL_PARTIAL, "true");
    }
    profile.getMetadata().setLabels(labels);
    profile.getMetadata().setAnnotations(Map.of(
        RecordingMetadata.ANNOTATION_RECORDING_NAMESPACE, "apps",
        RecordingMetadata.ANNOTATION_POD, "apps/" + pod,
        RecordingMetadata.ANNOTATION_NODE, node,
        RecordingMetadata.ANNOTATION_STARTED, "2026-11-29T10:00:00Z",
        RecordingMetadata.ANNOTATION_ENDED, "2026-11-29T10:05:00Z"));
    return profile;
  }

  /** What a node daemon writes for a container recorded from its AVCs, partial (mergeStrategy Containers). */
  private static SelinuxProfile recordedSelinux(String recording, String container, String pod, String node,
      Map<String, Map<String, List<String>>> allow) {
    SelinuxProfile profile = new SelinuxProfile();
    profile.getMetadata().setName(RecordingMetadata.name(recording, container) + "-" + pod);
    profile.getMetadata().setLabels(new HashMap<>(Map.of(RecordingMetadata.LABEL_RECORDING_ID, recording,
        RecordingMetadata.LABEL_CONTAINER_ID, container, SpoApi.LABEL_PARTIAL, "true")));
    profile.getMetadata().setAnnotations(Map.of(
        RecordingMetadata.ANNOTATION_RECORDING_NAMESPACE, "apps",
        RecordingMetadata.ANNOTATION_POD, "apps/" + pod,
        RecordingMetadata.ANNOTATION_NODE, node));
    SelinuxProfileSpec spec = new SelinuxProfileSpec();
    spec.setInherit(new ArrayList<>(List.of(new PolicyRef("System", "container"))));
    spec.setAllow(allow);
    profile.setSpec(spec);
    return profile;
  }

  public static class Timeout implements Consumer<KubernetesClientBuilder> {
    @Override
    public void accept(KubernetesClientBuilder builder) {
      builder.editOrNewConfig().withRequestTimeout(10_000).endConfig();
    }
  }
}
