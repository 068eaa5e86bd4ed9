package dev.profileops.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checks a custom resource against the OpenAPI schema of its CRD as the API server would: types,
 * required fields, enums, bounds, patterns, and fields the schema does not know (which the server
 * would silently prune, so a typo would go unnoticed). Each problem names the field's path.
 */
public final class CrdSchemaValidator {
  private static final Set<String> OBJECT_META = Set.of("apiVersion", "kind", "metadata");

  private final Map<String, JSONSchemaProps> schemas = new HashMap<>();

  /** Reads every CRD file ({@code *.yml}, {@code *.yaml}) of a directory. */
  public static CrdSchemaValidator fromDirectory(Path directory) throws IOException {
    CrdSchemaValidator validator = new CrdSchemaValidator();
    try (Stream<Path> files = Files.list(directory)) {
      for (Path file : files.filter(f -> f.toString().matches(".*\\.ya?ml")).sorted().toList()) {
        try (InputStream in = Files.newInputStream(file)) {
          validator.add(Serialization.unmarshal(in, CustomResourceDefinition.class));
        }
      }
    }
    return validator;
  }

  public void add(CustomResourceDefinition crd) {
    for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
      if (Boolean.TRUE.equals(version.getServed())) {
        schemas.put(key(crd.getSpec().getGroup() + "/" + version.getName(), crd.getSpec().getNames().getKind()),
            version.getSchema().getOpenAPIV3Schema());
      }
    }
  }

  /** Whether a CRD serves this apiVersion and kind. */
  public boolean defines(String apiVersion, String kind) {
    return schemas.containsKey(key(apiVersion, kind));
  }

  /** The problems of one object, empty when the API server would take it as it is. */
  public List<String> validate(Map<String, Object> object) {
    JSONSchemaProps schema = schemas.get(key((String) object.get("apiVersion"), (String) object.get("kind")));
    if (schema == null) {
      return List.of("no CRD serves " + object.get("apiVersion") + " " + object.get("kind"));
    }
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, Object> field : object.entrySet()) {
      if (OBJECT_META.contains(field.getKey())) {
        continue;
      }
      JSONSchemaProps property = schema.getProperties() == null ? null : schema.getProperties().get(field.getKey());
      if (property == null) {
        problems.add(field.getKey() + ": unknown field");
      } else {
        check(field.getValue(), property, field.getKey(), problems);
      }
    }
    requiredFields(object, schema, "", problems);
    return problems;
  }

  private static void check(Object value, JSONSchemaProps schema, String path, List<String> problems) {
    if (value == null) {
      if (!Boolean.TRUE.equals(schema.getNullable())) {
        problems.add(path + ": null is not allowed");
      }
      return;
    }
    if (Boolean.TRUE.equals(schema.getXKubernetesIntOrString())) {
      if (!(value instanceof Integer || value instanceof Long || value instanceof String)) {
        problems.add(path + ": expected an integer or a string, got " + describe(value));
      }
      return;
    }
    String type = schema.getType();
    if (type == null) {
      return;
    }
    switch (type) {
      case "object" -> checkObject(value, schema, path, problems);
      case "array" -> checkArray(value, schema, path, problems);
      case "string" -> checkString(value, schema, path, problems);
      case "integer" -> {
        if (!(value instanceof Integer || value instanceof Long || value instanceof java.math.BigInteger)) {
          problems.add(path + ": expected an integer, got " + describe(value));
        } else {
          checkBounds(((Number) value).doubleValue(), schema, path, problems);
        }
      }
      case "number" -> {
        if (!(value instanceof Number number)) {
          problems.add(path + ": expected a number, got " + describe(value));
        } else {
          checkBounds(number.doubleValue(), schema, path, problems);
        }
      }
      case "boolean" -> {
        if (!(value instanceof Boolean)) {
          problems.add(path + ": expected true or false, got " + describe(value));
        }
      }
      default -> problems.add(path + ": schema type " + type + " is not understood");
    }
    checkEnum(value, schema, path, problems);
  }

  @SuppressWarnings("unchecked")
  private static void checkObject(Object value, JSONSchemaProps schema, String path, List<String> problems) {
    if (!(value instanceof Map<?, ?> map)) {
      problems.add(path + ": expected an object, got " + describe(value));
      return;
    }
    boolean preserveUnknown = Boolean.TRUE.equals(schema.getXKubernetesPreserveUnknownFields());
    Optional<JSONSchemaProps> additional = Optional.ofNullable(schema.getAdditionalProperties())
        .map(a -> a.getSchema());
    for (Map.Entry<String, Object> field : ((Map<String, Object>) map).entrySet()) {
      String here = path + "." + field.getKey();
      JSONSchemaProps property = schema.getProperties() == null ? null : schema.getProperties().get(field.getKey());
      if (property != null) {
        check(field.getValue(), property, here, problems);
      } else if (additional.isPresent()) {
        check(field.getValue(), additional.get(), here, problems);
      } else if (!preserveUnknown && !(schema.getAdditionalProperties() != null && schema.getAdditionalProperties().getAllows())) {
        problems.add(here + ": unknown field");
      }
    }
    requiredFields((Map<String, Object>) map, schema, path + ".", problems);
  }

  private static void requiredFields(Map<String, Object> map, JSONSchemaProps schema, String prefix, List<String> problems) {
    if (schema.getRequired() != null) {
      for (String required : schema.getRequired()) {
        if (!map.containsKey(required)) {
          problems.add(prefix + required + ": required field missing");
        }
      }
    }
  }

  private static void checkArray(Object value, JSONSchemaProps schema, String path, List<String> problems) {
    if (!(value instanceof List<?> list)) {
      problems.add(path + ": expected a list, got " + describe(value));
      return;
    }
    if (schema.getMinItems() != null && list.size() < schema.getMinItems()) {
      problems.add(path + ": at least " + schema.getMinItems() + " items expected, got " + list.size());
    }
    if (schema.getMaxItems() != null && list.size() > schema.getMaxItems()) {
      problems.add(path + ": at most " + schema.getMaxItems() + " items allowed, got " + list.size());
    }
    if (schema.getItems() != null && schema.getItems().getSchema() != null) {
      for (int i = 0; i < list.size(); i++) {
        check(list.get(i), schema.getItems().getSchema(), path + "[" + i + "]", problems);
      }
    }
  }

  private static void checkString(Object value, JSONSchemaProps schema, String path, List<String> problems) {
    if (!(value instanceof String s)) {
      problems.add(path + ": expected a string, got " + describe(value));
      return;
    }
    if (schema.getMinLength() != null && s.length() < schema.getMinLength()) {
      problems.add(path + ": at least " + schema.getMinLength() + " characters expected");
    }
    if (schema.getMaxLength() != null && s.length() > schema.getMaxLength()) {
      problems.add(path + ": at most " + schema.getMaxLength() + " characters allowed");
    }
    if (schema.getPattern() != null && !Pattern.compile(schema.getPattern()).matcher(s).find()) {
      problems.add(path + ": " + s + " does not match " + schema.getPattern());
    }
  }

  private static void checkBounds(double value, JSONSchemaProps schema, String path, List<String> problems) {
    if (schema.getMinimum() != null && value < schema.getMinimum()) {
      problems.add(path + ": below the minimum " + schema.getMinimum());
    }
    if (schema.getMaximum() != null && value > schema.getMaximum()) {
      problems.add(path + ": above the maximum " + schema.getMaximum());
    }
  }

  private static void checkEnum(Object value, JSONSchemaProps schema, String path, List<String> problems) {
    if (schema.getEnum() == null || schema.getEnum().isEmpty()) {
      return;
    }
    List<String> allowed = schema.getEnum().stream().map(JsonNode::asText).toList();
    if (!allowed.contains(String.valueOf(value))) {
      problems.add(path + ": " + value + " is not one of " + allowed);
    }
  }

  private static String describe(Object value) {
    return value.getClass().getSimpleName().toLowerCase() + " " + value;
  }

  private static String key(String apiVersion, String kind) {
    return apiVersion + " " + kind;
  }
}
