package dev.profileops.nodedaemon.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.profileops.api.common.ProfileKind;
import dev.profileops.api.nodestatus.SecurityProfileNodeStatus;
import dev.profileops.api.recording.MergeStrategy;
import dev.profileops.api.recording.ProfileRecording;
import dev.profileops.api.recording.RecorderType;
import dev.profileops.api.selinux.SelinuxProfile;
import dev.profileops.api.source.GitRef;
import dev.profileops.api.source.ProfileSource;
import dev.profileops.api.source.ProfileSourceSpec;
import dev.profileops.host.seccomp.SyscallTable;
import dev.profileops.host.seccomp.SyscallTables;
import dev.profileops.host.selinux.PolicyStores;
import dev.profileops.nodedaemon.MockCrds;
import dev.profileops.nodedaemon.NodeDaemon;
import dev.profileops.nodedaemon.enricher.EnricherMetrics;
import dev.profileops.nodedaemon.enricher.LogEnricher;
import dev.profileops.nodedaemon.enricher.output.EnrichedSinks;
import dev.profileops.nodedaemon.enricher.resolve.NodePodDirectory;
import dev.profileops.nodedaemon.enricher.resolve.ProcFsProcessTable;
import dev.profileops.nodedaemon.enricher.resolve.ProcessResolver;
import dev.profileops.nodedaemon.enricher.resolve.SyscallNames;
import dev.profileops.nodedaemon.enricher.source.FollowedFile;
import dev.profileops.nodedaemon.selinux.SelinuxCil;
import dev.profileops.nodedaemon.selinux.SelinuxPolicyInstaller;
import dev.profileops.recorder.cluster.PublishTarget;
import dev.profileops.recorder.cluster.RecordingPublishReconciler;
import dev.profileops.recorder.publish.RecordingPublisher;
import dev.profileops.syncer.source.LoadResult;
import dev.profileops.syncer.source.RepositoryLoader;
import dev.profileops.testsupport.GitDaemonServer;
import dev.profileops.testsupport.GitWorkTree;
import dev.profileops.testsupport.Prerequisites;
import dev.profileops.testsupport.SelinuxStoreCopy;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SELinux recording from logs ({@code kind: SelinuxProfile}, {@code recorder: Logs}) and the namespace
 * opt-in, through the node daemon's operator and the log enricher on an audit file, and on to a
 * pull-request branch through the recorder's publisher. The AVC lines are
 * fixtures written from the documented format: this machine's kernel has no SELinux and cannot emit
 * them. Pods, recordings and profiles live in the mock API server's CRUD mode.
 */
@EnableKubernetesMockClient(crud = true, kubernetesClientBuilderCustomizer = RecordingFixtures.Timeout.class)
class LogRecordingSelinuxTest {
  private static final String NODE = "node-a";
  private static final String WEB = "4".repeat(64);
  private static final String DB = "5".repeat(64);
  private static final String RECORDING_CONTEXT = "system_u:system_r:selinuxrecording.process:s0:c4,c5";
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static SyscallTable table;

  KubernetesClient client;
  @TempDir Path dir;
  private Path proc;
  private Path log;
  private NodePodDirectory pods;
  private LogEnricher enricher;
  private LogRecordingReconciler recording;
  private NodeDaemon daemon;
  private final List<String> askedNamespaces = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void libseccomp() {
    table = SyscallTables.system();
    Prerequisites.require(table.available() ? Optional.empty() : Optional.of("libseccomp is missing: " + table.version()));
  }

