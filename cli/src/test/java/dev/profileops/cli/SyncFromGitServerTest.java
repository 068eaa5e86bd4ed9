package dev.profileops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.profileops.testsupport.GitDaemonServer;
import dev.profileops.testsupport.GitWorkTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sync --once} against a real git daemon on loopback: push, change, break, delete. */
class SyncFromGitServerTest {
  private GitDaemonServer server;
  private GitWorkTree work;
  private String url;
  @TempDir Path nodeRoot;

  @BeforeEach
  void start() throws IOException {
    GitDaemonServer.assumeAvailable();
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

  static String profile(String name, String action) {
    return """
        apiVersion: security-profiles-operator.x-k8s.io/v1
        kind: SeccompProfile
        metadata:
          name: %s
        spec:
          defaultAction: SCMP_ACT_ERRNO
          syscalls:
            - names: [read, write, exit_group]
              action: %s
        """.formatted(name, action);
  }

  private ConsoleCapture.Run sync() {
    return ConsoleCapture.run("sync", "--repo", url, "--ref", "main", "--path", "profiles",
        "--node-root", nodeRoot.toString(), "--once");
  }

  private Path installed(String name) {
    return nodeRoot.resolve("var/lib/kubelet/seccomp/operator/" + name + ".json");
  }

  @Test
  void pushChangeBreakAndDeleteAreFollowed() throws IOException {
    work.write("profiles/app.yaml", profile("app", "SCMP_ACT_ALLOW"))
        .write("profiles/other.yaml", profile("other", "SCMP_ACT_ALLOW"))
        .write("README.md", "not a profile");
    work.commitAll("add profiles");
    work.push(url, "main");

    ConsoleCapture.Run first = sync();
    assertThat(first.exitCode()).as(first.stderr()).isZero();
    assertThat(installed("app")).exists();
    assertThat(Files.readString(installed("app"))).contains("\"SCMP_ACT_ALLOW\"").contains("\"exit_group\"");
    assertThat(first.stdout()).contains("written").contains("app");

    // An unchanged repository rewrites nothing.
    long before = Files.getLastModifiedTime(installed("app")).toMillis();
    ConsoleCapture.Run again = sync();
    assertThat(again.stdout()).contains("unchanged");
    assertThat(Files.getLastModifiedTime(installed("app")).toMillis()).isEqualTo(before);

    work.write("profiles/app.yaml", profile("app", "SCMP_ACT_LOG"));
    work.commitAll("log instead of allow");
    work.push(url, "main");
    assertThat(sync().exitCode()).isZero();
    assertThat(Files.readString(installed("app"))).contains("\"SCMP_ACT_LOG\"").doesNotContain("\"SCMP_ACT_ALLOW\"");

    // A broken edit keeps the last good file and still installs the valid ones.
    work.write("profiles/app.yaml", profile("app", "SCMP_ACT_SOMETIMES"));
    work.write("profiles/new.yaml", profile("new", "SCMP_ACT_ALLOW"));
    work.write("profiles/other.yaml", "apiVersion: [unclosed");
    work.commitAll("break two files");
    work.push(url, "main");
    ConsoleCapture.Run broken = sync();
    assertThat(broken.exitCode()).isEqualTo(1);
    assertThat(broken.stderr()).contains("app.yaml:9: spec.syscalls[0].action: unknown value \"SCMP_ACT_SOMETIMES\"")
        .contains("other.yaml:1: ");
    assertThat(Files.readString(installed("app"))).contains("\"SCMP_ACT_LOG\"");
    assertThat(installed("other")).exists();
    assertThat(installed("new")).exists();

    work.delete("profiles/app.yaml");
    work.delete("profiles/other.yaml");
    work.commitAll("delete app and other");
    work.push(url, "main");
    ConsoleCapture.Run deleted = sync();
    assertThat(deleted.exitCode()).isZero();
    assertThat(installed("app")).doesNotExist();
    assertThat(installed("other")).doesNotExist();
    assertThat(installed("new")).exists();
  }

  @Test
  void neverRemovesFilesItDidNotInstall() throws IOException {
    Path foreign = installed("hand-made");
    Files.createDirectories(foreign.getParent());
    Files.writeString(foreign, "{}");
    work.write("profiles/app.yaml", profile("app", "SCMP_ACT_ALLOW"));
    work.commitAll("one profile");
    work.push(url, "main");
    assertThat(sync().exitCode()).isZero();
    work.delete("profiles/app.yaml");
    work.write("profiles/.keep", "");
    work.commitAll("none left");
    work.push(url, "main");
    assertThat(sync().exitCode()).isZero();
    assertThat(installed("app")).doesNotExist();
    assertThat(foreign).exists();
  }

  @Test
  void disabledProfilesAreNotInstalled() throws IOException {
    work.write("profiles/off.yaml", profile("off", "SCMP_ACT_ALLOW").replace("spec:\n", "spec:\n  state: Disabled\n"));
    work.commitAll("disabled");
    work.push(url, "main");
    assertThat(sync().exitCode()).isZero();
    assertThat(installed("off")).doesNotExist();
  }
}
