package dev.profileops.host.bpf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.profileops.host.seccomp.SyscallTable;
import dev.profileops.host.seccomp.SyscallTables;
import dev.profileops.testsupport.Prerequisites;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real program in the real kernel: processes in their own mount namespace, made with unshare(1). */
class LibbpfSyscallRecorderTest {
  private static SyscallTable table;
  private static SyscallRecorder recorder;

  @BeforeAll
  static void startRecorder() {
    table = SyscallTables.system();
    Prerequisites.require(SyscallRecorders.system().unsupportedReason(table));
    recorder = SyscallRecorders.system().start(table, false);
    Prerequisites.require(recorder instanceof UnsupportedSyscallRecorder u ? Optional.of(u.reason()) : Optional.empty());
  }

  @AfterAll
  static void stopRecorder() {
    if (recorder != null) {
      recorder.close();
    }
  }

  @Test
  void recordsTheSyscallsOfAProcessInItsOwnMountNamespaceFromItsExecve() throws Exception {
    // unshare(1) unshares and mounts before its execve of chroot; chroot(2) comes after it.
    Process process = start("unshare", "--mount", "--propagation", "private", "chroot", "/", "/bin/true");

    MountNamespaceRecording recording = recordingOf(process);

    assertThat(recording.overflow()).isFalse();
    assertThat(recording.syscallNumbers().get(nr("chroot"))).isTrue();
    assertThat(recording.syscallNumbers().get(nr("unshare"))).as("unshare came before the execve").isFalse();
    assertThat(recording.syscallNumbers().get(nr("mount"))).as("mount came before the execve").isFalse();
    recorder.forget(recording);
    assertThat(recorder.recordings()).doesNotContain(recording);
  }

  @Test
  void aFailedExecStartsNoRecording() throws Exception {
    Process process = start("unshare", "--mount", "/nonexistent/command");
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();

    assertThat(process.exitValue()).isNotZero();
    assertThat(recorder.recordings()).noneMatch(r -> r.firstPid() == process.pid());
  }

  @Test
  void neverRecordsTheHostMountNamespace() throws Exception {
    Process host = start("chroot", "/", "/bin/true");
    assertThat(host.waitFor(30, TimeUnit.SECONDS)).isTrue();

    long hostNamespace = ProcNamespaces.system().hostMountNamespace().orElseThrow();
    assertThat(recorder.latest(hostNamespace)).isEmpty();
    assertThat(recorder.recordings()).noneMatch(r -> r.firstPid() == host.pid());
  }

  @Test
  void keepsEachNamespaceApartEvenWhenItsInodeNumberIsReused() throws Exception {
    MountNamespaceRecording chroot = recordingOf(start("unshare", "--mount", "chroot", "/", "/bin/true"));
    MountNamespaceRecording sleep = recordingOf(start("unshare", "--mount", "sleep", "0"));

    assertThat(chroot.namespaceId()).isNotEqualTo(sleep.namespaceId());
    assertThat(chroot.syscallNumbers().get(nr("chroot"))).isTrue();
    assertThat(sleep.syscallNumbers().get(nr("chroot"))).as("%s after %s", sleep, chroot).isFalse();
    assertThat(sleep.syscallNumbers().get(nr("clock_nanosleep"))).isTrue();
  }

  private static Process start(String... command) throws IOException {
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
  }

  private static MountNamespaceRecording recordingOf(Process process) throws InterruptedException {
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isZero();
    return recorder.recordings().stream().filter(r -> r.firstPid() == process.pid()).findFirst()
        .orElseThrow(() -> new AssertionError("no recording for pid " + process.pid() + " in " + recorder.recordings()));
  }

  private static int nr(String name) {
    return table.number(table.nativeArchitecture(), name).orElseThrow();
  }
}
