package dev.profileops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.profileops.host.bpf.SyscallRecorders;
import dev.profileops.host.seccomp.SyscallTables;
import dev.profileops.testsupport.GitDaemonServer;
import dev.profileops.testsupport.GitWorkTree;
import dev.profileops.testsupport.Prerequisites;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code record -- COMMAND} with the real BPF recorder. */
class RecordCommandTest {
  @TempDir
  Path tmp;

  @BeforeAll
  static void needsBpf() {
    Prerequisites.require(SyscallRecorders.system().unsupportedReason(SyscallTables.system()));
  }

  @Test
  void writesTheProfileOfALocalCommand() throws Exception {
    Path out = tmp.resolve("profiles/chroot.yaml");

    ConsoleCapture.Run run = ConsoleCapture.run("record", "--out", out.toString(), "--", "chroot", "/", "/bin/true");

    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(run.stderr()).contains("libbpf 1.").contains("libseccomp 2.").contains("written to " + out);
    JsonNode profile = new YAMLMapper().readTree(out.toFile());
    assertThat(profile.path("kind").asText()).isEqualTo("SeccompProfile");
    assertThat(profile.at("/metadata/name").asText()).isEqualTo("local-chroot");
    assertThat(profile.at("/spec/defaultAction").asText()).isEqualTo("SCMP_ACT_ERRNO");
    assertThat(profile.at("/spec/architectures/0").asText()).isEqualTo("SCMP_ARCH_X86_64".replace("X86_64",
        SyscallTables.system().nativeArchitecture().toUpperCase()));
    List<String> names = new ArrayList<>();
    profile.at("/spec/syscalls/0/names").forEach(n -> names.add(n.asText()));
    assertThat(names).contains("chroot", "execve").isSorted().doesNotContain("unshare", "mount");
    assertThat(profile.at("/spec/syscalls/0/action").asText()).isEqualTo("SCMP_ACT_ALLOW");
  }

  @Test
  void printsTheProfileAndPassesTheExitCodeOn() {
    ConsoleCapture.Run run = ConsoleCapture.run("record", "--container", "shell", "--", "sh", "-c", "exit 3");

    assertThat(run.exitCode()).as(run.stderr()).isEqualTo(3);
    assertThat(run.stdout()).contains("kind: SeccompProfile").contains("name: local-shell").contains("- exit_group");
    assertThat(run.stderr()).contains("exited 3");
  }

  @Test
  void aCommandThatCannotStartIsNamed() {
    ConsoleCapture.Run run = ConsoleCapture.run("record", "--", "/nonexistent/command");

    assertThat(run.exitCode()).isNotZero();
    assertThat(run.stdout()).isEmpty();
    assertThat(run.stderr()).contains("nothing recorded").contains("/nonexistent/command");
  }

  @Test
  void pushesTheProfileToItsRecordingBranchAndUpdatesItOnTheNextRun() throws Exception {
    GitDaemonServer.assumeAvailable();
    try (GitDaemonServer git = GitDaemonServer.start(); GitWorkTree seed = GitWorkTree.init()) {
      Path bare = git.createBareRepo("team/profiles");
      String main = seed.write("README.md", "profiles\n").commitAll("start");
      seed.push(git.url("team/profiles"), "main");

      ConsoleCapture.Run first = ConsoleCapture.run("record", "--repo", git.url("team/profiles"), "--push",
          "--recording", "ci", "--container", "tool", "--", "chroot", "/", "/bin/true");

      assertThat(first.exitCode()).as(first.stderr()).isZero();
      assertThat(first.stdout()).isEmpty();
      assertThat(first.stderr()).contains("pushed to refs/heads/profileops/recording/ci-tool");
      String branch = "refs/heads/profileops/recording/ci-tool";
      String file = seed.git("--git-dir=" + bare, "show", branch + ":seccomp/ci-tool.yaml");
      assertThat(file).contains("name: ci-tool", "- chroot", "SCMP_ACT_ERRNO");
      String firstCommit = seed.git("--git-dir=" + bare, "rev-parse", branch).strip();

      ConsoleCapture.Run second = ConsoleCapture.run("record", "--repo", git.url("team/profiles"), "--push",
          "--recording", "ci", "--container", "tool", "--", "sh", "-c", "mkdir -p /tmp/profileops-record-test && chroot / /bin/true");

      assertThat(second.exitCode()).as(second.stderr()).isZero();
      assertThat(seed.git("--git-dir=" + bare, "show", branch + ":seccomp/ci-tool.yaml")).contains("- mkdir");
      assertThat(seed.git("--git-dir=" + bare, "rev-parse", branch).strip()).isNotEqualTo(firstCommit);
      assertThat(seed.git("--git-dir=" + bare, "rev-parse", "refs/heads/main").strip()).isEqualTo(main);
    }
  }

  @Test
  void repoWithoutPushIsRefusedBeforeRecording() {
    ConsoleCapture.Run run = ConsoleCapture.run("record", "--repo", "git://127.0.0.1/none", "--", "true");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.stderr()).contains("--repo and --push go together");
  }
}
