package dev.profileops.nodedaemon.apparmor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.profileops.api.apparmor.AppArmorAbstract;
import dev.profileops.api.apparmor.AppArmorMode;
import dev.profileops.api.apparmor.AppArmorProfile;
import dev.profileops.api.apparmor.AppArmorProfileSpec;
import dev.profileops.testsupport.AppArmorTools;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AppArmorProfileTextTest {
  static final String WEB_SERVER = """
      #include <tunables/global>

      profile web-server flags=(enforce,attach_disconnected,mediate_deleted) {
        #include <abstractions/base>

        /usr/sbin/nginx rix,
        /lib/** mr,
        /usr/lib/** mr,
        /etc/nginx/** r,
        /usr/share/nginx/** r,
        /var/log/nginx/** wlk,
        /run/nginx.pid rwlk,
        /var/cache/nginx/** rwlk,
        network inet tcp,
        network inet6 tcp,
        capability chown,
        capability net_bind_service,
        capability setgid,
        capability setuid,
        deny @{PROC}/** w,
        deny @{PROC}/sysrq-trigger rwklx,
        deny @{PROC}/kcore rwklx,
        deny /dev/mem rwklx,
        deny /dev/kmem rwklx,
        deny /sys/firmware/efi/efivars/** rwklx,
      }
      """;

  @TempDir Path dir;

  static AppArmorProfile example() throws IOException {
    return Serialization.unmarshal(Files.readString(Path.of("../repo-template/apparmor/web-server-apparmor.yaml")), AppArmorProfile.class);
  }

  @Test
  void rendersTheTemplateProfileAndApparmorParserCompilesIt() throws IOException {
    String text = AppArmorProfileText.render("web-server", example().getSpec());

    assertThat(text).isEqualTo(WEB_SERVER);
    assertCompiles(text);
  }

  @Test
  void complainModeHasNoDenyRulesAndLeftOutSectionsPlaceNoRestriction() throws IOException {
    AppArmorProfileSpec spec = new AppArmorProfileSpec();
    spec.setMode(AppArmorMode.Complain);
    AppArmorAbstract policy = new AppArmorAbstract();
    AppArmorAbstract.Network network = new AppArmorAbstract.Network();
    network.setAllowRaw(true);
    AppArmorAbstract.Protocols protocols = new AppArmorAbstract.Protocols();
    protocols.setAllowUdp(true);
    network.setAllowedProtocols(protocols);
    policy.setNetwork(network);
    spec.setAbstractPolicy(policy);

    String text = AppArmorProfileText.render("dns-client", spec);

    assertThat(text).isEqualTo("""
        #include <tunables/global>

        profile dns-client flags=(complain,attach_disconnected,mediate_deleted) {
          #include <abstractions/base>

          file,
          network raw,
          network inet udp,
          network inet6 udp,
          capability,
        }
        """);
    assertCompiles(text);
  }

  @Test
  void aRawPolicyFromAnOlderFileIsPassedThroughAndMustDeclareAProfile() throws IOException {
    AppArmorProfileSpec spec = new AppArmorProfileSpec();
    spec.setPolicy("#include <tunables/global>\nprofile legacy flags=(attach_disconnected) {\n  #include <abstractions/base>\n  file,\n}");

    String text = AppArmorProfileText.render("legacy", spec);

    assertThat(text).isEqualTo(spec.getPolicy() + "\n");
    assertThat(AppArmorProfileText.declaredProfiles(text)).containsExactly("legacy");
    assertCompiles(text);
    spec.setPolicy("/bin/sh rix,\n");
    assertThatThrownBy(() -> AppArmorProfileText.render("legacy", spec)).hasMessageContaining("declares no profile");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/etc/../root/.ssh/**", "/var/log/x,\n  /** rwlkx", "/**", "/*/secrets", "relative/path",
      "/etc/{shadow,passwd}", "/etc/sha[d]ow", "/var//log", "/var/log/***", "/tmp/a b"})
  void hostilePathsAreRefusedBeforeAnyTextExists(String path) {
    AppArmorProfileSpec spec = new AppArmorProfileSpec();
    AppArmorAbstract policy = new AppArmorAbstract();
    AppArmorAbstract.Filesystem filesystem = new AppArmorAbstract.Filesystem();
    filesystem.setReadOnlyPaths(List.of("/etc/nginx/**", path));
    policy.setFilesystem(filesystem);
    spec.setAbstractPolicy(policy);

    assertThatThrownBy(() -> AppArmorProfileText.render("x", spec)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void capabilitiesOutsideTheAllowListAreRefused() {
    AppArmorProfileSpec spec = new AppArmorProfileSpec();
    AppArmorAbstract policy = new AppArmorAbstract();
    AppArmorAbstract.Capability capability = new AppArmorAbstract.Capability();
    capability.setAllowedCapabilities(List.of("CAP_NET_ADMIN", "sys_module"));
    policy.setCapability(capability);
    spec.setAbstractPolicy(policy);

    assertThatThrownBy(() -> AppArmorProfileText.render("x", spec)).hasMessage("capability sys_module is not allowed in a profile");
    capability.setAllowedCapabilities(List.of("net_bind_service, capability sys_admin"));
    assertThatThrownBy(() -> AppArmorProfileText.render("x", spec)).hasMessageContaining("unknown capability");
  }

  private void assertCompiles(String text) throws IOException {
    AppArmorTools.assumeParser();
    Path file = dir.resolve("profile");
    Files.writeString(file, text);
    assertThat(AppArmorTools.compileError(file)).isNull();
  }
}
