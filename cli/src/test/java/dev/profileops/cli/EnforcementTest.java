package dev.profileops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.profileops.testsupport.GitDaemonServer;
import dev.profileops.testsupport.GitWorkTree;
import dev.profileops.testsupport.RuncContainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spine end to end: profiles pushed to a real git daemon, synced onto a node root, and enforced by
 * runc on a busybox container.
 */
class EnforcementTest {
  @TempDir static Path nodeRoot;
  private static GitDaemonServer server;
  private static RuncContainer runc;

  @BeforeAll
  static void pushAndSync() throws IOException {
    GitDaemonServer.assumeAvailable();
    RuncContainer.assumeAvailable();
    runc = RuncContainer.create();
    server = GitDaemonServer.start();
    server.createBareRepo("profiles");
    try (GitWorkTree work = GitWorkTree.init()) {
      try (Stream<Path> files = Files.walk(Path.of("../repo-template"))) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          work.write(Path.of("../repo-template").relativize(f).toString(), Files.readString(f));
        }
      }
      work.write("seccomp/deny-mkdir.yaml", """
          apiVersion: security-profiles-operator.x-k8s.io/v1
          kind: SeccompProfile
          metadata:
            name: deny-mkdir
          spec:
            defaultAction: SCMP_ACT_ALLOW
            syscalls:
              - names: [mkdir, mkdirat]
                action: SCMP_ACT_ERRNO
                errnoRet: 1
          """);
      work.write("seccomp/docker-default.json", Files.readString(Path.of("../../shared/corpus/seccomp/docker-default.json")));
      work.commitAll("profiles");
      work.push(server.url("profiles"), "main");
    }
    ConsoleCapture.Run sync = ConsoleCapture.run("sync", "--repo", server.url("profiles"), "--node-root", nodeRoot.toString(), "--once");
    assertThat(sync.exitCode()).as(sync.stdout() + sync.stderr()).isZero();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static Path installed(String name) {
    return nodeRoot.resolve("var/lib/kubelet/seccomp/operator/" + name + ".json");
  }

  @Test
  void errnoRuleMakesMkdirFailWithEpermWhileTheRestRuns() throws IOException {
    RuncContainer.Result result = runc.run("deny-mkdir", installed("deny-mkdir"),
        "echo before", "mkdir /tmp/x; echo mkdir=$?", "ls -d /tmp/x 2>/dev/null || echo absent");
    assertThat(result.stdout()).contains("before").contains("mkdir=1").contains("absent");
    assertThat(result.stderr()).contains("Operation not permitted");
  }

  @Test
  void sameScriptWithoutTheProfileCanMkdir() throws IOException {
    RuncContainer.Result result = runc.run("no-profile", null, "mkdir /tmp/x; echo mkdir=$?");
    assertThat(result.stdout()).contains("mkdir=0");
  }

  @Test
  void profileExtendingTheTemplateBaseRunsTheShellWorkload() throws IOException {
    RuncContainer.Result result = runc.run("shell-tools", installed("shell-tools"),
        "mkdir -p /tmp/work", "echo hello > /tmp/work/file", "cat /tmp/work/file");
    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.stdout()).contains("hello");
  }

  @Test
  void baseProfileAloneDeniesWhatOnlyTheChildAllows() throws IOException {
    // runtime-base lacks mkdir; shell-tools adds it. Under the base, mkdir gets the default ERRNO.
    RuncContainer.Result result = runc.run("runtime-base", installed("runtime-base"), "echo alive", "mkdir /tmp/x; echo mkdir=$?");
    assertThat(result.stdout()).contains("alive").doesNotContain("mkdir=0");
  }

  @Test
  void dockerDefaultProfileFromPlainJsonRunsAContainer() throws IOException {
    assertThat(Files.readString(installed("docker-default"))).doesNotContain("archMap").doesNotContain("includes");
    RuncContainer.Result result = runc.run("docker-default", installed("docker-default"),
        "mkdir /tmp/d && echo ok > /tmp/d/f && cat /tmp/d/f && id -u");
    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.stdout()).contains("ok");
  }
}
