package dev.profileops.recorder.bpf;

import dev.profileops.api.seccomp.SeccompProfile;
import dev.profileops.host.bpf.MountNamespaceRecording;
import dev.profileops.host.seccomp.SyscallTable;
import dev.profileops.recorder.seccomp.RecordedSeccompProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Turns what the BPF recorder saw in one mount namespace into a recorded SeccompProfile: syscall
 * numbers named by libseccomp for this host's architecture, plus the {@link RuntimeHandover} set.
 */
public final class RecordingToProfile {
  private final SyscallTable syscalls;

  /**
   * The profile, and the numbers libseccomp could not name (left out of the profile; a newer kernel
   * than libseccomp knows). {@code overflow} tells that a number too large for the kernel's bitmap was
   * seen and lost.
   */
  public record Result(SeccompProfile profile, List<Integer> unnamedNumbers, boolean overflow) {
    public Result {
      unnamedNumbers = List.copyOf(unnamedNumbers);
    }

    public List<String> syscalls() {
      return profile.getSpec().getSyscalls().get(0).getNames();
    }
  }

  public RecordingToProfile(SyscallTable syscalls) {
    this.syscalls = syscalls;
  }

  /** @param recording the recording's name; {@code container} the container's: the profile is {@code recording-container} */
  public Result convert(String recording, String container, MountNamespaceRecording seen) {
    String arch = syscalls.nativeArchitecture();
    TreeSet<String> names = new TreeSet<>(RuntimeHandover.SYSCALLS);
    List<Integer> unnamed = new ArrayList<>();
    seen.syscallNumbers().stream().forEach(nr -> {
      Optional<String> name = syscalls.name(arch, nr);
      if (name.isPresent()) {
        names.add(name.get());
      } else {
        unnamed.add(nr);
      }
    });
    return new Result(RecordedSeccompProfile.build(recording, container, arch, names), unnamed, seen.overflow());
  }
}
