package dev.profileops.recorder.selinux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.profileops.api.SpoApi;
import dev.profileops.api.recording.MergeStrategy;
import dev.profileops.api.selinux.PolicyRef;
import dev.profileops.api.selinux.SelinuxProfile;
import dev.profileops.api.selinux.SelinuxProfileSpec;
import dev.profileops.recorder.RecordingMetadata;
import dev.profileops.recorder.merge.MergeResult;
import dev.profileops.recorder.merge.PartialProfileMerger;
import dev.profileops.recorder.merge.ReplicaProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SelinuxRecordedKindTest {
  private final SelinuxRecordedKind kind = SelinuxRecordedKind.INSTANCE;

  @Test
  void rulesAreTypeClassPermissionSorted() {
    SelinuxProfile profile = profile(Map.of(
        "var_log_t", Map.of("file", List.of("read", "append")),
        "@self", Map.of("process", List.of("signal"))));

    assertThat(kind.rules(profile)).containsExactly("@self process signal", "var_log_t file append", "var_log_t file read");
    assertThat(kind.rules(null)).isEmpty();
  }

  @Test
  void mergingReplicasUnitesTheirAllowMapsAndCountsEachPermission() {
    List<ReplicaProfile<SelinuxProfile>> replicas = List.of(
        new ReplicaProfile<>("a", "node-a", partial(Map.of("var_log_t", Map.of("file", List.of("read", "open"))))),
        new ReplicaProfile<>("b", "node-b", partial(Map.of("var_log_t", Map.of("file", List.of("read"), "dir", List.of("search")),
            "@self", Map.of("process", List.of("signal"))))));

    MergeResult<SelinuxProfile> result = new PartialProfileMerger().merge(kind, "rec", "web", replicas, MergeStrategy.Containers);

    SelinuxProfile merged = result.profiles().get(0);
    assertThat(merged.getMetadata().getName()).isEqualTo("rec-web");
    assertThat(merged.getMetadata().getLabels()).containsOnly(
        Map.entry(RecordingMetadata.LABEL_RECORDING_ID, "rec"), Map.entry(RecordingMetadata.LABEL_CONTAINER_ID, "web"));
    assertThat(merged.getMetadata().getAnnotations()).as("SPO has no coverage annotation for SELinux").isNullOrEmpty();
    assertThat(merged.getSpec().getAllow()).isEqualTo(Map.of(
        "@self", Map.of("process", List.of("signal")),
        "var_log_t", Map.of("dir", List.of("search"), "file", List.of("open", "read"))));
    assertThat(merged.getSpec().getInherit()).as("the same parent once").singleElement()
        .satisfies(ref -> assertThat(ref.getKind() + "/" + ref.getName()).isEqualTo("System/container"));
    assertThat(result.coverage().orElseThrow().rules()).containsExactly(
        Map.entry("@self process signal", 1), Map.entry("var_log_t dir search", 1), Map.entry("var_log_t file open", 1),
        Map.entry("var_log_t file read", 2));
    // The replicas' own profiles are not shared with the merged one.
    assertThat(replicas.get(0).profile().getSpec().getAllow().get("var_log_t")).doesNotContainKey("dir");
  }

  @Test
  void whatTheValidationsDenyListRefusesIsLeftOutWithItsReason() {
    SelinuxProfile recorded = profile(Map.of(
        "var_log_t", Map.of("file", List.of("read", "relabelto")),
        "kernel_t", Map.of("system", List.of("module_request")),
        "@self", Map.of("capability", List.of("dac_override"), "process", List.of("signal"))));

    var refused = kind.refusedRules(recorded);

    assertThat(refused).containsOnlyKeys("@self capability dac_override", "kernel_t system module_request", "var_log_t file relabelto");
    assertThat(refused.get("@self capability dac_override")).contains("object class capability is not allowed");
    assertThat(refused.get("kernel_t system module_request")).contains("type kernel_t is not allowed");
    assertThat(refused.get("var_log_t file relabelto")).contains("permission relabelto is not allowed");
    SelinuxProfile proposed = kind.withoutRules(recorded, refused.keySet());
    assertThat(proposed.getSpec().getAllow()).isEqualTo(Map.of(
        "@self", Map.of("process", List.of("signal")), "var_log_t", Map.of("file", List.of("read"))));
    assertThat(kind.rules(recorded)).as("the recorded profile itself is left as it was").hasSize(5);
    assertThat(kind.withoutRules(recorded, Set.of())).isSameAs(recorded);
  }

  @Test
  void aNameMustBeACilBlockName() {
    assertThat(kind.nameProblem("rec-web")).isEmpty();
    assertThat(kind.nameProblem("rec.web")).get().asString().contains("CIL");
  }

  private static SelinuxProfile profile(Map<String, Map<String, List<String>>> allow) {
    SelinuxProfile profile = new SelinuxProfile();
    profile.getMetadata().setName("rec-web-pod");
    SelinuxProfileSpec spec = new SelinuxProfileSpec();
    spec.setInherit(new ArrayList<>(List.of(new PolicyRef("System", "container"))));
    spec.setAllow(allow);
    profile.setSpec(spec);
    return profile;
  }

  private static SelinuxProfile partial(Map<String, Map<String, List<String>>> allow) {
    SelinuxProfile profile = profile(allow);
    profile.getMetadata().setLabels(Map.of(SpoApi.LABEL_PARTIAL, "true"));
    return profile;
  }
}
