package dev.profileops.syncer.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.profileops.api.common.ProfileActivation;
import dev.profileops.api.recording.MergeStrategy;
import dev.profileops.api.recording.ProfileRecording;
import dev.profileops.api.recording.RecorderType;
import dev.profileops.api.seccomp.SeccompAction;
import dev.profileops.api.seccomp.SeccompProfile;
import dev.profileops.host.seccomp.LibseccompSyscallTable;
import dev.profileops.syncer.validate.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepositoryLoaderTest {
  private static final String GOOD = """
      apiVersion: security-profiles-operator.x-k8s.io/v1
      kind: SeccompProfile
      metadata:
        name: good
      spec:
        defaultAction: SCMP_ACT_ERRNO
        architectures: [SCMP_ARCH_X86_64, SCMP_ARCH_AARCH64]
        syscalls:
          - names: [read, write, exit_group]
            action: SCMP_ACT_ALLOW
      """;

  @TempDir Path repo;
  private RepositoryLoader loader;

  @BeforeEach
  void setUp() throws IOException {
    loader = new RepositoryLoader(LibseccompSyscallTable.load());
    write("good.yaml", GOOD);
  }

  private void write(String file, String content) throws IOException {
    Path p = repo.resolve(file);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
  }

  private List<String> errors() {
    return loader.load(repo).errors().stream().map(Problem::toString).toList();
  }

  private static String profile(String name, String specLines) {
    return "apiVersion: security-profiles-operator.x-k8s.io/v1\nkind: SeccompProfile\nmetadata:\n  name: " + name
        + "\nspec:\n" + specLines;
  }

  @Test
  void validRepositoryHasNoErrors() {
    LoadResult result = loader.load(repo);
    assertThat(result.problems()).isEmpty();
    assertThat(result.validObjects()).extracting(LoadedObject::name).containsExactly("good");
  }

  @Test
  void yamlSyntaxErrorNamesFileAndLine() throws IOException {
    write("sub/broken.yaml", profile("broken", "  defaultAction: [unclosed\n  other: x\n"));
    assertThat(errors()).singleElement().asString().startsWith("sub/broken.yaml:").contains("syntax");
    assertThat(loader.load(repo).validObjects()).extracting(LoadedObject::name).containsExactly("good");
  }

  @Test
  void unknownFieldsAreReportedEachWithLine() throws IOException {
    write("bad.yaml", profile("bad", "  defaultAction: SCMP_ACT_ERRNO\n  syscalls:\n    - names: [read]\n      action: SCMP_ACT_ALLOW\n      colour: red\n  extra: 1\n"));
    assertThat(errors()).containsExactly(
        "bad.yaml:10: spec.syscalls[0].colour: unknown field",
        "bad.yaml:11: spec.extra: unknown field");
  }

  @Test
  void badNamesAreRefused() throws IOException {
    write("a.yaml", profile("../etc/passwd", "  defaultAction: SCMP_ACT_ERRNO\n"));
    write("b.yaml", profile("Upper/Case", "  defaultAction: SCMP_ACT_ERRNO\n"));
    assertThat(errors()).hasSize(2).allSatisfy(e -> assertThat(e).contains(":4: metadata.name: ").contains("DNS-1123"));
  }

  @Test
  void duplicateKindAndNameIsAnError() throws IOException {
    write("z-dup.yaml", GOOD);
    assertThat(errors()).containsExactly(
        "z-dup.yaml:4: metadata.name: duplicate SeccompProfile \"good\"; first defined at good.yaml:1");
  }

  @Test
  void unknownActionsOperatorsAndArchitectures() throws IOException {
    write("enums.yaml", profile("enums", """
          defaultAction: SCMP_ACT_MAYBE
          architectures: [SCMP_ARCH_VAX]
          syscalls:
            - names: [read]
              action: SCMP_ACT_ALLOW
              args:
                - index: 0
                  value: 1
                  op: SCMP_CMP_ALMOST
        """));
    assertThat(errors()).satisfiesExactly(
        e -> assertThat(e).startsWith("enums.yaml:6: spec.defaultAction: unknown value \"SCMP_ACT_MAYBE\"; expected one of SCMP_ACT_KILL_PROCESS"),
        e -> assertThat(e).startsWith("enums.yaml:7: spec.architectures[0]: unknown value \"SCMP_ARCH_VAX\""),
        e -> assertThat(e).startsWith("enums.yaml:14: spec.syscalls[0].args[0].op: unknown value \"SCMP_CMP_ALMOST\""));
  }

  @Test
  void syscallNamesAreCheckedWithLibseccomp() throws IOException {
    write("names.yaml", profile("names", """
          defaultAction: SCMP_ACT_ERRNO
          architectures: [SCMP_ARCH_X86_64]
          syscalls:
            - names: [read, definitely_not_a_syscall]
              action: SCMP_ACT_ALLOW
        """));
    assertThat(errors()).singleElement().asString()
        .startsWith("names.yaml:9: spec.syscalls[0].names[1]: unknown syscall \"definitely_not_a_syscall\" for architectures x86_64");
  }

  @Test
  void argumentIndexAboveFiveIsAnError() throws IOException {
    write("args.yaml", profile("args", """
          defaultAction: SCMP_ACT_ERRNO
          syscalls:
            - names: [read]
              action: SCMP_ACT_ALLOW
              args:
                - index: 6
                  value: 1
                  op: SCMP_CMP_EQ
        """));
    assertThat(errors()).containsExactly("args.yaml:11: spec.syscalls[0].args[0].index: argument index must be between 0 and 5, found 6");
  }

  @Test
  void baseProfilesMustExistAndNotCycle() throws IOException {
    write("missing.yaml", profile("child", "  defaultAction: SCMP_ACT_ERRNO\n  baseProfileName: nowhere\n"));
    write("cycle.yaml", profile("c1", "  defaultAction: SCMP_ACT_ERRNO\n  baseProfileName: c2\n")
        + "---\n" + profile("c2", "  defaultAction: SCMP_ACT_ERRNO\n  baseProfileName: c1\n"));
    assertThat(errors()).containsExactly(
        "cycle.yaml:7: spec.baseProfileName: base profiles form a cycle: c1 -> c2 -> c1",
        "cycle.yaml:15: spec.baseProfileName: base profiles form a cycle: c2 -> c1 -> c2",
        "missing.yaml:7: spec.baseProfileName: base profile nowhere does not exist");
  }

  @Test
  void baseChainDeeperThanFifteenIsAnError() throws IOException {
    StringBuilder chain = new StringBuilder(profile("p0", "  defaultAction: SCMP_ACT_ERRNO\n"));
    for (int i = 1; i <= 16; i++) {
      chain.append("---\n").append(profile("p" + i, "  defaultAction: SCMP_ACT_ERRNO\n  baseProfileName: p" + (i - 1) + "\n"));
    }
    write("chain.yaml", chain.toString());
    assertThat(errors()).singleElement().asString().contains("spec.baseProfileName: base profile chain is deeper than 15");
  }

  @Test
  void otherKindsAreWarnedAboutAndSkipped() throws IOException {
    write("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n");
    LoadResult result = loader.load(repo);
    assertThat(result.hasErrors()).isFalse();
    assertThat(result.problems()).singleElement().asString()
        .isEqualTo("warning: cm.yaml:1: kind: kind ConfigMap (v1) is not a profile kind; skipped");
  }

  @Test
  void olderVersionsAreConvertedToV1() throws IOException {
    write("old.yaml", """
        apiVersion: security-profiles-operator.x-k8s.io/v1beta1
        kind: SeccompProfile
        metadata:
          name: old
          namespace: team-a
        spec:
          disabled: true
          defaultAction: SCMP_ACT_LOG
        ---
        apiVersion: security-profiles-operator.x-k8s.io/v1alpha1
        kind: ProfileRecording
        metadata:
          name: rec
        spec:
          kind: SeccompProfile
          recorder: bpf
          mergeStrategy: containers
          podSelector:
            matchLabels: {app: web}
        """);
    LoadResult result = loader.load(repo);
    assertThat(result.problems()).isEmpty();
    SeccompProfile old = (SeccompProfile) result.objects().stream().filter(o -> o.name().equals("old")).findFirst().orElseThrow().resource();
    assertThat(old.getSpec().getState()).isEqualTo(ProfileActivation.Disabled);
    assertThat(old.getSpec().getDefaultAction()).isEqualTo(SeccompAction.SCMP_ACT_LOG);
    assertThat(old.getMetadata().getNamespace()).isNull();
    assertThat(old.getApiVersion()).isEqualTo("security-profiles-operator.x-k8s.io/v1");
    ProfileRecording rec = (ProfileRecording) result.objects().stream().filter(o -> o.name().equals("rec")).findFirst().orElseThrow().resource();
    assertThat(rec.getSpec().getRecorder()).isEqualTo(RecorderType.Bpf);
    assertThat(rec.getSpec().getMergeStrategy()).isEqualTo(MergeStrategy.Containers);
  }

  @Test
  void plainOciJsonBecomesAProfileNamedAfterTheFile() throws IOException {
    write("oci/runtime-default.json", """
        {"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86_64"],
         "syscalls": [{"names": ["read", "write"], "action": "SCMP_ACT_ALLOW"}]}
        """);
    LoadResult result = loader.load(repo);
    assertThat(result.problems()).isEmpty();
    assertThat(result.objects()).extracting(LoadedObject::name, LoadedObject::file)
        .contains(org.assertj.core.groups.Tuple.tuple("runtime-default", "oci/runtime-default.json"));
  }

  @Test
  void dockerDefaultProfileLoads() throws IOException {
    Path corpus = Path.of("../../shared/corpus/seccomp/docker-default.json");
    Files.copy(corpus, repo.resolve("docker-default.json"));
    LoadResult result = loader.load(repo);
    assertThat(result.errors()).isEmpty();
    SeccompProfile docker = (SeccompProfile) result.objects().stream()
        .filter(o -> o.name().equals("docker-default")).findFirst().orElseThrow().resource();
    assertThat(docker.getSpec().getDefaultAction()).isEqualTo(SeccompAction.SCMP_ACT_ERRNO);
    assertThat(docker.getSpec().getSyscalls()).isNotEmpty();
  }

  @Test
  void invalidFilesDoNotBlockValidOnes() throws IOException {
    write("x-broken.yaml", "kind: SeccompProfile\nspec: [1, 2\nb: c\n");
    write("y-bad.yaml", profile("bad", "  defaultAction: SCMP_ACT_NOPE\n"));
    LoadResult result = loader.load(repo);
    assertThat(result.errors()).hasSize(2);
    assertThat(result.validObjects()).extracting(LoadedObject::name).containsExactly("good");
    assertThat(result.unreadableFiles()).containsExactly("x-broken.yaml");
  }
}
