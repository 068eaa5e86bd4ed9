package dev.profileops.recorder.publish;

import static org.assertj.core.api.Assertions.assertThat;

import dev.profileops.recorder.merge.RuleCoverage;
import dev.profileops.recorder.seccomp.RecordedSeccompProfile;
import dev.profileops.recorder.selinux.SelinuxRecordedKind;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class PullRequestDescriptionTest {

  @Test
  void showsAddedAndRemovedSyscallsReplicasNodesCoverageAndWindow() {
    PublishRequest request = PublishRequest.builder("https://github.com/o/r.git", "rec", "nginx")
        .profiles(List.of(RecordedSeccompProfile.build("rec", "nginx", "x86_64", List.of("read", "openat"))))
        .replicas(List.of("nginx-1", "nginx-2"))
        .nodes(List.of("node-a", "node-b"))
        .coverage(new RuleCoverage(2, new TreeMap<>(Map.of("read", 2, "openat", 1))))
        .window(Instant.parse("2026-11-29T10:00:00Z"), Instant.parse("2026-11-29T10:05:30Z"))
        .build();
    Map<String, RuleDiff> diffs = Map.of("rec-nginx",
        new RuleDiff(new TreeSet<>(List.of("openat")), new TreeSet<>(List.of("ptrace")), false));

    String markdown = PullRequestDescription.markdown(request, diffs, Map.of("rec-nginx", "seccomp/web.yaml"));

    assertThat(PullRequestDescription.title(request, diffs)).isEqualTo("Recorded seccomp profile rec-nginx (+1 -1 syscalls)");
    assertThat(markdown).contains(
        "| Recording window | 2026-11-29T10:00:00Z to 2026-11-29T10:05:30Z (5 min 30 s) |",
        "| Replicas | 2: `nginx-1`, `nginx-2` |",
        "| Nodes | 2: `node-a`, `node-b` |",
        "| Coverage | 2 syscalls from 2 replicas; 1 used by all, 1 by fewer |",
        "### `rec-nginx` in `seccomp/web.yaml`",
        "| `openat` | added | 1/2 |",
        "| `ptrace` | removed | not seen |",
        "Syscalls not every replica used (rare paths, or one odd replica): `openat` 1/2.");
  }

  @Test
  void anSelinuxProfileIsDescribedInPermissionsWithWhatWasLeftOut() {
    PublishRequest request = PublishRequest.builder("https://github.com/o/r.git", "rec", "web")
        .profiles(SelinuxRecordedKind.INSTANCE, List.of(SelinuxProfilePublishTest.recorded("web",
            Map.of("var_log_t", Map.of("file", List.of("read"))))))
        .coverage(new RuleCoverage(2, new TreeMap<>(Map.of("var_log_t file read", 2, "@self process signal", 1))))
        .build();
    Map<String, RuleDiff> diffs = Map.of("rec-web", new RuleDiff(new TreeSet<>(List.of("var_log_t file read")),
        new TreeSet<>(), true, new TreeMap<>(Map.of("@self capability dac_override", "object class capability is not allowed"))));

    String markdown = PullRequestDescription.markdown(request, diffs, Map.of("rec-web", "selinux/rec-web.yaml"));

    assertThat(PullRequestDescription.title(request, diffs)).isEqualTo("Recorded SELinux profile rec-web (+1 -0 permissions)");
    assertThat(markdown).startsWith("SELinux profiles recorded by ProfileOps for recording `rec`, container `web`.")
        .contains(
            "| Coverage | 2 permissions from 2 replicas; 1 used by all, 1 by fewer |",
            "### `rec-web` in `selinux/rec-web.yaml` (new profile)",
            "| Permission | Change | Replicas that used it |",
            "| `var_log_t file read` | added | 2/2 |",
            "Recorded but not proposed, because the repository's validation refuses them",
            "- `@self capability dac_override`: object class capability is not allowed",
            "Permissions not every replica used (rare paths, or one odd replica): `@self process signal` 1/2.");
    assertThat(PullRequestDescription.commitMessage(request, diffs)).contains("left out: @self capability dac_override");
  }
}
