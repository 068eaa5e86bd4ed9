package dev.profileops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateAndRenderCommandTest {
  private static final Path TEMPLATE = Path.of("../repo-template");

  @TempDir Path dir;

  @Test
  void repoTemplateIsValid() {
    ConsoleCapture.Run run = ConsoleCapture.run("validate", TEMPLATE.toString());
    assertThat(run.stdout()).isEmpty();
    assertThat(run.exitCode()).isZero();
  }

  @Test
  void validateNamesEachProblemWithPathRelativeToDir() throws IOException {
    Files.createDirectories(dir.resolve("team"));
    Files.writeString(dir.resolve("team/bad.yaml"), """
        apiVersion: security-profiles-operator.x-k8s.io/v1
        kind: SeccompProfile
        metadata:
          name: bad
        spec:
          defaultAction: SCMP_ACT_ERRNO
          syscalls:
            - names: [not_a_syscall]
              action: SCMP_ACT_ALLOWED
        """);
    ConsoleCapture.Run run = ConsoleCapture.run("validate", dir.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.stdout().lines().toList()).satisfiesExactly(
        l -> assertThat(l).startsWith("team/bad.yaml:8: spec.syscalls[0].names[0]: unknown syscall \"not_a_syscall\""),
        l -> assertThat(l).startsWith("team/bad.yaml:9: spec.syscalls[0].action: unknown value \"SCMP_ACT_ALLOWED\""));
  }

  @Test
  void renderPrintsEveryObjectOfTheTemplateAsV1() throws IOException {
    ConsoleCapture.Run run = ConsoleCapture.run("render", TEMPLATE.toString());
    assertThat(run.exitCode()).isZero();
    List<JsonNode> docs;
    try (MappingIterator<JsonNode> it = new YAMLMapper().readerFor(JsonNode.class).readValues(run.stdout())) {
      docs = it.readAll();
    }
    assertThat(docs).extracting(d -> d.path("kind").asText() + "/" + d.path("metadata").path("name").asText())
        .containsExactly("SeccompProfile/runtime-base", "SeccompProfile/shell-tools", "SeccompProfile/web-server",
            "SelinuxProfile/web-server-selinux", "RawSelinuxProfile/log-reader", "AppArmorProfile/web-server-apparmor",
            "ProfileBinding/web-server", "ProfileRecording/web-server");
    assertThat(docs).allSatisfy(d -> {
      assertThat(d.path("apiVersion").asText()).isEqualTo("security-profiles-operator.x-k8s.io/v1");
      assertThat(d.has("status")).isFalse();
      assertThat(d.path("metadata").path("annotations").path("profileops.dev/path").asText()).endsWith(".yaml");
    });
    assertThat(docs.get(6).path("metadata").path("namespace").asText()).isEqualTo("web");
  }

  @Test
  void renderPrintsNothingOnStdoutWhenInvalid() throws IOException {
    Files.writeString(dir.resolve("ok.yaml"), """
        apiVersion: security-profiles-operator.x-k8s.io/v1
        kind: SeccompProfile
        metadata: {name: ok}
        spec: {defaultAction: SCMP_ACT_ALLOW}
        """);
    Files.writeString(dir.resolve("broken.yaml"), "kind: [");
    ConsoleCapture.Run run = ConsoleCapture.run("render", dir.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.stdout()).isEmpty();
    assertThat(run.stderr()).contains("broken.yaml:");
  }
}
