package dev.profileops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.profileops.testsupport.AppArmorTools;
import dev.profileops.testsupport.GitDaemonServer;
import dev.profileops.testsupport.GitWorkTree;
import dev.profileops.testsupport.SelinuxStoreCopy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sync --once} with SELinux and AppArmor profiles: CIL and AppArmor files under the node root,
 * built by semodule (in a scratch copy of this machine's store) and compiled by apparmor_parser.
 */
class SyncSelinuxAndAppArmorTest {
  private static final Path TEMPLATE = Path.of("../repo-template");
  private GitDaemonServer server;
  private GitWorkTree work;
  private String url;
  @TempDir Path nodeRoot;

  @BeforeEach
  void start() throws IOException {
    GitDaemonServer.assumeAvailable();
    SelinuxStoreCopy.assumeAvailable();
    AppArmorTools.assumeParser();
    server = GitDaemonServer.start();
    server.createBareRepo("profiles");
    url = server.url("profiles");
    work = GitWorkTree.init();
  }

  @AfterEach
  void stop() {
    if (work != null) {
      work.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private ConsoleCapture.Run sync() {
    return ConsoleCapture.run("sync", "--repo", url, "--ref", "main", "--node-root", nodeRoot.toString(), "--once");
  }

  private Path cil(String name) {
    return nodeRoot.resolve("var/lib/profileops/selinux/" + name + ".cil");
  }

  private Path appArmor(String name) {
    return nodeRoot.resolve("etc/apparmor.d/profileops/" + name);
  }

  @Test
  void installsCompilesReportsACompilerErrorAndRemoves() throws IOException {
    for (String file : new String[] {"selinux/web-server-selinux.yaml", "selinux/log-reader.yaml", "apparmor/web-server-apparmor.yaml"}) {
      work.write(file, Files.readString(TEMPLATE.resolve(file)));
    }
    work.commitAll("profiles");
    work.push(url, "main");

    ConsoleCapture.Run first = sync();

    assertThat(first.exitCode()).as(first.stderr()).isZero();
    assertThat(cil("web-server-selinux")).content().startsWith("(block web-server-selinux\n    (blockinherit container)\n");
    assertThat(cil("log-reader")).content().startsWith("(block log-reader\n");
    assertThat(appArmor("web-server-apparmor")).content().contains("profile web-server-apparmor flags=(enforce,");
    assertThat(first.stdout()).contains("written", "compiled");
    // The node root is not this machine's root: nothing is loaded into the kernel, and the output says so.
    assertThat(first.stdout()).doesNotContain("loaded ");
    assertThat(first.stderr()).contains("warning: AppArmorProfile web-server-apparmor: compiled and written to ")
        .contains("but could not be loaded: the kernel has no AppArmor interface at " + nodeRoot.resolve("sys/kernel/security/apparmor"));

    // A module naming a type the policy lacks: semodule's message, and the others stay.
    work.write("selinux/broken.yaml", """
        apiVersion: security-profiles-operator.x-k8s.io/v1
        kind: SelinuxProfile
        metadata:
          name: broken
        spec:
          allow:
            no_such_type_t:
              file: [read]
        """);
    work.commitAll("broken");
    work.push(url, "main");

    ConsoleCapture.Run second = sync();

    assertThat(second.exitCode()).isEqualTo(1);
    assertThat(second.stderr()).contains("selinux/broken.yaml: SELinux module broken does not compile: ")
        .contains("Failed to resolve allow statement");
    assertThat(cil("broken")).doesNotExist();
    assertThat(cil("web-server-selinux")).exists();

    work.delete("selinux/broken.yaml").delete("selinux/log-reader.yaml").delete("apparmor/web-server-apparmor.yaml");
    work.commitAll("remove");
    work.push(url, "main");

    ConsoleCapture.Run third = sync();

    assertThat(third.exitCode()).as(third.stderr()).isZero();
    assertThat(cil("log-reader")).doesNotExist();
    assertThat(appArmor("web-server-apparmor")).doesNotExist();
    assertThat(cil("web-server-selinux")).exists();
    assertThat(third.stdout()).contains("removed");
  }
}
