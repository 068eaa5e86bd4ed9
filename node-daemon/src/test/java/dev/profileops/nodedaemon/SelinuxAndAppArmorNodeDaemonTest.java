package dev.profileops.nodedaemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.profileops.api.apparmor.AppArmorProfile;
import dev.profileops.api.common.ProfileState;
import dev.profileops.api.daemon.DaemonSpec;
import dev.profileops.api.daemon.SecurityProfilesOperatorDaemon;
import dev.profileops.api.nodestatus.SecurityProfileNodeStatus;
import dev.profileops.api.seccomp.SeccompProfile;
import dev.profileops.api.selinux.RawSelinuxProfile;
import dev.profileops.api.selinux.SelinuxProfile;
import dev.profileops.host.apparmor.ApparmorParserCommand;
import dev.profileops.host.apparmor.FakeAppArmorParser;
import dev.profileops.host.process.ToolRun;
import dev.profileops.host.selinux.FakePolicyStore;
import dev.profileops.nodedaemon.apparmor.AppArmorProfileInstaller;
import dev.profileops.nodedaemon.selinux.BasePolicies;
import dev.profileops.nodedaemon.selinux.SelinuxPolicyInstaller;
import dev.profileops.testsupport.AppArmorTools;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SELinux and AppArmor reconcilers in the daemon, against fabric8's CRUD mock API server. */
@EnableKubernetesMockClient(crud = true, kubernetesClientBuilderCustomizer = NodeDaemonTest.ShortRequestTimeout.class)
class SelinuxAndAppArmorNodeDaemonTest {
  private static final String NODE = "node-a";
  private static final Duration WAIT = Duration.ofSeconds(15);

  KubernetesClient client;
  @TempDir Path kubeletDir;
  @TempDir Path appArmorDir;

  private final FakePolicyStore store = new FakePolicyStore();
  private final List<NodeDaemon> daemons = new ArrayList<>();

  @BeforeEach
  void installCrds() {
    MockCrds.create(client, SeccompProfile.class, SelinuxProfile.class, RawSelinuxProfile.class, AppArmorProfile.class,
        SecurityProfileNodeStatus.class, SecurityProfilesOperatorDaemon.class);
  }

  @AfterEach
  void stopDaemons() {
    daemons.forEach(NodeDaemon::stop);
  }