  @BeforeEach
  void start() throws IOException {
    MockCrds.create(client, SelinuxProfile.class, SecurityProfileNodeStatus.class, ProfileRecording.class);
    proc = Files.createDirectories(dir.resolve("proc"));
    log = Files.createFile(dir.resolve("audit.log"));
    pods = NodePodDirectory.start(client, NODE, false);
    LoggedAvcs avcs = new LoggedAvcs();
    LoggedSyscalls syscalls = new LoggedSyscalls();
    enricher = new LogEnricher(new FollowedFile(log, true),
        new ProcessResolver(new ProcFsProcessTable(proc), pods, System::nanoTime, 100, Duration.ofMinutes(1), Duration.ofMillis(1)),
        new SyscallNames(table), NODE, EnrichedSinks.all(syscalls, avcs), new EnricherMetrics(new SimpleMeterRegistry(), NODE, 100),
        System::nanoTime, true, 100, Duration.ofSeconds(30));
    RecordingNamespaces labelled = RecordingNamespaces.labelled(client);
    RecordingNamespaces watched = namespace -> {
      boolean optedIn = labelled.optedIn(namespace);
      askedNamespaces.add(namespace + (optedIn ? "" : " (not opted in)"));
      return optedIn;
    };
    recording = new LogRecordingReconciler(NODE, syscalls, avcs, watched, new RecordedProfileWriter(client, NODE), "x86_64",
        Clock.systemUTC()).withoutFieldSelector();
    daemon = new NodeDaemon(client, NODE, Files.createDirectories(dir.resolve("kubelet")));
    daemon.enableLogRecording(recording);
    daemon.start();
  }

  @AfterEach
  void stop() throws IOException {
    daemon.stop();
    enricher.close();
    pods.close();
  }

  @Test
  void theRecordedContainersAvcsBecomeASelinuxProfileWithSelf() throws Exception {
    client.resource(RecordingFixtures.namespace(RecordingFixtures.NAMESPACE, true)).create();
    client.resource(RecordingFixtures.runningPod("web-1", NODE, "web", "box", "containerd://" + WEB)).create();
    client.resource(RecordingFixtures.runningPod("db-1", NODE, "db", "db", "containerd://" + DB)).create();
    client.resource(selinuxRecording("web")).create();
    await().atMost(WAIT).until(() -> recording.recordedContainers().stream().anyMatch(c -> c.containerId().equals(WEB)));
    process(100, WEB);
    process(200, DB);

    append(avc(1, 100, "read open", "system_u:object_r:var_log_t:s0", "file"),
        syscall(1, 100, 257),
        avc(2, 100, "signal", RECORDING_CONTEXT, "process"),
        syscall(2, 100, 62),
        // the same target again, another permission: merged, sorted
        avc(3, 100, "getattr read", "system_u:object_r:var_log_t:s0", "file"),
        // not the recording type: a container_t access of the same process is not recorded
        avc(4, 100, "write", "system_u:object_r:etc_t:s0", "file").replace(RECORDING_CONTEXT, "system_u:system_r:container_t:s0:c4,c5"),
        // another pod's container, not selected by the recording
        avc(5, 200, "name_bind", "system_u:object_r:http_port_t:s0", "tcp_socket"),
        syscall(5, 200, 49),
        // truncated mid-field: counted and skipped
        "type=AVC msg=audit(1700000000.900:6): avc:  granted  { read } for  pid=100 scontext=system_u:system_r:selinuxrec",
        "type=SECCOMP msg=audit(1700000000.950:7): pid=100 comm=\"sh\" exe=\"/bin/sh\" arch=c000003e syscall=83 code=0x7ffc0000");
    enricher.pollOnce();
    enricher.drain();
    client.pods().inNamespace(RecordingFixtures.NAMESPACE).withName("web-1").editStatus(RecordingFixtures::exited);

    await().atMost(WAIT).until(() -> client.resources(SelinuxProfile.class).withName("web-box-web-1").get() != null);
    SelinuxProfile profile = client.resources(SelinuxProfile.class).withName("web-box-web-1").get();
    assertThat(profile.getSpec().getAllow()).isEqualTo(Map.of(
        "@self", Map.of("process", List.of("signal")),
        "var_log_t", Map.of("file", List.of("getattr", "open", "read"))));
    assertThat(profile.getSpec().getInherit()).singleElement().satisfies(parent -> {
      assertThat(parent.getKind()).isEqualTo("System");
      assertThat(parent.getName()).isEqualTo("container");
    });
    assertThat(profile.getMetadata().getLabels())
        .containsEntry("spo.x-k8s.io/recording-id", "web")
        .containsEntry("spo.x-k8s.io/container-id", "box")
        .doesNotContainKey("spo.x-k8s.io/partial");
    assertThat(profile.getMetadata().getAnnotations()).containsValue("apps/web-1");
    assertThat(client.resources(SelinuxProfile.class).list().getItems()).as("nothing of the unselected pod").hasSize(1);
    assertThat(enricher.stats().malformed()).isEqualTo(1);
  }

