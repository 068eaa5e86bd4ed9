package dev.profileops.host.bpf;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FakeSyscallRecorderTest {

  @Test
  void findsARecordingByNamespaceAndFirstPidAcrossAReusedInodeNumber() {
    FakeSyscallRecorder recorder = new FakeSyscallRecorder();
    recorder.start(false);
    recorder.exec(4026532200L, 100);
    recorder.saw(4026532200L, 0, 1);
    recorder.exec(4026532200L, 200);
    recorder.saw(4026532200L, 3);

    MountNamespaceRecording first = recorder.recording(4026532200L, 100).orElseThrow();
    MountNamespaceRecording second = recorder.recording(4026532200L, 200).orElseThrow();

    assertThat(first.syscallNumbers().stream()).containsExactly(0, 1);
    assertThat(second.syscallNumbers().stream()).containsExactly(3);
    assertThat(recorder.latest(4026532200L)).contains(second);
  }

  @Test
  void trackedOnlyIgnoresOtherNamespaces() {
    FakeSyscallRecorder recorder = new FakeSyscallRecorder();
    recorder.start(true);
    recorder.track(1);
    recorder.exec(1, 10);
    recorder.exec(2, 20);

    assertThat(recorder.recordings()).extracting(MountNamespaceRecording::mountNamespace).containsExactly(1L);
  }
}