  @Test
  void installsSelinuxProfilesAsModulesReportsUsageAndRemovesThemOnDelete() throws Exception {
    start(new SecurityModules(new SelinuxPolicyInstaller(store), null, FeatureGates.fixed(true, false)));
    client.resource(template("selinux/web-server-selinux.yaml", SelinuxProfile.class)).create();
    client.resource(template("selinux/log-reader.yaml", RawSelinuxProfile.class)).create();

    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(store.modules()).containsOnlyKeys(BasePolicies.CONTAINER_MODULE, BasePolicies.RECORDING_MODULE,
          "web-server-selinux", "log-reader");
      assertThat(store.modules().get("web-server-selinux")).startsWith("(block web-server-selinux\n    (blockinherit container)\n");
      assertThat(store.modules().get("log-reader")).startsWith("(block log-reader\n");
      SelinuxProfile profile = client.resources(SelinuxProfile.class).withName("web-server-selinux").get();
      assertThat(profile.getStatus()).isNotNull();
      assertThat(profile.getStatus().getStatus()).isEqualTo(ProfileState.Installed);
      assertThat(profile.getStatus().getUsage()).isEqualTo("web-server-selinux.process");
      assertThat(nodeState("web-server-selinux-node-a")).isEqualTo(ProfileState.Installed);
      assertThat(nodeState("log-reader-node-a")).isEqualTo(ProfileState.Installed);
    });

    client.resources(SelinuxProfile.class).withName("web-server-selinux").delete();

    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(store.modules()).doesNotContainKey("web-server-selinux").containsKey("log-reader");
      assertThat(client.resources(SelinuxProfile.class).withName("web-server-selinux").get()).isNull();
      assertThat(client.resources(SecurityProfileNodeStatus.class).withName("web-server-selinux-node-a").get()).isNull();
    });
  }

  @Test
  void aPolicyThatDoesNotBuildIsAnErrorWithTheCompilersMessageAndTheOthersInstall() throws Exception {
    start(new SecurityModules(new SelinuxPolicyInstaller(store), null, FeatureGates.fixed(true, false)));
    RawSelinuxProfile broken = new RawSelinuxProfile();
    broken.setMetadata(new ObjectMetaBuilder().withName("broken").build());
    broken.setSpec(new dev.profileops.api.selinux.RawSelinuxProfileSpec());
    broken.getSpec().setPolicy("(blockinherit container)\n(allow process " + FakePolicyStore.FAIL_MARKER + " (file (read)))\n");
    client.resource(broken).create();
    client.resource(template("selinux/web-server-selinux.yaml", SelinuxProfile.class)).create();

    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(nodeState("broken-node-a")).isEqualTo(ProfileState.Error);
      assertThat(nodeMessage("broken-node-a")).contains("the policy does not build: Failed to resolve");
      assertThat(nodeState("web-server-selinux-node-a")).isEqualTo(ProfileState.Installed);
      assertThat(store.modules()).containsKey("web-server-selinux").doesNotContainKey("broken");
    });
  }

  @Test
  void gatesOffRefuseTheKindWithAStatusThatSaysHowToTurnThemOn() throws Exception {
    start(new SecurityModules(new SelinuxPolicyInstaller(store),
        new AppArmorProfileInstaller(appArmorDir, new FakeAppArmorParser(true)), FeatureGates.fixed(false, false)));
    client.resource(template("selinux/web-server-selinux.yaml", SelinuxProfile.class)).create();
    client.resource(template("apparmor/web-server-apparmor.yaml", AppArmorProfile.class)).create();

    await().atMost(WAIT).untilAsserted(() -> {
      List<SecurityProfileNodeStatus> statuses = client.resources(SecurityProfileNodeStatus.class).list().getItems();
      assertThat(statuses).extracting(s -> s.getSpec().getProfileKind() + ": " + s.getStatus().getStatus() + ": " + s.getStatus().getMessage())
          .containsExactlyInAnyOrder(
              "SelinuxProfile: Error: SELinux profiles are disabled on this node: set spec.selinux.enable: true in the "
                  + "SecurityProfilesOperatorDaemon spod",
              "AppArmorProfile: Error: AppArmor profiles are disabled on this node: set spec.enableAppArmor: true in the "
                  + "SecurityProfilesOperatorDaemon spod");
    });
    assertThat(store.modules()).isEmpty();
    try (var files = Files.list(appArmorDir)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void theGatesComeFromTheSpodObjectInTheDaemonsNamespace() {
    try (FeatureGates gates = FeatureGates.fromCluster(client)) {
      assertThat(gates.selinuxEnabled()).isFalse();
      // Someone else's namespace: not the daemon's config.
      client.resource(spodWithSelinux("elsewhere")).create();
      client.resource(spodWithSelinux(client.getNamespace())).create();

      await().atMost(WAIT).until(gates::selinuxEnabled);
      assertThat(gates.appArmorEnabled()).isFalse();
      client.resources(SecurityProfilesOperatorDaemon.class).inNamespace(client.getNamespace()).withName("spod").delete();
      await().atMost(WAIT).until(() -> !gates.selinuxEnabled());
    }
  }

  private static SecurityProfilesOperatorDaemon spodWithSelinux(String namespace) {
    SecurityProfilesOperatorDaemon spod = new SecurityProfilesOperatorDaemon();
    spod.setMetadata(new ObjectMetaBuilder().withName("spod").withNamespace(namespace).build());
    spod.setSpec(new DaemonSpec());
    spod.getSpec().setSelinux(new DaemonSpec.Selinux());
    spod.getSpec().getSelinux().setEnable(true);
    return spod;
  }

  @Test
  void appArmorProfilesAreLoadedWhereTheKernelHasAppArmorAndRemovedOnDelete() throws Exception {
    FakeAppArmorParser kernel = new FakeAppArmorParser(true);
    start(new SecurityModules(null, new AppArmorProfileInstaller(appArmorDir, kernel), FeatureGates.fixed(false, true)));
    client.resource(template("apparmor/web-server-apparmor.yaml", AppArmorProfile.class)).create();

    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(kernel.loadedProfiles()).containsEntry("web-server-apparmor", "enforce");
      assertThat(appArmorDir.resolve("web-server-apparmor")).exists();
      AppArmorProfile profile = client.resources(AppArmorProfile.class).withName("web-server-apparmor").get();
      assertThat(profile.getStatus()).isNotNull();
      assertThat(profile.getStatus().getStatus()).isEqualTo(ProfileState.Installed);
    });

    client.resources(AppArmorProfile.class).withName("web-server-apparmor").delete();

    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(kernel.loadedProfiles()).isEmpty();
      assertThat(appArmorDir.resolve("web-server-apparmor")).doesNotExist();
    });
  }

  @Test
  void withoutAppArmorInTheKernelTheStatusSaysTheProfileCouldNotBeLoaded() throws Exception {
    AppArmorTools.assumeParser();
    Path securityfs = Files.createDirectories(kubeletDir.resolve("securityfs"));
    Files.writeString(securityfs.resolve("lsm"), "lockdown,capability,landlock,bpf");
    ApparmorParserCommand parser = new ApparmorParserCommand(ToolRun.find("apparmor_parser").orElseThrow(),
        Path.of("/etc/apparmor.d"), securityfs);
    start(new SecurityModules(null, new AppArmorProfileInstaller(appArmorDir, parser), FeatureGates.fixed(false, true)));
    client.resource(template("apparmor/web-server-apparmor.yaml", AppArmorProfile.class)).create();

    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(nodeState("web-server-apparmor-node-a")).isEqualTo(ProfileState.Error);
      assertThat(nodeMessage("web-server-apparmor-node-a"))
          .contains("compiled and written to " + appArmorDir.resolve("web-server-apparmor"))
          .contains("could not be loaded: the kernel has no AppArmor");
    });
  }

  private void start(SecurityModules modules) {
    NodeDaemon daemon = new NodeDaemon(client, NODE, kubeletDir, modules, o -> {});
    daemons.add(daemon);
    daemon.start();
  }

  private static <T extends HasMetadata> T template(String file, Class<T> type) throws Exception {
    return Serialization.unmarshal(Files.readString(Path.of("../repo-template").resolve(file)), type);
  }

  private ProfileState nodeState(String name) {
    SecurityProfileNodeStatus status = client.resources(SecurityProfileNodeStatus.class).withName(name).get();
    return status == null || status.getStatus() == null ? null : status.getStatus().getStatus();
  }

  private String nodeMessage(String name) {
    SecurityProfileNodeStatus status = client.resources(SecurityProfileNodeStatus.class).withName(name).get();
    return status == null || status.getStatus() == null ? null : status.getStatus().getMessage();
  }
}
