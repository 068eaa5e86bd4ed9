package dev.profileops.recorder.local;

import dev.profileops.host.bpf.MountNamespaceRecording;
import dev.profileops.host.bpf.SyscallRecorder;
import dev.profileops.host.seccomp.SyscallTable;
import dev.profileops.recorder.bpf.RecordingToProfile;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Records a local command: runs it as {@code unshare --mount --propagation private -- COMMAND...},
 * so it gets a mount namespace of its own whose first execve is the command itself (unshare's own
 * setup comes before and is not recorded), with this process's standard input and output. The
 * recording is found afterwards by unshare's pid, which the command keeps through its execve.
 */
public final class LocalCommandRecording {
  private final SyscallRecorder recorder;
  private final SyscallTable syscalls;
  private final String unshare;

  /**
   * The command's exit code, and the profile when the recorder saw its execve (empty when the
   * command could not start at all).
   */
  public record Result(int exitCode, Optional<RecordingToProfile.Result> recorded) {}

  public LocalCommandRecording(SyscallRecorder recorder, SyscallTable syscalls, String unshare) {
    this.recorder = recorder;
    this.syscalls = syscalls;
    this.unshare = unshare;
  }

  public Result record(String recordingName, String containerName, List<String> command) throws IOException {
    if (command.isEmpty()) {
      throw new IllegalArgumentException("no command to record");
    }
    List<String> full = new ArrayList<>(List.of(unshare, "--mount", "--propagation", "private", "--"));
    full.addAll(command);
    Process process = new ProcessBuilder(full).inheritIO().start();
    int exitCode;
    try {
      exitCode = process.waitFor();
    } catch (InterruptedException e) {
      process.destroy();
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while recording " + command);
    }
    Optional<MountNamespaceRecording> seen = recorder.recordings().stream()
        .filter(r -> r.firstPid() == process.pid())
        .findFirst();
    seen.ifPresent(recorder::forget);
    return new Result(exitCode, seen.map(r -> new RecordingToProfile(syscalls).convert(recordingName, containerName, r)));
  }
}
