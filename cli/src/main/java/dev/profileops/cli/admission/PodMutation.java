package dev.profileops.cli.admission;

import java.util.List;
import java.util.Map;

/** What a webhook does to a pod being created: JSON Patch operations (RFC 6902) and warnings for the AdmissionReview response. */
public record PodMutation(List<Map<String, Object>> patch, List<String> warnings) {
  public PodMutation {
    patch = List.copyOf(patch);
    warnings = List.copyOf(warnings);
  }

  public boolean changes() {
    return !patch.isEmpty();
  }

  /** RFC 6901: a map key as one segment of a JSON Pointer ({@code ~} and {@code /} escaped, in that order). */
  static String pointerSegment(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }
}
