package dev.profileops.host.apparmor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.profileops.host.process.ToolRun;
import dev.profileops.testsupport.AppArmorTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApparmorParserCommandTest {
  @TempDir Path dir;

  @Test
  void compilesGoodProfilesAndReportsTheParsersErrorForBadOnes() throws Exception {
    AppArmorTools.assumeParser();
    AppArmorParser parser = AppArmorParsers.system(Path.of("/etc/apparmor.d"));
    Path good = Files.writeString(dir.resolve("good"),
        "#include <tunables/global>\nprofile good {\n  #include <abstractions/base>\n  /usr/bin/true rix,\n}\n");
    Path bad = Files.writeString(dir.resolve("bad"), "profile bad {\n  /usr/bin/true rwz,\n}\n");

    assertThat(parser.available()).isTrue();
    assertThat(parser.compile(good).ok()).isTrue();
    AppArmorParser.Outcome refused = parser.compile(bad);
    assertThat(refused.ok()).isFalse();
    assertThat(refused.message()).contains("syntax error").doesNotContain("Cache read/write disabled");
  }

  @Test
  void readsTheKernelsStateFromSecurityfs() throws Exception {
    Path withAppArmor = Files.createDirectories(dir.resolve("with/apparmor"));
    Files.writeString(withAppArmor.resolveSibling("lsm"), "lockdown,capability,apparmor");
    Files.write(withAppArmor.resolve("profiles"), List.of("web-server (enforce)", "/usr/bin/man (complain)"));
    Path without = Files.createDirectories(dir.resolve("without"));
    Files.writeString(without.resolve("lsm"), "lockdown,capability,selinux");
    Path parserPath = ToolRun.find("apparmor_parser").orElse(Path.of("/usr/sbin/apparmor_parser"));

    ApparmorParserCommand active = new ApparmorParserCommand(parserPath, dir, withAppArmor.getParent());
    ApparmorParserCommand inactive = new ApparmorParserCommand(parserPath, dir, without);

    assertThat(active.kernelUnavailableReason()).isEmpty();
    assertThat(active.loadedProfiles()).containsEntry("web-server", "enforce").containsEntry("/usr/bin/man", "complain");
    assertThat(inactive.kernelUnavailableReason()).hasValueSatisfying(r -> assertThat(r).contains("lockdown,capability,selinux"));
    assertThat(inactive.loadedProfiles()).isEmpty();
  }

  @Test
  void theHostsKernelStateMatchesItsSecurityModules() throws Exception {
    Path lsm = ApparmorParserCommand.SECURITYFS.resolve("lsm");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(lsm), "securityfs is not mounted");
    boolean hasAppArmor = List.of(Files.readString(lsm).trim().split(",")).contains("apparmor");

    AppArmorParser parser = AppArmorParsers.system(Path.of("/etc/apparmor.d"));

    assertThat(parser.kernelUnavailableReason().isEmpty()).isEqualTo(hasAppArmor);
  }
}
