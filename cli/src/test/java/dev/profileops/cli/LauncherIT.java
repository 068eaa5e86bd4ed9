package dev.profileops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract as a user sees it: the {@code ./profileops} script at the repository root, run as a process. */
class LauncherIT {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @TempDir Path tmp;

  record Result(int exitCode, String stdout, String stderr) {}

  private Result launch(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(ROOT.resolve("profileops").toString()));
    command.addAll(List.of(args));
    Path out = tmp.resolve("out-" + System.nanoTime());
    Path err = tmp.resolve("err-" + System.nanoTime());
    Process p = new ProcessBuilder(command).directory(ROOT.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
    return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
  }

  @Test
  void validateExitsZeroOnTheTemplateAndOneWithRelativePathsOnErrors() throws Exception {
    assertThat(launch("validate", "repo-template").exitCode()).isZero();

    Path dir = tmp.resolve("repo");
    Files.createDirectories(dir.resolve("nested"));
    Files.writeString(dir.resolve("nested/x.yaml"), """
        apiVersion: security-profiles-operator.x-k8s.io/v1
        kind: SeccompProfile
        metadata: {name: "bad..name"}
        spec: {defaultAction: SCMP_ACT_ERRNO, colour: blue}
        """);
    Result bad = launch("validate", dir.toString());
    assertThat(bad.exitCode()).isEqualTo(1);
    assertThat(bad.stdout().lines()).containsExactly(
        "nested/x.yaml:3: metadata.name: \"bad..name\" is not a DNS-1123 subdomain (lower case letters, digits, '-' and '.',"
            + " starting and ending with a letter or digit; no '/' or '..')",
        "nested/x.yaml:4: spec.colour: unknown field");
  }

  @Test
  void renderPrintsAYamlStreamOnlyWhenValid() throws Exception {
    Result ok = launch("render", "repo-template");
    assertThat(ok.exitCode()).isZero();
    assertThat(ok.stdout()).startsWith("---\napiVersion: security-profiles-operator.x-k8s.io/v1\n");

    Path dir = tmp.resolve("broken");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("a.yaml"), "kind: [");
    Result broken = launch("render", dir.toString());
    assertThat(broken.exitCode()).isNotZero();
    assertThat(broken.stdout()).isEmpty();
  }

  @Test
  void demoIsTheReadmeMainCommand() throws Exception {
    Result demo = launch("demo", "--work-dir", tmp.resolve("demo").toString());
    assertThat(demo.exitCode()).as(demo.stderr()).isZero();
    assertThat(demo.stdout()).contains("shell-tools.json", "web-server.json", "runtime-base.json");
    assertThat(tmp.resolve("demo/node/var/lib/kubelet/seccomp/operator/shell-tools.json")).exists();
  }
}
