package dev.profileops.recorder.publish;

import static org.assertj.core.api.Assertions.assertThat;

import dev.profileops.recorder.merge.SyscallCoverage;
import dev.profileops.recorder.seccomp.RecordedSeccompProfile;
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
        .coverage(new SyscallCoverage(2, new TreeMap<>(Map.of("read", 2, "openat", 1))))
        .window(Instant.parse("2026-11-29T10:00:00Z"), Instant.parse("2026-11-29T10:05:30Z"))
        .build();
    Map<String, SyscallDiff> diffs = Map.of("rec-nginx",
        new SyscallDiff(new TreeSet<>(List.of("openat")), new TreeSet<>(List.of("ptrace")), false));

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
}
