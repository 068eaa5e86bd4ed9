package dev.profileops.nodedaemon.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.profileops.api.common.Condition;
import dev.profileops.api.common.ProfileState;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeStatusNamesTest {

  @Test
  void usesSpoNamesWhileTheyFit() {
    assertThat(NodeStatusWriter.profileId("SeccompProfile", "nginx")).isEqualTo("SeccompProfile-nginx");
    assertThat(NodeStatusWriter.objectName("nginx", "node-a")).isEqualTo("nginx-node-a");
  }

  @Test
  void shortensLongNamesToValidUniqueOnes() {
    String longName = "a".repeat(60) + ".b";
    String id = NodeStatusWriter.profileId("SeccompProfile", longName);
    String other = NodeStatusWriter.profileId("SeccompProfile", "a".repeat(60) + ".c");

    assertThat(id).hasSizeLessThanOrEqualTo(63).matches("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?").isNotEqualTo(other);
    assertThat(NodeStatusWriter.profileId("SeccompProfile", longName)).isEqualTo(id);

    String objectName = NodeStatusWriter.objectName("p".repeat(200) + "-", "n".repeat(100));
    assertThat(objectName).hasSizeLessThanOrEqualTo(253)
        .matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  }

  @Test
  void readyKeepsItsTransitionTimeUntilItFlips() {
    Instant first = Instant.parse("2026-01-01T00:00:00Z");
    Instant later = Instant.parse("2026-01-02T00:00:00Z");
    Condition other = new Condition("Synced", "True", "2025-12-31T00:00:00Z", "Applied", null);

    List<Condition> pending = ReadyCondition.apply(List.of(other), ProfileState.Pending, null, first);
    List<Condition> stillPending = ReadyCondition.apply(pending, ProfileState.InProgress, null, later);
    List<Condition> installed = ReadyCondition.apply(stillPending, ProfileState.Installed, null, later);

    assertThat(pending).hasSize(2).first().isSameAs(other);
    assertThat(pending.get(1)).extracting(Condition::getStatus, Condition::getReason, Condition::getLastTransitionTime)
        .containsExactly("False", "Pending", "2026-01-01T00:00:00Z");
    assertThat(stillPending.get(1)).extracting(Condition::getReason, Condition::getLastTransitionTime)
        .containsExactly("InProgress", "2026-01-01T00:00:00Z");
    assertThat(installed.get(1)).extracting(Condition::getStatus, Condition::getLastTransitionTime)
        .containsExactly("True", "2026-01-02T00:00:00Z");
  }
}
