package dev.profileops.recorder.bpf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.profileops.api.seccomp.SeccompAction;
import dev.profileops.api.seccomp.SeccompArch;
import dev.profileops.host.bpf.FakeSyscallRecorder;
import dev.profileops.host.bpf.MountNamespaceRecording;
import dev.profileops.host.seccomp.FakeSyscallTable;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordingToProfileTest {
  private static final long NAMESPACE = 4026532301L;

  @Test
  void namesTheNumbersForTheHostArchitectureAndAddsTheRuntimeHandover() {
    FakeSyscallTable table = new FakeSyscallTable("aarch64", List.of("aarch64"), List.of("read", "write", "openat", "mkdirat"));
    FakeSyscallRecorder recorder = new FakeSyscallRecorder();
    recorder.start(false);
    recorder.exec(NAMESPACE, 42);
    recorder.saw(NAMESPACE, 3, 1, 0, 1, 900);
    MountNamespaceRecording seen = recorder.recording(NAMESPACE, 42).orElseThrow();

    RecordingToProfile.Result result = new RecordingToProfile(table).convert("rec", "web", seen);

    assertThat(result.profile().getMetadata().getName()).isEqualTo("rec-web");
    assertThat(result.profile().getSpec().getDefaultAction()).isEqualTo(SeccompAction.SCMP_ACT_ERRNO);
    assertThat(result.profile().getSpec().getArchitectures()).containsExactly(SeccompArch.SCMP_ARCH_AARCH64);
    assertThat(result.syscalls()).isSorted().contains("read", "write", "mkdirat").containsAll(RuntimeHandover.SYSCALLS)
        .doesNotHaveDuplicates();
    assertThat(result.unnamedNumbers()).containsExactly(900);
    assertThat(result.overflow()).isFalse();
  }

  @Test
  void aRecordingFoundByAnotherPidIsNotTheContainers() {
    FakeSyscallRecorder recorder = new FakeSyscallRecorder();
    recorder.start(false);
    recorder.exec(NAMESPACE, 42);

    assertThat(recorder.recording(NAMESPACE, 43)).isEmpty();
  }
}
