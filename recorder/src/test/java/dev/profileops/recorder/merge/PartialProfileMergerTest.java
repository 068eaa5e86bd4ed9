package dev.profileops.recorder.merge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.profileops.api.SpoApi;
import dev.profileops.api.recording.MergeStrategy;
import dev.profileops.api.seccomp.SeccompAction;
import dev.profileops.api.seccomp.SeccompArch;
import dev.profileops.api.seccomp.SeccompProfile;
import dev.profileops.recorder.RecordingMetadata;
import dev.profileops.recorder.seccomp.RecordedSeccompProfile;
import dev.profileops.recorder.seccomp.SeccompRecordedKind;
import dev.profileops.recorder.seccomp.SyscallCoverageAnnotation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PartialProfileMergerTest {
  final PartialProfileMerger merger = new PartialProfileMerger();

  @Test
  void containersMergesTheReplicasIntoOneProfileWithTheCoverageAnnotation() {
    List<ReplicaProfile<SeccompProfile>> replicas = List.of(
        replica("abcde", "node-a", List.of("read", "write", "openat")),
        replica("fghij", "node-b", List.of("read", "write")),
        replica("klmno", "node-a", List.of("read", "futex")));

    MergeResult<SeccompProfile> result = merger.merge(SeccompRecordedKind.INSTANCE, "rec", "nginx", replicas, MergeStrategy.Containers);

    SeccompProfile merged = result.profiles().get(0);
    assertThat(result.profiles()).hasSize(1);
    assertThat(merged.getMetadata().getName()).isEqualTo("rec-nginx");
    assertThat(merged.getMetadata().getLabels()).containsOnly(
        Map.entry(RecordingMetadata.LABEL_RECORDING_ID, "rec"), Map.entry(RecordingMetadata.LABEL_CONTAINER_ID, "nginx"));
    assertThat(merged.getSpec().getDefaultAction()).isEqualTo(SeccompAction.SCMP_ACT_ERRNO);
    assertThat(merged.getSpec().getArchitectures()).containsExactly(SeccompArch.SCMP_ARCH_X86_64);
    assertThat(merged.getSpec().getSyscalls()).singleElement().satisfies(rule -> {
      assertThat(rule.getAction()).isEqualTo(SeccompAction.SCMP_ACT_ALLOW);
      assertThat(rule.getNames()).containsExactly("futex", "openat", "read", "write");
    });
    RuleCoverage coverage = result.coverage().orElseThrow();
    assertThat(coverage.total()).isEqualTo(3);
    assertThat(coverage.rules()).containsExactly(Map.entry("futex", 1), Map.entry("openat", 1), Map.entry("read", 3),
        Map.entry("write", 2));
    assertThat(merged.getMetadata().getAnnotations().get(SyscallCoverageAnnotation.ANNOTATION))
        .isEqualTo("{\"version\":\"v1\",\"total\":3,\"syscalls\":{\"futex\":1,\"openat\":1,\"read\":3,\"write\":2}}");
    assertThat(SyscallCoverageAnnotation.parse(SyscallCoverageAnnotation.write(coverage))).isEqualTo(coverage);
  }

  @Test
  void noneKeepsOneProfilePerReplicaNamedWithItsSuffixAndWithoutThePartialLabel() {
    MergeResult<SeccompProfile> result = merger.merge(SeccompRecordedKind.INSTANCE, "rec", "nginx", List.of(
        replica("abcde", "node-a", List.of("read")), replica("fghij", "node-b", List.of("write"))), MergeStrategy.None);

    assertThat(result.coverage()).isEmpty();
    assertThat(result.profiles()).extracting(p -> p.getMetadata().getName()).containsExactly("rec-nginx-abcde", "rec-nginx-fghij");
    assertThat(result.profiles()).allSatisfy(p -> assertThat(p.getMetadata().getLabels())
        .doesNotContainKey(SpoApi.LABEL_PARTIAL).containsEntry(RecordingMetadata.LABEL_CONTAINER_ID, "nginx"));
    assertThat(result.profiles().get(1).getSpec().getSyscalls().get(0).getNames()).containsExactly("write");
  }

  @Test
  void refusesNoReplicasAndTheSameReplicaTwice() {
    assertThatThrownBy(() -> merger.merge(SeccompRecordedKind.INSTANCE, "rec", "nginx", List.of(), MergeStrategy.Containers))
        .hasMessageContaining("no replica of container nginx");
    assertThatThrownBy(() -> merger.merge(SeccompRecordedKind.INSTANCE, "rec", "nginx", List.of(replica("a", "n", List.of("read")),
        replica("a", "n", List.of("write"))), MergeStrategy.Containers)).hasMessageContaining("replica a of nginx was given twice");
  }

  @Test
  void aCoverageAnnotationThatIsWrongSaysWhichField() {
    assertThatThrownBy(() -> SyscallCoverageAnnotation.parse("{\"version\":\"v2\",\"total\":1,\"syscalls\":{}}"))
        .hasMessageContaining("version must be v1");
    assertThatThrownBy(() -> SyscallCoverageAnnotation.parse("{\"version\":\"v1\",\"total\":2,\"syscalls\":{\"read\":\"x\"}}"))
        .hasMessageContaining("syscalls.read must be a number");
    assertThatThrownBy(() -> SyscallCoverageAnnotation.parse("{\"version\":\"v1\",\"total\":2,\"syscalls\":{\"read\":3}}"))
        .hasMessageContaining("read seen by 3 of 2 replicas");
  }

  static ReplicaProfile<SeccompProfile> replica(String suffix, String node, List<String> syscalls) {
    SeccompProfile partial = RecordedSeccompProfile.build("rec", "nginx", "x86_64", syscalls);
    partial.getMetadata().getLabels().put(SpoApi.LABEL_PARTIAL, "true");
    return new ReplicaProfile<>(suffix, node, partial);
  }
}
