package dev.profileops.recorder.seccomp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.profileops.api.seccomp.SeccompAction;
import dev.profileops.api.seccomp.SeccompArch;
import dev.profileops.api.seccomp.SeccompProfile;
import dev.profileops.recorder.RecordingMetadata;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordedSeccompProfileTest {

  @Test
  void buildsSpoShapedProfileWithSortedUniqueSyscalls() {
    SeccompProfile p = RecordedSeccompProfile.build("rec", "nginx", "aarch64", List.of("write", "read", "write", "execve"));

    assertThat(p.getMetadata().getName()).isEqualTo("rec-nginx");
    assertThat(p.getMetadata().getLabels()).containsEntry(RecordingMetadata.LABEL_RECORDING_ID, "rec");
    assertThat(p.getSpec().getDefaultAction()).isEqualTo(SeccompAction.SCMP_ACT_ERRNO);
    assertThat(p.getSpec().getArchitectures()).containsExactly(SeccompArch.SCMP_ARCH_AARCH64);
    assertThat(p.getSpec().getSyscalls()).singleElement().satisfies(rule -> {
      assertThat(rule.getAction()).isEqualTo(SeccompAction.SCMP_ACT_ALLOW);
      assertThat(rule.getNames()).containsExactly("execve", "read", "write");
    });
  }

  @Test
  void refusesUnknownArchitecture() {
    assertThatThrownBy(() -> RecordedSeccompProfile.build("r", "c", "vax", List.of("read")))
        .hasMessageContaining("vax");
  }
}
