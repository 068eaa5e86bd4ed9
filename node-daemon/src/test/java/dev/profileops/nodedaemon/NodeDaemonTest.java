package dev.profileops.nodedaemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.profileops.api.SpoApi;
import dev.profileops.api.common.Condition;
import dev.profileops.api.common.ProfileActivation;
import dev.profileops.api.common.ProfileState;
import dev.profileops.api.nodestatus.SecurityProfileNodeStatus;
import dev.profileops.api.seccomp.SeccompAction;
import dev.profileops.api.seccomp.SeccompProfile;
import dev.profileops.api.seccomp.SeccompProfileSpec;
import dev.profileops.api.seccomp.SyscallRule;
import dev.profileops.nodedaemon.seccomp.OciSeccompJson;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon against fabric8's CRUD mock API server, with the CRDs' status subresources. */
@EnableKubernetesMockClient(crud = true, kubernetesClientBuilderCustomizer = NodeDaemonTest.ShortRequestTimeout.class)
class NodeDaemonTest {
  private static final String NODE = "node-a";
  private static final Duration WAIT = Duration.ofSeconds(15);
  /** How soon a file changed on the node must have its bytes back. */
  private static final Duration RESTORED = Duration.ofSeconds(2);

  KubernetesClient client;

  @TempDir Path kubeletDir;
  @TempDir Path otherKubeletDir;

  private final List<NodeDaemon> daemons = new ArrayList<>();

  @BeforeEach
  void installCrds() {
    MockCrds.create(client, SeccompProfile.class, SecurityProfileNodeStatus.class);
  }

  @AfterEach
  void stopDaemons() {
    daemons.forEach(NodeDaemon::stop);
  }

