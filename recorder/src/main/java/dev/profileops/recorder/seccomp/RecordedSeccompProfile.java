package dev.profileops.recorder.seccomp;

import dev.profileops.api.SpoApi;
import dev.profileops.api.seccomp.SeccompAction;
import dev.profileops.api.seccomp.SeccompArch;
import dev.profileops.api.seccomp.SeccompProfile;
import dev.profileops.api.seccomp.SeccompProfileSpec;
import dev.profileops.api.seccomp.SyscallRule;
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
  public static final String LABEL_RECORDING_ID = "spo.x-k8s.io/recording-id";
  public static final String LABEL_CONTAINER_ID = "spo.x-k8s.io/container-id";
  /** On a profile a node recorded: the recording's namespace (profiles are cluster-scoped, recordings not). */
  public static final String ANNOTATION_RECORDING_NAMESPACE = SpoApi.PROFILEOPS_DOMAIN + "/recording-namespace";
  /** {@code <namespace>/<pod>} of the recorded replica. */
  public static final String ANNOTATION_POD = SpoApi.PROFILEOPS_DOMAIN + "/recorded-pod";
  public static final String ANNOTATION_NODE = SpoApi.PROFILEOPS_DOMAIN + "/recorded-node";
  /** The recording window of the replica, ISO-8601 instants. */
  public static final String ANNOTATION_STARTED = SpoApi.PROFILEOPS_DOMAIN + "/recording-started";
  public static final String ANNOTATION_ENDED = SpoApi.PROFILEOPS_DOMAIN + "/recording-ended";

  private RecordedSeccompProfile() {}

  /** {@code <recording>-<container>}, the name SPO gives a recorded profile. */
  public static String name(String recording, String container) {
    return recording + "-" + container;
  }

  /**
   * @param libseccompArch the host's architecture as libseccomp names it ({@code x86_64}, {@code aarch64})
   */
  public static SeccompProfile build(String recording, String container, String libseccompArch, Collection<String> syscalls) {
    SeccompProfileSpec spec = new SeccompProfileSpec();
    spec.setDefaultAction(SeccompAction.SCMP_ACT_ERRNO);
    spec.setArchitectures(List.of(architecture(libseccompArch)));
    spec.setSyscalls(List.of(new SyscallRule(List.copyOf(new TreeSet<>(syscalls)), SeccompAction.SCMP_ACT_ALLOW)));
    SeccompProfile profile = new SeccompProfile();
    profile.setMetadata(new ObjectMetaBuilder().withName(name(recording, container))
        .addToLabels(LABEL_RECORDING_ID, recording).build());
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
