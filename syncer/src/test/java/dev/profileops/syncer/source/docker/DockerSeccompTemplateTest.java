package dev.profileops.syncer.source.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.profileops.testsupport.Prerequisites;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

class DockerSeccompTemplateTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final KernelVersion KERNEL_6_1 = new KernelVersion(6, 1);

  private static JsonNode dockerDefault;
  private static String missingCorpus;

  /**
   * moby's default profile from the shared corpus, which lies beside the clone root: {@code <module
   * dir>/../../shared/corpus/seccomp/docker-default.json}. Missing, it fails the tests that use it
   * in CI and skips them (with the reason) elsewhere.
   */
  @BeforeAll
  static void loadCorpus() throws IOException {
    Path moduleDir = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
    Path file =
        moduleDir.resolve("../../shared/corpus/seccomp/docker-default.json").normalize();
    if (Files.isRegularFile(file)) {
      dockerDefault = JSON.readTree(file.toFile());
    } else {
      missingCorpus = "Docker's default seccomp profile not found at " + file;
    }
  }

  @BeforeEach
  void needsCorpus(TestInfo test) {
    if (test.getTags().contains("corpus")) {
      Prerequisites.require(Optional.ofNullable(missingCorpus));
    }
  }

  @Test
  @Tag("corpus")
  void dockerDefaultIsATemplateAndItsResolutionIsNot() {
    ObjectNode oci = DockerSeccompTemplate.toOci(dockerDefault, "x86_64", KERNEL_6_1);

    assertThat(DockerSeccompTemplate.isTemplate(dockerDefault)).isTrue();
    assertThat(DockerSeccompTemplate.isTemplate(oci)).isFalse();
    assertThat(oci.has("archMap")).isFalse();
    for (JsonNode rule : oci.get("syscalls")) {
      assertThat(rule.has("comment") || rule.has("includes") || rule.has("excludes"))
          .as("Docker-only field left in %s", rule)
          .isFalse();
      assertThat(rule.get("names").isArray()).isTrue();
    }
  }

  @Test
  @Tag("corpus")
  void keepsDefaultActionAndErrno() {
    ObjectNode oci = DockerSeccompTemplate.toOci(dockerDefault, "x86_64", KERNEL_6_1);

    assertThat(oci.get("defaultAction").asText()).isEqualTo("SCMP_ACT_ERRNO");
    assertThat(oci.get("defaultErrnoRet").asInt()).isEqualTo(1);
  }

  @Test
  @Tag("corpus")
  void architecturesComeFromTheNativeArchMapEntry() {
    assertThat(architectures(DockerSeccompTemplate.toOci(dockerDefault, "x86_64", KERNEL_6_1)))
        .containsExactly("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32");
    assertThat(architectures(DockerSeccompTemplate.toOci(dockerDefault, "aarch64", KERNEL_6_1)))
        .containsExactly("SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM");
    // Docker's and Go's spelling of the same architecture.
    assertThat(architectures(DockerSeccompTemplate.toOci(dockerDefault, "amd64", KERNEL_6_1)))
        .containsExactly("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32");
    // subArchitectures: null
    assertThat(architectures(DockerSeccompTemplate.toOci(dockerDefault, "riscv64", KERNEL_6_1)))
        .containsExactly("SCMP_ARCH_RISCV64");
    // Not in the map: no architectures, so libseccomp filters the native one.
    assertThat(
            DockerSeccompTemplate.toOci(dockerDefault, "ppc64le", KERNEL_6_1).has("architectures"))
        .isFalse();
  }

  @Test
  @Tag("corpus")
  void rulesForOtherArchitecturesAreDropped() {
    Set<String> amd64 = names(DockerSeccompTemplate.toOci(dockerDefault, "x86_64", KERNEL_6_1));
    assertThat(amd64).contains("arch_prctl", "modify_ldt", "read", "execve");
    assertThat(amd64)
        .doesNotContain(
            "arm_fadvise64_64", "s390_pci_mmio_read", "riscv_flush_icache", "swapcontext");

    Set<String> arm64 = names(DockerSeccompTemplate.toOci(dockerDefault, "aarch64", KERNEL_6_1));
    assertThat(arm64).contains("arm_fadvise64_64", "sync_file_range2");
    assertThat(arm64).doesNotContain("arch_prctl", "modify_ldt", "s390_pci_mmio_read");
  }

  @Test
  @Tag("corpus")
  void rulesNeedingCapabilitiesOutsideDockersDefaultSetAreDropped() {
    ObjectNode oci = DockerSeccompTemplate.toOci(dockerDefault, "x86_64", KERNEL_6_1);
    Set<String> names = names(oci);

    // CAP_SYS_CHROOT is in the default set.
    assertThat(names).contains("chroot");
    // CAP_SYS_ADMIN, CAP_SYS_PTRACE (kcmp), CAP_SYS_BOOT, CAP_SYS_MODULE, CAP_SYS_TIME are not.
    assertThat(names)
        .doesNotContain(
            "mount", "umount2", "unshare", "setns", "bpf", "reboot", "init_module", "kcmp",
            "settimeofday", "open_by_handle_at", "perf_event_open");
    // clone stays, restricted by its flags argument (the excludes CAP_SYS_ADMIN rule).
    List<JsonNode> clone = rulesNaming(oci, "clone");
    assertThat(clone).hasSize(1);
    assertThat(clone.get(0).get("args").get(0).get("index").asInt()).isZero();
    assertThat(clone.get(0).get("args").get(0).get("op").asText()).isEqualTo("SCMP_CMP_MASKED_EQ");
    // clone3 answers ENOSYS so that libcs fall back to clone.
    List<JsonNode> clone3 = rulesNaming(oci, "clone3");
    assertThat(clone3).hasSize(1);
    assertThat(clone3.get(0).get("action").asText()).isEqualTo("SCMP_ACT_ERRNO");
    assertThat(clone3.get(0).get("errnoRet").asInt()).isEqualTo(38);
  }

  @Test
  @Tag("corpus")
  void moreCapabilitiesBringTheirRulesAndDropTheExcludedOnes() {
    Set<String> caps = new HashSet<>(DockerSeccompTemplate.DEFAULT_CAPABILITIES);
    caps.add("SYS_ADMIN"); // without the prefix, as docker run --cap-add takes it
    ObjectNode oci = DockerSeccompTemplate.toOci(dockerDefault, "x86_64", KERNEL_6_1, caps);

    assertThat(names(oci)).contains("mount", "unshare", "setns", "bpf", "clone", "clone3");
    assertThat(rulesNaming(oci, "clone")).allMatch(rule -> !rule.has("args"));
    assertThat(rulesNaming(oci, "clone3"))
        .allMatch(rule -> rule.get("action").asText().equals("SCMP_ACT_ALLOW"));
  }

  @Test
  @Tag("corpus")
  void minKernelComparesKernelAndMajorRevision() {
    assertThat(names(DockerSeccompTemplate.toOci(dockerDefault, "x86_64", KERNEL_6_1)))
        .contains("ptrace", "process_vm_readv");
    assertThat(names(DockerSeccompTemplate.toOci(dockerDefault, "x86_64", new KernelVersion(4, 8))))
        .contains("ptrace");
    assertThat(
            names(
                DockerSeccompTemplate.toOci(
                    dockerDefault, "x86_64", KernelVersion.parse("4.4.0-210-generic"))))
        .doesNotContain("ptrace", "process_vm_readv");
  }

  @Test
  @Tag("corpus")
  void plainRulesKeepTheirArgsAndOrder() {
    ObjectNode oci = DockerSeccompTemplate.toOci(dockerDefault, "x86_64", KERNEL_6_1);

    JsonNode first = oci.get("syscalls").get(0);
    assertThat(first.get("action").asText()).isEqualTo("SCMP_ACT_ALLOW");
    assertThat(first.get("names")).isEqualTo(dockerDefault.get("syscalls").get(0).get("names"));
    List<JsonNode> socket = rulesNaming(oci, "socket");
    assertThat(socket).hasSize(1);
    assertThat(socket.get(0).get("args").get(0).get("value").asLong()).isEqualTo(40);
    assertThat(socket.get(0).get("args").get(0).get("op").asText()).isEqualTo("SCMP_CMP_NE");
    assertThat(rulesNaming(oci, "personality")).hasSize(5);
  }

  @Test
  @Tag("corpus")
  void theTemplateIsNotModified() {
    JsonNode before = dockerDefault.deepCopy();
    DockerSeccompTemplate.toOci(dockerDefault, "aarch64", KERNEL_6_1);
    assertThat(dockerDefault).isEqualTo(before);
  }

  @Test
  void smallTemplate() throws IOException {
    JsonNode template =
        JSON.readTree(
            """
            {"defaultAction": "SCMP_ACT_ERRNO", "flags": ["SECCOMP_FILTER_FLAG_LOG"],
             "syscalls": [
               {"name": "read", "action": "SCMP_ACT_ALLOW", "comment": "legacy single name"},
               {"names": ["x"], "action": "SCMP_ACT_ALLOW", "includes": {}},
               {"names": ["not-on-amd64"], "action": "SCMP_ACT_ALLOW",
                "excludes": {"arches": ["amd64"]}},
               {"names": ["x86-only"], "action": "SCMP_ACT_ALLOW", "includes": {"arches": ["x86"]}},
               {"names": ["old-kernels"], "action": "SCMP_ACT_ALLOW",
                "excludes": {"minKernel": "5.10"}},
               {"names": ["two-caps"], "action": "SCMP_ACT_ALLOW",
                "includes": {"caps": ["CAP_KILL", "CAP_SYS_NICE"]}},
               {"names": ["kill-cap"], "action": "SCMP_ACT_LOG", "includes": {"caps": ["CAP_KILL"]}}
             ]}
            """);

    assertThat(DockerSeccompTemplate.isTemplate(template)).isTrue();
    ObjectNode oci = DockerSeccompTemplate.toOci(template, "x86_64", new KernelVersion(5, 10));

    assertThat(oci.has("architectures")).isFalse();
    assertThat(oci.get("flags").get(0).asText()).isEqualTo("SECCOMP_FILTER_FLAG_LOG");
    assertThat(oci.get("syscalls"))
        .isEqualTo(
            JSON.readTree(
                """
                [{"names": ["read"], "action": "SCMP_ACT_ALLOW"},
                 {"names": ["x"], "action": "SCMP_ACT_ALLOW"},
                 {"names": ["kill-cap"], "action": "SCMP_ACT_LOG"}]
                """));
    assertThat(names(DockerSeccompTemplate.toOci(template, "x86_64", new KernelVersion(5, 4))))
        .contains("old-kernels");
  }

  @Test
  void aPlainOciProfileIsCopiedAsItIs() throws IOException {
    JsonNode plain =
        JSON.readTree(
            """
            {"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64"],
             "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO",
                           "errnoRet": 1}]}
            """);

    assertThat(DockerSeccompTemplate.isTemplate(plain)).isFalse();
    assertThat(DockerSeccompTemplate.toOci(plain, "x86_64", KERNEL_6_1)).isEqualTo(plain);
  }

  @Test
  void rejectsWhatDockerRejects() throws IOException {
    JsonNode both =
        JSON.readTree(
            """
            {"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86_64"],
             "archMap": [{"architecture": "SCMP_ARCH_X86_64", "subArchitectures": []}],
             "syscalls": []}
            """);
    JsonNode nameAndNames =
        JSON.readTree(
            """
            {"defaultAction": "SCMP_ACT_ERRNO",
             "syscalls": [{"name": "read", "names": ["write"], "action": "SCMP_ACT_ALLOW"}]}
            """);
    JsonNode badKernel =
        JSON.readTree(
            """
            {"defaultAction": "SCMP_ACT_ERRNO",
             "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW",
                           "includes": {"minKernel": "five"}}]}
            """);

    assertThatThrownBy(() -> DockerSeccompTemplate.toOci(both, "x86_64", KERNEL_6_1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("archMap");
    assertThatThrownBy(() -> DockerSeccompTemplate.toOci(nameAndNames, "x86_64", KERNEL_6_1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("syscalls[0]");
    assertThatThrownBy(() -> DockerSeccompTemplate.toOci(badKernel, "x86_64", KERNEL_6_1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("syscalls[0].includes.minKernel");
  }

  @Test
  void kernelVersionsParseLikeDocker() {
    assertThat(KernelVersion.parse("6.1.0-18-amd64")).isEqualTo(new KernelVersion(6, 1));
    assertThat(KernelVersion.parse("3.12-1-amd64")).isEqualTo(new KernelVersion(3, 12));
    assertThat(new KernelVersion(4, 10).atLeast(new KernelVersion(4, 8))).isTrue();
    assertThat(new KernelVersion(5, 0).atLeast(new KernelVersion(4, 19))).isTrue();
    assertThat(new KernelVersion(4, 7).atLeast(new KernelVersion(4, 8))).isFalse();
    assertThatThrownBy(() -> KernelVersion.parse("6")).isInstanceOf(IllegalArgumentException.class);
    assertThat(KernelVersion.running()).isNotNull();
  }

  private static List<String> architectures(JsonNode oci) {
    List<String> out = new ArrayList<>();
    oci.get("architectures").forEach(a -> out.add(a.asText()));
    return out;
  }

  private static Set<String> names(JsonNode oci) {
    Set<String> out = new HashSet<>();
    for (JsonNode rule : oci.get("syscalls")) {
      rule.get("names").forEach(n -> out.add(n.asText()));
    }
    return out;
  }

  private static List<JsonNode> rulesNaming(JsonNode oci, String syscall) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode rule : oci.get("syscalls")) {
      for (JsonNode n : rule.get("names")) {
        if (n.asText().equals(syscall)) {
          out.add(rule);
        }
      }
    }
    return out;
  }
}