  @Test
  void installsAProfileAndReportsItOnTheNodeAndTheProfile() {
    start(NODE, kubeletDir);
    SeccompProfile created = create(profile("nginx", SeccompAction.SCMP_ACT_ERRNO, "read", "write"));

    Path file = kubeletDir.resolve("seccomp/operator/nginx.json");
    await().atMost(WAIT).untilAsserted(() -> assertThat(file).hasBinaryContent(OciSeccompJson.render(created.getSpec())));
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(nodeState("nginx-node-a")).isEqualTo(ProfileState.Installed);
      SecurityProfileNodeStatus nodeStatus = nodeStatus("nginx-node-a");
      assertThat(nodeStatus.getMetadata().getLabels()).containsAllEntriesOf(Map.of(
          SpoApi.LABEL_PROFILE_ID, "SeccompProfile-nginx",
          SpoApi.LABEL_NODE_NAME, NODE,
          SpoApi.LABEL_PROFILE_STATE, "Installed",
          SpoApi.LABEL_PROFILE_KIND, "SeccompProfile"));
      assertThat(nodeStatus.getSpec().getNodeName()).isEqualTo(NODE);
      assertThat(nodeStatus.getSpec().getProfileName()).isEqualTo("nginx");
      assertThat(nodeStatus.getSpec().getProfileKind()).isEqualTo("SeccompProfile");
      assertThat(nodeStatus.getMetadata().getOwnerReferences()).singleElement()
          .satisfies(owner -> assertThat(owner.getUid()).isEqualTo(created.getMetadata().getUid()));
    });
    await().atMost(WAIT).untilAsserted(() -> {
      SeccompProfile profile = seccompProfile("nginx");
      assertThat(profile.getMetadata().getFinalizers()).containsExactly("node-a.node.profileops.dev/deleted");
      assertThat(profile.getStatus()).isNotNull();
      assertThat(profile.getStatus().getStatus()).isEqualTo(ProfileState.Installed);
      assertThat(profile.getStatus().getPath()).isEqualTo(file.toAbsolutePath().toString());
      assertThat(profile.getStatus().getLocalhostProfile()).isEqualTo("operator/nginx.json");
      assertThat(ready(profile)).extracting(Condition::getStatus, Condition::getReason).containsExactly("True", "Installed");
    });
  }

  @Test
  void mergesTheBaseProfileIntoTheFile() {
    start(NODE, kubeletDir);
    create(profile("base", SeccompAction.SCMP_ACT_ERRNO, "read", "write"));
    SeccompProfile app = profile("app", SeccompAction.SCMP_ACT_ERRNO, "openat");
    app.getSpec().setBaseProfileName("base");
    create(app);

    await().atMost(WAIT).untilAsserted(() -> assertThat(contentOf(kubeletDir.resolve("seccomp/operator/app.json")))
        .contains("\"openat\"", "\"read\"", "\"write\"")
        .doesNotContain("baseProfileName"));
  }

  @Test
  void aMissingBaseIsAnErrorUntilTheBaseAppears() {
    start(NODE, kubeletDir);
    SeccompProfile app = profile("app", SeccompAction.SCMP_ACT_ERRNO, "openat");
    app.getSpec().setBaseProfileName("base");
    create(app);

    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(nodeState("app-node-a")).isEqualTo(ProfileState.Error);
      assertThat(nodeMessage("app-node-a")).contains("base profile base does not exist");
      SeccompProfile profile = seccompProfile("app");
      assertThat(profile.getStatus()).isNotNull();
      assertThat(profile.getStatus().getStatus()).isEqualTo(ProfileState.Error);
      assertThat(ready(profile)).extracting(Condition::getStatus, Condition::getReason).containsExactly("False", "Error");
    });
    assertThat(kubeletDir.resolve("seccomp/operator/app.json")).doesNotExist();

    // Creating the base re-triggers the profile built on it, without waiting for a resync.
    create(profile("base", SeccompAction.SCMP_ACT_ERRNO, "read"));

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(contentOf(kubeletDir.resolve("seccomp/operator/app.json"))).contains("\"openat\"", "\"read\"");
      assertThat(nodeState("app-node-a")).isEqualTo(ProfileState.Installed);
      // The status write replaces the whole status: the error's message goes with it.
      assertThat(nodeMessage("app-node-a")).isNull();
    });
  }

  @Test
  void aChangedBaseRewritesTheProfilesBuiltOnIt() {
    start(NODE, kubeletDir);
    create(profile("base", SeccompAction.SCMP_ACT_ERRNO, "read"));
    SeccompProfile middle = profile("middle", SeccompAction.SCMP_ACT_ERRNO, "write");
    middle.getSpec().setBaseProfileName("base");
    create(middle);
    SeccompProfile app = profile("app", SeccompAction.SCMP_ACT_ERRNO, "openat");
    app.getSpec().setBaseProfileName("middle");
    create(app);
    Path appFile = kubeletDir.resolve("seccomp/operator/app.json");
    await().atMost(WAIT).untilAsserted(() -> assertThat(contentOf(appFile)).contains("\"read\"", "\"write\"", "\"openat\""));

    edit("base", p -> {
      p.getSpec().getSyscalls().get(0).getNames().add("close");
      return p;
    });

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(contentOf(appFile)).contains("\"close\""));
  }

  @Test
  void anEditThatBreaksTheProfileKeepsTheInstalledFile() throws IOException {
    start(NODE, kubeletDir);
    create(profile("app", SeccompAction.SCMP_ACT_ERRNO, "openat"));
    Path file = kubeletDir.resolve("seccomp/operator/app.json");
    await().atMost(WAIT).untilAsserted(() -> assertThat(nodeState("app-node-a")).isEqualTo(ProfileState.Installed));
    byte[] goodBytes = Files.readAllBytes(file);

    edit("app", p -> {
      p.getSpec().setBaseProfileName("does-not-exist");
      return p;
    });

    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(nodeState("app-node-a")).isEqualTo(ProfileState.Error);
      assertThat(nodeMessage("app-node-a")).contains("does-not-exist", "previously installed version stays");
      assertThat(profileState("app")).isEqualTo(ProfileState.Error);
    });
    assertThat(file).hasBinaryContent(goodBytes);

    // The last good state is also what an edit on the node is reverted to.
    Files.writeString(file, "{}");
    await().atMost(RESTORED).untilAsserted(() -> assertThat(file).hasBinaryContent(goodBytes));
  }

  @Test
  void disabledAndPartialProfilesAreNotInstalled() {
    start(NODE, kubeletDir);
    create(profile("app", SeccompAction.SCMP_ACT_ERRNO, "openat"));
    SeccompProfile partial = profile("recorded", SeccompAction.SCMP_ACT_ERRNO, "openat");
    partial.getMetadata().setLabels(Map.of(SpoApi.LABEL_PARTIAL, "true"));
    create(partial);
    Path appFile = kubeletDir.resolve("seccomp/operator/app.json");
    await().atMost(WAIT).untilAsserted(() -> assertThat(appFile).exists());

    edit("app", p -> {
      p.getSpec().setState(ProfileActivation.Disabled);
      return p;
    });

    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(appFile).doesNotExist();
      assertThat(nodeState("app-node-a")).isEqualTo(ProfileState.Disabled);
      assertThat(profileState("app")).isEqualTo(ProfileState.Disabled);
      assertThat(seccompProfile("app").getStatus().getLocalhostProfile()).isNull();
      assertThat(nodeState("recorded-node-a")).isEqualTo(ProfileState.Partial);
      assertThat(profileState("recorded")).isEqualTo(ProfileState.Partial);
    });
    assertThat(kubeletDir.resolve("seccomp/operator/recorded.json")).doesNotExist();

    // Dropping the label is a metadata-only change; it must still be noticed.
    edit("recorded", p -> {
      p.getMetadata().setLabels(Map.of());
      return p;
    });
    await().atMost(WAIT).untilAsserted(() -> assertThat(kubeletDir.resolve("seccomp/operator/recorded.json")).exists());
  }

  @Test
  void deletingAProfileUninstallsItAndReleasesTheFinalizer() {
    start(NODE, kubeletDir);
    create(profile("nginx", SeccompAction.SCMP_ACT_ERRNO, "read"));
    Path file = kubeletDir.resolve("seccomp/operator/nginx.json");
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(file).exists();
      assertThat(seccompProfile("nginx").getMetadata().getFinalizers()).contains("node-a.node.profileops.dev/deleted");
      assertThat(nodeStatus("nginx-node-a")).isNotNull();
    });

    client.resources(SeccompProfile.class).withName("nginx").delete();

    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(file).doesNotExist();
      assertThat(nodeStatus("nginx-node-a")).isNull();
      assertThat(seccompProfile("nginx")).as("the profile is gone once our finalizer is released").isNull();
    });
  }

  @Test
  void everyNodeInstallsAndHoldsItsOwnFinalizer() {
    start("node-a", kubeletDir);
    start("ip-10-0-0-7.ec2.internal", otherKubeletDir);
    create(profile("nginx", SeccompAction.SCMP_ACT_ERRNO, "read"));

    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(kubeletDir.resolve("seccomp/operator/nginx.json")).exists();
      assertThat(otherKubeletDir.resolve("seccomp/operator/nginx.json")).exists();
      assertThat(nodeState("nginx-node-a")).isEqualTo(ProfileState.Installed);
      assertThat(nodeState("nginx-ip-10-0-0-7.ec2.internal")).isEqualTo(ProfileState.Installed);
      assertThat(seccompProfile("nginx").getMetadata().getFinalizers()).containsExactlyInAnyOrder(
          "node-a.node.profileops.dev/deleted", "ip-10-0-0-7.ec2.internal.node.profileops.dev/deleted");
      assertThat(profileState("nginx")).isEqualTo(ProfileState.Installed);
    });

    client.resources(SeccompProfile.class).withName("nginx").delete();

    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(kubeletDir.resolve("seccomp/operator/nginx.json")).doesNotExist();
      assertThat(otherKubeletDir.resolve("seccomp/operator/nginx.json")).doesNotExist();
      assertThat(client.resources(SecurityProfileNodeStatus.class).list().getItems()).isEmpty();
      assertThat(seccompProfile("nginx")).isNull();
    });
  }

  @Test
  void isReadyOnceTheFilesOfTheProfilesPresentAtStartAreInstalledAndReportedOnceTheirStatusesAre() throws InterruptedException {
    create(profile("one", SeccompAction.SCMP_ACT_ERRNO, "read"));
    create(profile("two", SeccompAction.SCMP_ACT_ERRNO, "write"));

    NodeDaemon daemon = start(NODE, kubeletDir);

    // Ready means the files are in place: the start-up pass installs them before start returns.
    assertThat(daemon.isReady()).isTrue();
    assertThat(kubeletDir.resolve("seccomp/operator/one.json")).exists();
    assertThat(kubeletDir.resolve("seccomp/operator/two.json")).exists();
    assertThat(kubeletDir.resolve("seccomp/operator/.profileops-installed.json")).content().contains("\"one\"", "\"two\"");
    // Reported means every profile was reconciled: node status written, profile status on its way.
    assertThat(daemon.awaitReported(WAIT)).isTrue();
    assertThat(nodeState("one-node-a")).isEqualTo(ProfileState.Installed);
    assertThat(nodeState("two-node-a")).isEqualTo(ProfileState.Installed);
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(profileState("one")).isEqualTo(ProfileState.Installed);
      assertThat(profileState("two")).isEqualTo(ProfileState.Installed);
    });
  }

  @Test
  void aFileEditedOnTheNodeIsRestoredAndForeignFilesAreLeftAlone() throws Exception {
    start(NODE, kubeletDir);
    SeccompProfile created = create(profile("nginx", SeccompAction.SCMP_ACT_ERRNO, "read", "write"));
    byte[] expected = OciSeccompJson.render(created.getSpec());
    Path file = kubeletDir.resolve("seccomp/operator/nginx.json");
    await().atMost(WAIT).untilAsserted(() -> assertThat(file).hasBinaryContent(expected));
    Path foreign = file.resolveSibling("someone-elses.json");
    Files.writeString(foreign, "{\"defaultAction\": \"SCMP_ACT_LOG\"}\n");
    FileTime past = FileTime.fromMillis(1_000_000_000_000L);
    Files.setLastModifiedTime(foreign, past);

    Files.writeString(file, "{\"defaultAction\": \"SCMP_ACT_ALLOW\"}\n");

    await().atMost(RESTORED).untilAsserted(() -> assertThat(file).hasBinaryContent(expected));
    // Edited again, in place this time through an open file rather than replaced: restored too.
    Files.write(file, "{}".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
    await().atMost(RESTORED).untilAsserted(() -> assertThat(file).hasBinaryContent(expected));
    assertThatNothingWritesTo(file);
    assertThat(foreign).hasContent("{\"defaultAction\": \"SCMP_ACT_LOG\"}\n");
    assertThat(Files.getLastModifiedTime(foreign)).isEqualTo(past);

    // Editing the foreign file does not bring in the daemon either.
    Files.writeString(foreign, "not even JSON");
    Thread.sleep(500);
    assertThat(foreign).hasContent("not even JSON");
  }

  @Test
  void aFileDeletedOrReplacedOnTheNodeIsPutBack() throws Exception {
    NodeDaemon daemon = start(NODE, kubeletDir);
    SeccompProfile created = create(profile("nginx", SeccompAction.SCMP_ACT_ERRNO, "read"));
    byte[] expected = OciSeccompJson.render(created.getSpec());
    Path file = kubeletDir.resolve("seccomp/operator/nginx.json");
    await().atMost(WAIT).untilAsserted(() -> assertThat(file).hasBinaryContent(expected));

    Files.delete(file);

    await().atMost(RESTORED).untilAsserted(() -> assertThat(file).hasBinaryContent(expected));
    assertThatNothingWritesTo(file);

    // Replaced the way editors save: another file renamed over it.
    Path edited = file.resolveSibling("nginx.json.edit");
    Files.writeString(edited, "{\"defaultAction\": \"SCMP_ACT_ALLOW\"}\n");
    Files.move(edited, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

    await().atMost(RESTORED).untilAsserted(() -> assertThat(file).hasBinaryContent(expected));
    assertThat(nodeState("nginx-node-a")).isEqualTo(ProfileState.Installed);

    // A stopped daemon no longer watches.
    daemon.stop();
    Files.delete(file);
    Thread.sleep(500);
    assertThat(file).doesNotExist();
  }

  @Test
  void aFileIsNoLongerGuardedOnceItsProfileIsDisabled() throws Exception {
    start(NODE, kubeletDir);
    create(profile("app", SeccompAction.SCMP_ACT_ERRNO, "openat"));
    Path file = kubeletDir.resolve("seccomp/operator/app.json");
    await().atMost(WAIT).untilAsserted(() -> assertThat(file).exists());
    edit("app", p -> {
      p.getSpec().setState(ProfileActivation.Disabled);
      return p;
    });
    await().atMost(WAIT).untilAsserted(() -> assertThat(nodeState("app-node-a")).isEqualTo(ProfileState.Disabled));
    assertThat(file).doesNotExist();

    // Someone else's file now, under the same name: not deleted, not rewritten.
    Files.writeString(file, "mine");
    Thread.sleep(500);
    assertThat(file).hasContent("mine");
  }

  /**
   * The mock answers a JSON patch that no longer applies (two nodes dropping their finalizers at once)
   * with nothing at all instead of a 422, so the request hangs until the client gives up; a real API
   * server answers and JOSDK re-reads and retries. A short timeout keeps that detour short (but not so
   * short that a busy CI machine times out ordinary calls).
   */
  public static class ShortRequestTimeout implements Consumer<KubernetesClientBuilder> {
    @Override
    public void accept(KubernetesClientBuilder builder) {
      builder.editOrNewConfig().withRequestTimeout(5_000).endConfig();
    }
  }

  private NodeDaemon start(String node, Path dir) {
    NodeDaemon daemon = new NodeDaemon(client, node, dir);
    daemons.add(daemon);
    daemon.start();
    return daemon;
  }

  private SeccompProfile create(SeccompProfile profile) {
    return client.resource(profile).create();
  }

  /** Edits like a user would, retrying when the daemon wrote the object in between (409). */
  private void edit(String name, UnaryOperator<SeccompProfile> change) {
    for (int attempt = 1; ; attempt++) {
      try {
        client.resources(SeccompProfile.class).withName(name).edit(change);
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 5) {
          throw e;
        }
      }
    }
  }

  private SeccompProfile seccompProfile(String name) {
    return client.resources(SeccompProfile.class).withName(name).get();
  }

  private SecurityProfileNodeStatus nodeStatus(String name) {
    return client.resources(SecurityProfileNodeStatus.class).withName(name).get();
  }

  /** The node status's state, null while the object or its status is not there yet. */
  private ProfileState nodeState(String name) {
    SecurityProfileNodeStatus status = nodeStatus(name);
    return status == null || status.getStatus() == null ? null : status.getStatus().getStatus();
  }

  private String nodeMessage(String name) {
    SecurityProfileNodeStatus status = nodeStatus(name);
    return status == null || status.getStatus() == null ? null : status.getStatus().getMessage();
  }

  /** The profile's aggregated state, null while it has no status. */
  private ProfileState profileState(String name) {
    SeccompProfile profile = seccompProfile(name);
    return profile == null || profile.getStatus() == null ? null : profile.getStatus().getStatus();
  }

  private static Condition ready(SeccompProfile profile) {
    return profile.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType())).findFirst().orElseThrow();
  }

  /** The file is not written again: same inode, and a planted modification time stays for a second. */
  private static void assertThatNothingWritesTo(Path file) throws IOException, InterruptedException {
    FileTime past = FileTime.fromMillis(1_000_000_000_000L);
    Files.setLastModifiedTime(file, past);
    Object inode = Files.readAttributes(file, "unix:ino").get("ino");
    Thread.sleep(1_000);
    assertThat(Files.getLastModifiedTime(file)).isEqualTo(past);
    assertThat(Files.readAttributes(file, "unix:ino").get("ino")).isEqualTo(inode);
  }

  private static String contentOf(Path file) throws IOException {
    return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
  }

  private static SeccompProfile profile(String name, SeccompAction defaultAction, String... allowed) {
    SeccompProfile profile = new SeccompProfile();
    profile.setMetadata(new ObjectMetaBuilder().withName(name).build());
    SeccompProfileSpec spec = new SeccompProfileSpec();
    spec.setDefaultAction(defaultAction);
    spec.setSyscalls(new ArrayList<>(List.of(new SyscallRule(List.of(allowed), SeccompAction.SCMP_ACT_ALLOW))));
    profile.setSpec(spec);
    return profile;
  }

}
