package dev.profileops.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuncContainerTest {
  private static RuncContainer containers;

  @BeforeAll
  static void needsRunc() {
    RuncContainer.assumeAvailable();
    containers = RuncContainer.create();
  }

  @Test
  void runsAScriptWithoutSeccomp() throws IOException {
    RuncContainer.Result result = containers.run("hello", null, "echo hello");

    assertThat(result.succeeded()).as("%s", result).isTrue();
    assertThat(result.stdout()).isEqualTo("hello\n");
    assertThat(result.containerId()).startsWith("hello-");
  }

  @Test
  void returnsExitCodeAndStderr() throws IOException {
    RuncContainer.Result result =
        containers.run("exit-code", null, "echo out", "echo err >&2", "exit 3");

    assertThat(result.exitCode()).as("%s", result).isEqualTo(3);
    assertThat(result.stdout()).isEqualTo("out\n");
    assertThat(result.stderr()).isEqualTo("err\n");
    assertThat(result.timedOut()).isFalse();
  }

  @Test
  void seccompErrnoRuleDeniesMkdir(@TempDir Path dir) throws IOException {
    Path profile = dir.resolve("deny-mkdir.json");
    Files.writeString(
        profile,
        """
        {"defaultAction": "SCMP_ACT_ALLOW",
         "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1}]}
        """);

    RuncContainer.Result denied = containers.run("deny-mkdir", profile, "mkdir /tmp/x");
    RuncContainer.Result echo = containers.run("deny-mkdir", profile, "echo ok");

    assertThat(denied.exitCode()).as("%s", denied).isNotZero();
    assertThat(denied.timedOut()).isFalse();
    assertThat(denied.stderr()).contains("Operation not permitted");
    assertThat(echo.succeeded()).as("%s", echo).isTrue();
    assertThat(echo.stdout()).isEqualTo("ok\n");
  }

  @Test
  void seccompKillShowsAsSigsys(@TempDir Path dir) throws IOException {
    Path profile = dir.resolve("kill-mkdir.json");
    Files.writeString(
        profile,
        """
        {"defaultAction": "SCMP_ACT_ALLOW",
         "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_KILL_PROCESS"}]}
        """);

    RuncContainer.Result result = containers.run("kill-mkdir", profile, "mkdir /tmp/x");

    assertThat(result.exitCode()).as("%s", result).isEqualTo(128 + 31);
  }

  @Test
  void eachRunGetsAFreshRootAndTheContainerIsDeleted() throws IOException {
    RuncContainer.Result first = containers.run("fresh", null, "touch /tmp/mark", "ls /tmp");
    RuncContainer.Result second = containers.run("fresh", null, "ls /tmp");

    assertThat(first.stdout()).contains("mark");
    assertThat(second.succeeded()).as("%s", second).isTrue();
    assertThat(second.stdout()).doesNotContain("mark");
    assertThat(first.containerId()).isNotEqualTo(second.containerId());
    assertThat(runcState(first.containerId()).exitCode()).isNotZero();
  }

  @Test
  void aContainerThatTakesTooLongIsKilledAndDeleted() throws IOException {
    long start = System.nanoTime();
    RuncContainer.Result result =
        containers.withTimeout(Duration.ofSeconds(2)).run("slow", null, "sleep 60");

    assertThat(result.timedOut()).as("%s", result).isTrue();
    assertThat(result.exitCode()).isEqualTo(-1);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    assertThat(runcState(result.containerId()).exitCode()).isNotZero();
  }

  /**
   * Docker's template format given raw: runc 1.1.5 loads it without complaint, skipping the
   * Docker-only fields, so every rule is in force whatever its {@code includes}: the CAP_SYS_ADMIN
   * group allows {@code unshare} to a container without CAP_SYS_ADMIN. Templates must be resolved
   * before they reach a runtime.
   */
  @Test
  void runcIgnoresTheConditionsOfADockerTemplate() throws IOException {
    Path moduleDir = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
    Path dockerDefault =
        moduleDir.resolve("../../shared/corpus/seccomp/docker-default.json").normalize();
    Prerequisites.require(Files.isRegularFile(dockerDefault) ? Optional.empty()
        : Optional.of("Docker's default seccomp profile not found at " + dockerDefault));
    RuncContainer withUnshare = containers.withApplets("unshare");
    RuncContainer.Result unconfined = withUnshare.run("userns", null, "unshare -U true");
    assumeTrue(
        unconfined.succeeded(),
        "this kernel lets no container make a user namespace: " + unconfined);

    RuncContainer.Result raw =
        withUnshare.run(
            "docker-raw",
            dockerDefault,
            "echo ok",
            "mkdir /tmp/d",
            "unshare -U true && echo userns");

    assertThat(raw.succeeded()).as("%s", raw).isTrue();
    assertThat(raw.stdout()).isEqualTo("ok\nuserns\n");
  }

  @Test
  void tellsTheInitPidBeforeTheWorkloadRuns() throws IOException {
    java.util.concurrent.atomic.AtomicReference<String> seen = new java.util.concurrent.atomic.AtomicReference<>();

    RuncContainer.Result result = containers.runObserved("observed", null,
        pid -> seen.set(Files.readString(Path.of("/proc/" + pid + "/cmdline"))), "echo done");

    assertThat(result.succeeded()).as("%s", result).isTrue();
    assertThat(result.stdout()).isEqualTo("done\n");
    assertThat(seen.get()).as("the init process, not yet the workload").contains("runc").contains("init").doesNotContain("echo");
  }

  private static Commands.Outcome runcState(String id) throws IOException {
    Path runc = Commands.find("runc", "/usr/local/sbin", "/usr/sbin", "/sbin").orElseThrow();
    return Commands.run(
        List.of(runc.toString(), "state", id), null, Map.of(), Duration.ofSeconds(30));
  }
}
