package dev.profileops.integrations.argocd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** Where the checked-in integration files are, and reading them as YAML. */
final class Files {
  static final YAMLMapper YAML = new YAMLMapper();

  private Files() {}

  /** The repository root: set by the build (surefire), else two levels above the module. */
  static Path root() {
    String configured = System.getProperty("profileops.root");
    return (configured != null ? Path.of(configured) : Path.of("..", "..")).toAbsolutePath().normalize();
  }

  static Path argocd() {
    return root().resolve("integrations/argocd");
  }

  static Path healthScripts() {
    return argocd().resolve("health");
  }

  static String read(Path file) {
    try {
      return java.nio.file.Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode yaml(Path file) {
    return yaml(read(file));
  }

  static JsonNode yaml(String text) {
    try {
      return YAML.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
