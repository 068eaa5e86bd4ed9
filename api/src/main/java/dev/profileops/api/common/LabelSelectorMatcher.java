package dev.profileops.api.common;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Whether a Kubernetes label selector ({@code matchLabels} and {@code matchExpressions} with
 * {@code In}, {@code NotIn}, {@code Exists}, {@code DoesNotExist}) selects an object's labels, with the
 * API server's semantics: every requirement must hold; an empty selector selects everything, a null
 * one nothing.
 */
public final class LabelSelectorMatcher {
  private LabelSelectorMatcher() {}

  public static boolean matches(LabelSelector selector, Map<String, String> labels) {
    if (selector == null) {
      return false;
    }
    Map<String, String> actual = Objects.requireNonNullElse(labels, Map.of());
    Map<String, String> matchLabels = Objects.requireNonNullElse(selector.getMatchLabels(), Map.of());
    for (Map.Entry<String, String> wanted : matchLabels.entrySet()) {
      if (!Objects.equals(actual.get(wanted.getKey()), wanted.getValue())) {
        return false;
      }
    }
    List<LabelSelectorRequirement> expressions = Objects.requireNonNullElse(selector.getMatchExpressions(), List.of());
    return expressions.stream().allMatch(requirement -> holds(requirement, actual));
  }

  private static boolean holds(LabelSelectorRequirement requirement, Map<String, String> labels) {
    String value = labels.get(requirement.getKey());
    List<String> values = Objects.requireNonNullElse(requirement.getValues(), List.of());
    return switch (Objects.requireNonNullElse(requirement.getOperator(), "")) {
      case "In" -> value != null && values.contains(value);
      case "NotIn" -> value == null || !values.contains(value);
      case "Exists" -> labels.containsKey(requirement.getKey());
      case "DoesNotExist" -> !labels.containsKey(requirement.getKey());
      // An operator the API server would have refused: select nothing rather than everything.
      default -> false;
    };
  }
}