  /**
   * The whole path of issue #6 for SELinux: AVCs → the node's SelinuxProfile → the recorder's
   * pull-request branch on a real {@code git daemon} → the syncer's validation → CIL compiled and
   * installed by {@code semodule} into a copy of Debian's policy store.
   */
  @Test
  void aRecordingNamingARepositoryEndsAsABranchWhoseProfileTheSyncerTakesAndSemoduleCompiles() throws Exception {
    SelinuxStoreCopy.assumeAvailable();
    GitDaemonServer.assumeAvailable();
    MockCrds.create(client, ProfileSource.class);
    try (GitDaemonServer git = GitDaemonServer.start(); GitWorkTree seed = GitWorkTree.init();
        SelinuxStoreCopy store = SelinuxStoreCopy.create()) {
      git.createBareRepo("team/profiles");
      seed.write("README.md", "profiles\n").commitAll("start");
      seed.push(git.url("team/profiles"), "main");
      client.resource(profileSource(git.url("team/profiles"))).create();
      Operator recorder = new Operator(o -> o.withKubernetesClient(client).withCloseClientOnStop(false)
          .withUseSSAToPatchPrimaryResource(false));
      recorder.register(new RecordingPublishReconciler(client, new RecordingPublisher(dir.resolve("clones"), table)),
          c -> c.withFinalizer(RecordingPublishReconciler.FINALIZER));
      recorder.start();
      try {
        client.resource(RecordingFixtures.namespace(RecordingFixtures.NAMESPACE, true)).create();
        client.resource(RecordingFixtures.runningPod("web-1", NODE, "web", "box", "containerd://" + WEB)).create();
        ProfileRecording toGit = selinuxRecording("web");
        toGit.getMetadata().setAnnotations(Map.of(PublishTarget.ANNOTATION, "profiles"));
        client.resource(toGit).create();
        await().atMost(WAIT).until(() -> recording.recordedContainers().stream().anyMatch(c -> c.containerId().equals(WEB)));
        process(100, WEB);
        append(avc(1, 100, "append getattr open", "system_u:object_r:var_log_t:s0", "file"),
            syscall(1, 100, 257),
            avc(2, 100, "search", "system_u:object_r:var_log_t:s0", "dir"),
            syscall(2, 100, 257),
            // a capability: the deny-list refuses it, so it is not proposed
            avc(3, 100, "dac_override", RECORDING_CONTEXT, "capability"),
            syscall(3, 100, 2));
        enricher.pollOnce();
        enricher.drain();
        client.pods().inNamespace(RecordingFixtures.NAMESPACE).withName("web-1").editStatus(RecordingFixtures::exited);

        String branch = "refs/heads/profileops/recording/web-box";
        await().atMost(WAIT).until(() -> !seed.git("ls-remote", git.url("team/profiles"), branch).isBlank());
        seed.git("fetch", "-q", git.url("team/profiles"), branch);
        seed.git("checkout", "-q", "FETCH_HEAD");
        assertThat(seed.dir().resolve("selinux/web-box-web-1.yaml")).exists();
        assertThat(seed.git("log", "-1", "--format=%B")).startsWith("Recorded SELinux profile web-box-web-1 (+4 -0 permissions)")
            .contains("left out: @self capability dac_override");

        LoadResult loaded = new RepositoryLoader(table).load(seed.dir());
        assertThat(loaded.errors()).isEmpty();
        SelinuxProfile proposed = (SelinuxProfile) loaded.validObjects().stream()
            .filter(o -> o.name().equals("web-box-web-1")).findFirst().orElseThrow().resource();
        assertThat(proposed.getSpec().getAllow()).isEqualTo(Map.of(
            "var_log_t", Map.of("dir", List.of("search"), "file", List.of("append", "getattr", "open"))));

        SelinuxPolicyInstaller installer = new SelinuxPolicyInstaller(PolicyStores.system(store.root(), SelinuxStoreCopy.STORE_NAME));
        assertThat(installer.installBasePolicies().errors()).isEmpty();
        SelinuxPolicyInstaller.BatchResult installed = installer.installAll(Map.of("web-box-web-1",
            new SelinuxCil(n -> null).translate("web-box-web-1", proposed.getSpec())));
        assertThat(installed.errors()).isEmpty();
        assertThat(store.listFull()).anySatisfy(l -> assertThat(l).matches("350 +web-box-web-1 +cil"));
      } finally {
        recorder.stop();
      }
    }
  }

