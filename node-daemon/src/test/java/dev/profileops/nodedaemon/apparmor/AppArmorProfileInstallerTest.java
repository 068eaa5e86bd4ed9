package dev.profileops.nodedaemon.apparmor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.profileops.host.apparmor.AppArmorParser;
import dev.profileops.host.apparmor.AppArmorParsers;
import dev.profileops.host.apparmor.ApparmorParserCommand;
import dev.profileops.host.apparmor.FakeAppArmorParser;
import dev.profileops.host.process.ToolRun;
import dev.profileops.testsupport.AppArmorTools;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppArmorProfileInstallerTest {
  @TempDir Path dir;

  @Test
  void withTheRealParserAndAKernelWithoutAppArmorTheProfileIsCompiledWrittenAndSaysWhyNotLoaded() throws Exception {
    AppArmorTools.assumeParser();
    // A securityfs without AppArmor, as on this kind of host; the real one is read in ApparmorParserCommandTest.
    Path securityfs = Files.createDirectories(dir.resolve("securityfs"));
    Files.writeString(securityfs.resolve("lsm"), "lockdown,capability,landlock,bpf");
    AppArmorParser parser = new ApparmorParserCommand(ToolRun.find("apparmor_parser").orElseThrow(),
        Path.of("/etc/apparmor.d"), securityfs);
    AppArmorProfileInstaller installer = new AppArmorProfileInstaller(dir.resolve("apparmor.d/profileops"), parser);

    AppArmorProfileInstaller.Result result = installer.install("web-server", AppArmorProfileTextTest.WEB_SERVER);

    assertThat(result.state()).isEqualTo(AppArmorProfileInstaller.State.CompiledNotLoaded);
    assertThat(result.message()).contains("could not be loaded: the kernel has no AppArmor (active security modules: lockdown");
    assertThat(installer.pathFor("web-server")).hasContent(AppArmorProfileTextTest.WEB_SERVER.stripTrailing());
    assertThat(installer.remove("web-server")).isTrue();
    assertThat(installer.pathFor("web-server")).doesNotExist();
  }

  @Test
  void aProfileTheParserRefusesNeverReplacesTheInstalledOne() throws Exception {
    AppArmorTools.assumeParser();
    AppArmorProfileInstaller installer = new AppArmorProfileInstaller(dir, AppArmorParsers.system(Path.of("/etc/apparmor.d")));
    installer.install("web-server", AppArmorProfileTextTest.WEB_SERVER);

    AppArmorProfileInstaller.Result result = installer.install("web-server", "profile web-server {\n  /foo rwz,\n}\n");

    assertThat(result.state()).isEqualTo(AppArmorProfileInstaller.State.Failed);
    assertThat(result.message()).contains("apparmor_parser refused the profile").contains("syntax error");
    assertThat(installer.pathFor("web-server")).hasContent(AppArmorProfileTextTest.WEB_SERVER.stripTrailing());
    try (var files = Files.list(dir)) {
      assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly("web-server");
    }
  }

  @Test
  void whereTheKernelHasAppArmorTheProfileIsLoadedAndUnloaded() throws Exception {
    FakeAppArmorParser kernel = new FakeAppArmorParser(true);
    AppArmorProfileInstaller installer = new AppArmorProfileInstaller(dir, kernel);

    assertThat(installer.install("web-server", AppArmorProfileTextTest.WEB_SERVER).state())
        .isEqualTo(AppArmorProfileInstaller.State.Loaded);
    assertThat(kernel.loadedProfiles()).containsEntry("web-server", "enforce");

    assertThat(installer.remove("web-server")).isTrue();
    assertThat(kernel.loadedProfiles()).isEmpty();
    assertThat(installer.remove("web-server")).isFalse();
  }
}
