package dev.profileops.syncer.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.profileops.api.SpoApi;
import java.util.Map;

/**
 * Rewrites documents of older SPO versions into v1 before they are bound: the boolean switches
 * became enums and enum values became PascalCase. Lines move with the fields they came from.
 */
public final class LegacyVersionConverter {

  /** Converts in place; the document's apiVersion becomes v1. */
  public void toV1(String kind, LocatedDocument doc) {
    ObjectNode root = (ObjectNode) doc.root();
    root.put("apiVersion", SpoApi.API_VERSION);
    JsonNode specNode = root.get("spec");
    if (!(specNode instanceof ObjectNode spec)) {
      return;
    }
    renameBoolean(doc, spec, "disabled", "state", "Disabled", "Enabled");
    switch (kind) {
      case "SelinuxProfile" -> renameBoolean(doc, spec, "permissive", "mode", "Permissive", "Enforcing");
      case "AppArmorProfile" -> renameBoolean(doc, spec, "complainMode", "mode", "Complain", "Enforce");
      case "ProfileRecording" -> {
        pascalCase(spec, "recorder", Map.of("logs", "Logs", "bpf", "Bpf"));
        pascalCase(spec, "mergeStrategy", Map.of("none", "None", "containers", "Containers"));
      }
      default -> { }
    }
  }

  private static void renameBoolean(LocatedDocument doc, ObjectNode spec, String from, String to, String whenTrue, String whenFalse) {
    JsonNode value = spec.get(from);
    if (value == null || spec.has(to)) {
      return;
    }
    spec.remove(from);
    if (value.isBoolean()) {
      spec.set(to, TextNode.valueOf(value.booleanValue() ? whenTrue : whenFalse));
    } else {
      spec.set(from, value); // leave it for the binder to report as a type error
      return;
    }
    Integer line = doc.lines().get("/spec/" + from);
    if (line != null) {
      doc.lines().put("/spec/" + to, line);
    }
  }

  private static void pascalCase(ObjectNode spec, String field, Map<String, String> values) {
    JsonNode value = spec.get(field);
    if (value != null && value.isTextual() && values.containsKey(value.textValue())) {
      spec.put(field, values.get(value.textValue()));
    }
  }
}