  private static ProfileSource profileSource(String url) {
    ProfileSource source = new ProfileSource();
    source.getMetadata().setName("profiles");
    source.getMetadata().setNamespace(RecordingFixtures.NAMESPACE);
    ProfileSourceSpec spec = new ProfileSourceSpec();
    spec.setUrl(url);
    GitRef ref = new GitRef();
    ref.setBranch("main");
    spec.setRef(ref);
    source.setSpec(spec);
    return source;
  }

  @Test
  void podsOfANamespaceThatDidNotOptInAreNotRecordedUntilItIsLabelled() throws Exception {
    client.resource(RecordingFixtures.namespace("quiet", false)).create();
    Pod pod = RecordingFixtures.runningPod("web-1", NODE, "web", "box", "containerd://" + WEB);
    pod.getMetadata().setNamespace("quiet");
    client.resource(pod).create();
    ProfileRecording quiet = selinuxRecording("web");
    quiet.getMetadata().setNamespace("quiet");
    client.resource(quiet).create();

    await().atMost(WAIT).until(() -> askedNamespaces.contains("quiet (not opted in)"));
    assertThat(recording.recordedContainers()).isEmpty();

    client.namespaces().withName("quiet").edit(n -> {
      n.getMetadata().getLabels().put(RecordingNamespaces.LABEL, "");
      return n;
    });
    // A namespace's label is no event of the recording: a change of its pod is, sooner than the recheck.
    client.pods().inNamespace("quiet").withName("web-1").edit(p -> {
      p.getMetadata().getLabels().put("touched", "yes");
      return p;
    });
    await().atMost(WAIT).until(() -> recording.recordedContainers().stream().anyMatch(c -> c.containerId().equals(WEB)));
  }

  private static ProfileRecording selinuxRecording(String name) {
    ProfileRecording recording = RecordingFixtures.recording(name, MergeStrategy.None);
    recording.getSpec().setKind(ProfileKind.SelinuxProfile);
    recording.getSpec().setRecorder(RecorderType.Logs);
    return recording;
  }

  /** A permissive AVC of the recording type (what a container running as selinuxrecording.process logs). */
  private static String avc(int serial, long pid, String permissions, String tcontext, String tclass) {
    return "type=AVC msg=audit(1700000000." + (100 + serial) + ":" + serial + "): avc:  denied  { " + permissions + " } for  pid=" + pid
        + " comm=\"sh\" name=\"x\" scontext=" + RECORDING_CONTEXT + " tcontext=" + tcontext + " tclass=" + tclass + " permissive=1";
  }

  private static String syscall(int serial, long pid, int number) {
    return "type=SYSCALL msg=audit(1700000000." + (100 + serial) + ":" + serial + "): arch=c000003e syscall=" + number + " pid=" + pid
        + " exe=\"/bin/sh\"";
  }

  private void process(long pid, String containerId) throws IOException {
    Path process = Files.createDirectories(proc.resolve(Long.toString(pid)));
    Files.writeString(process.resolve("stat"), pid + " (sh) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 4242 0 0\n");
    Files.writeString(process.resolve("cgroup"), "0::/kubepods.slice/cri-containerd-" + containerId + ".scope\n");
  }

  private void append(String... lines) throws IOException {
    Files.writeString(log, String.join("\n", lines) + "\n", StandardOpenOption.APPEND);
  }
}
