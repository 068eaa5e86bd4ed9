package dev.profileops.recorder.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.profileops.api.SpoApi;
import dev.profileops.api.seccomp.SeccompProfile;
import dev.profileops.recorder.seccomp.RecordedSeccompProfile;
import java.util.List;
import org.junit.jupiter.api.Test;

class PublishRequestTest {

  @Test
  void theBranchIsNamedAfterRecordingAndContainer() {
    PublishRequest request = PublishRequest.builder("git://h/r.git", "rec", "nginx")
        .profiles(List.of(RecordedSeccompProfile.build("rec", "nginx", "x86_64", List.of("read")))).build();

    assertThat(request.branch()).isEqualTo("profileops/recording/rec-nginx");
    assertThat(request.defaultBranch()).isEqualTo("main");
  }

  @Test
  void refusesPartialProfilesDuplicatesAndNothingToPublish() {
    SeccompProfile partial = RecordedSeccompProfile.build("rec", "nginx", "x86_64", List.of("read"));
    partial.getMetadata().getLabels().put(SpoApi.LABEL_PARTIAL, "true");
    SeccompProfile whole = RecordedSeccompProfile.build("rec", "nginx", "x86_64", List.of("read"));

    assertThatThrownBy(() -> PublishRequest.builder("git://h/r.git", "rec", "nginx").profiles(List.of(partial)).build())
        .hasMessage("profile rec-nginx is a partial recording (label spo.x-k8s.io/partial); merge the replicas first"
            + " (PartialProfileMerger)");
    assertThatThrownBy(() -> PublishRequest.builder("git://h/r.git", "rec", "nginx").profiles(List.of(whole, whole)).build())
        .hasMessage("recording rec gives profile rec-nginx twice");
    assertThatThrownBy(() -> PublishRequest.builder("git://h/r.git", "rec", "nginx").build())
        .hasMessage("recording rec of container nginx has no profile to publish");
    SeccompProfile escaping = RecordedSeccompProfile.build("rec", "nginx", "x86_64", List.of("read"));
    escaping.getMetadata().setName("../../etc/x");
    assertThatThrownBy(() -> PublishRequest.builder("git://h/r.git", "rec", "nginx").profiles(List.of(escaping)).build())
        .hasMessageStartingWith("profile name '../../etc/x' of recording rec: ");
    assertThatThrownBy(() -> PublishRequest.builder(" ", "rec", "nginx").profiles(List.of(whole)).build())
        .hasMessage("no repository URL given");
  }
}
