package dev.profileops.recorder.publish;

import dev.profileops.recorder.RecordedKind;
import dev.profileops.recorder.merge.RuleCoverage;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.stream.Collectors;

/**
 * The title, markdown description and commit message of a recording's pull request: per profile the
 * rules (syscalls, SELinux permissions) added and removed against the default branch (with how many
 * replicas used each added one) and those left out because validation refuses them, then the replicas
 * and nodes seen, the coverage and the recording window.
 */
public final class PullRequestDescription {

  private PullRequestDescription() {}

  public static String title(PublishRequest request, Map<String, RuleDiff> diffs) {
    RecordedKind<?> kind = request.kind();
    int added = diffs.values().stream().mapToInt(d -> d.added().size()).sum();
    int removed = diffs.values().stream().mapToInt(d -> d.removed().size()).sum();
    String what = diffs.size() == 1
        ? kind.description() + " " + diffs.keySet().iterator().next()
        : diffs.size() + " " + kind.description() + "s of " + request.recording() + "-" + request.container();
    return "Recorded " + what + " (+" + added + " -" + removed + " " + kind.ruleNoun() + "s)";
  }

  /** The commit message: the title, then the changes and the recording's facts as plain text. */
  public static String commitMessage(PublishRequest request, Map<String, RuleDiff> diffs) {
    StringBuilder out = new StringBuilder(title(request, diffs)).append("\n\n");
    diffs.forEach((name, diff) -> {
      out.append(name).append(diff.newProfile() ? " (new)" : "").append(":\n");
      out.append("  added:    ").append(plainRules(diff.added())).append('\n');
      out.append("  removed:  ").append(plainRules(diff.removed())).append('\n');
      if (!diff.leftOut().isEmpty()) {
        out.append("  left out: ").append(plainRules(diff.leftOut().keySet())).append('\n');
      }
    });
    out.append("\nRecording: ").append(request.recording()).append(", container ").append(request.container()).append('\n');
    out.append("Replicas: ").append(plainList(request.replicas())).append('\n');
    out.append("Nodes: ").append(plainList(request.nodes())).append('\n');
    window(request).ifPresent(w -> out.append("Window: ").append(w).append('\n'));
    return out.toString();
  }

  public static String markdown(PublishRequest request, Map<String, RuleDiff> diffs, Map<String, String> files) {
    RecordedKind<?> kind = request.kind();
    String noun = kind.ruleNoun();
    StringBuilder out = new StringBuilder();
    out.append(capitalized(kind.description())).append("s recorded by ProfileOps for recording `").append(request.recording())
        .append("`, container `").append(request.container()).append("`.\n\n");
    out.append("| | |\n|---|---|\n");
    out.append("| Recording window | ").append(window(request).orElse("not reported")).append(" |\n");
    out.append("| Replicas | ").append(codeList(request.replicas())).append(" |\n");
    out.append("| Nodes | ").append(codeList(request.nodes())).append(" |\n");
    out.append("| Coverage | ").append(request.coverage().map(c -> coverage(c, noun))
        .orElse("one profile per replica (no merge)")).append(" |\n");
    for (Map.Entry<String, RuleDiff> e : diffs.entrySet()) {
      RuleDiff diff = e.getValue();
      out.append("\n### `").append(e.getKey()).append("`");
      String file = files.get(e.getKey());
      if (file != null) {
        out.append(" in `").append(file).append("`");
      }
      out.append(diff.newProfile() ? " (new profile)" : "").append("\n\n");
      if (diff.isEmpty()) {
        out.append("No ").append(noun).append(" added or removed against the default branch.\n");
      } else {
        out.append("| ").append(capitalized(noun)).append(" | Change | Replicas that used it |\n|---|---|---|\n");
        for (String rule : diff.added()) {
          out.append("| `").append(rule).append("` | added | ").append(seenBy(request.coverage(), rule)).append(" |\n");
        }
        for (String rule : diff.removed()) {
          out.append("| `").append(rule).append("` | removed | not seen |\n");
        }
      }
      if (!diff.leftOut().isEmpty()) {
        out.append("\nRecorded but not proposed, because the repository's validation refuses them (grant them by hand if"
            + " the workload needs them):\n\n");
        diff.leftOut().forEach((rule, why) -> out.append("- `").append(rule).append("`: ").append(why).append('\n'));
      }
    }
    request.coverage().ifPresent(c -> {
      SortedMap<String, Integer> partial = c.partiallySeen();
      if (!partial.isEmpty()) {
        out.append("\n").append(capitalized(noun)).append("s not every replica used (rare paths, or one odd replica): ")
            .append(partial.entrySet().stream().map(p -> "`" + p.getKey() + "` " + p.getValue() + "/" + c.total())
                .collect(Collectors.joining(", ")))
            .append(".\n");
      }
    });
    return out.toString();
  }

  private static String coverage(RuleCoverage c, String noun) {
    int all = c.rules().size() - c.partiallySeen().size();
    return c.rules().size() + " " + noun + "s from " + c.total() + " replica" + (c.total() == 1 ? "" : "s")
        + "; " + all + " used by all, " + c.partiallySeen().size() + " by fewer";
  }

  private static String seenBy(Optional<RuleCoverage> coverage, String rule) {
    return coverage.map(c -> c.rules().getOrDefault(rule, 0) + "/" + c.total()).orElse("-");
  }

  private static String capitalized(String text) {
    return Character.toUpperCase(text.charAt(0)) + text.substring(1);
  }

  private static String plainRules(Collection<String> rules) {
    return rules.isEmpty() ? "-" : String.join(rules.iterator().next().contains(" ") ? ", " : " ", rules);
  }

  private static Optional<String> window(PublishRequest request) {
    if (request.windowStart().isEmpty() && request.windowEnd().isEmpty()) {
      return Optional.empty();
    }
    String start = request.windowStart().map(Instant::toString).orElse("?");
    String end = request.windowEnd().map(Instant::toString).orElse("?");
    String length = request.windowStart().isPresent() && request.windowEnd().isPresent()
        ? " (" + human(Duration.between(request.windowStart().get(), request.windowEnd().get())) + ")"
        : "";
    return Optional.of(start + " to " + end + length);
  }

  private static String human(Duration d) {
    long seconds = d.getSeconds();
    if (seconds < 60) {
      return seconds + " s";
    }
    if (seconds < 3600) {
      return (seconds / 60) + " min " + (seconds % 60) + " s";
    }
    return (seconds / 3600) + " h " + (seconds % 3600 / 60) + " min";
  }

  private static String codeList(Collection<String> values) {
    return values.isEmpty() ? "not reported"
        : values.size() + ": " + values.stream().map(v -> "`" + v + "`").collect(Collectors.joining(", "));
  }

  private static String plainList(Collection<String> values) {
    return values.isEmpty() ? "not reported" : String.join(", ", values);
  }
}
