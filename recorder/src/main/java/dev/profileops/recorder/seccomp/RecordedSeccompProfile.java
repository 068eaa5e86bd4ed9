package dev.profileops.recorder.seccomp;

import dev.profileops.api.seccomp.SeccompAction;
import dev.profileops.api.seccomp.SeccompArch;
import dev.profileops.api.seccomp.SeccompProfile;
import dev.profileops.api.seccomp.SeccompProfileSpec;
import dev.profileops.api.seccomp.SyscallRule;
import dev.profileops.recorder.RecordingMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * Builds the profile a recording produces, in SPO's shape: default action ERRNO, the recording host's
 * architecture, and one ALLOW entry with the sorted syscalls seen. The recorders (BPF, logs) feed it.
 */
public final class RecordedSeccompProfile {
  private RecordedSeccompProfile() {}

  /**
   * @param libseccompArch the host's architecture as libseccomp names it ({@code x86_64}, {@code aarch64})
   */
  public static SeccompProfile build(String recording, String container, String libseccompArch, Collection<String> syscalls) {
    SeccompProfileSpec spec = new SeccompProfileSpec();
    spec.setDefaultAction(SeccompAction.SCMP_ACT_ERRNO);
    spec.setArchitectures(List.of(architecture(libseccompArch)));
    spec.setSyscalls(List.of(new SyscallRule(List.copyOf(new TreeSet<>(syscalls)), SeccompAction.SCMP_ACT_ALLOW)));
    SeccompProfile profile = new SeccompProfile();
    profile.setMetadata(new ObjectMetaBuilder().withName(RecordingMetadata.name(recording, container))
        .addToLabels(RecordingMetadata.LABEL_RECORDING_ID, recording).build());
    profile.setSpec(spec);
    return profile;
  }

  private static SeccompArch architecture(String libseccompArch) {
    return Arrays.stream(SeccompArch.values())
        .filter(a -> a.libseccompName().equals(libseccompArch.toLowerCase(Locale.ROOT)))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown architecture " + libseccompArch));
  }
}
