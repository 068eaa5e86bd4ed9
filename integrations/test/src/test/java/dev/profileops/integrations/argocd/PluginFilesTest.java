package dev.profileops.integrations.argocd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Argo CD plugin files: plugin.yaml, the repo-server sidecar patch, the argocd-cm patch. */
class PluginFilesTest {
  /** The spec fields Argo CD's cmp-server reads; it ignores unknown ones silently, so a typo would go unnoticed. */
  static final Set<String> PLUGIN_SPEC_FIELDS = Set.of(
      "version", "init", "generate", "discover", "parameters", "allowConcurrency", "lockRepo", "preserveFileMode",
      "provideGitCreds");
  static final String CONFIG_PATH = "/home/argocd/cmp-server/config/plugin.yaml";

  static JsonNode plugin() {
    return Files.yaml(Files.argocd().resolve("plugin.yaml"));
  }

  static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.textValue()));
    return out;
  }

  @Test
  void pluginIsAValidConfigManagementPlugin() {
    JsonNode plugin = plugin();

    // What Argo CD's ValidatePluginConfig requires, and nothing it would ignore.
    assertThat(plugin.path("apiVersion").asText()).isEqualTo("argoproj.io/v1alpha1");
    assertThat(plugin.path("kind").asText()).isEqualTo("ConfigManagementPlugin");
    assertThat(plugin.path("metadata").path("name").asText()).isEqualTo("profileops");
    Set<String> specFields = new HashSet<>();
    plugin.path("spec").fieldNames().forEachRemaining(specFields::add);
    assertThat(PLUGIN_SPEC_FIELDS).containsAll(specFields);
    JsonNode discover = plugin.path("spec").path("discover");
    int rules = (discover.hasNonNull("fileName") ? 1 : 0) + (discover.path("find").hasNonNull("glob") ? 1 : 0)
        + (discover.path("find").hasNonNull("command") ? 1 : 0);
    assertThat(rules).as("exactly one of discover.fileName, find.glob, find.command").isEqualTo(1);
  }

  @Test
  void generateRunsProfileopsRenderInTheSourceDirectory() {
    JsonNode generate = plugin().path("spec").path("generate");

    assertThat(strings(generate.path("command"))).containsExactly("profileops", "render", ".");
    assertThat(generate.has("args")).isFalse();
  }

  @Test
  void applicationsUseTheVersionedNameFromTheDocs() {
    JsonNode plugin = plugin();
    String name = plugin.path("metadata").path("name").asText() + "-" + plugin.path("spec").path("version").asText();

    assertThat(name).isEqualTo("profileops-v1");
    assertThat(Files.read(Files.root().resolve("docs/integrations/argocd.md"))).contains("name: " + name);
  }

  @Test
  void discoveryMatchesProfileDirectoriesOnly(@TempDir Path dir) throws Exception {
    write(dir.resolve("spo/seccomp/web.yaml"), """
        apiVersion: security-profiles-operator.x-k8s.io/v1
        kind: SeccompProfile
        metadata:
          name: web
        spec:
          defaultAction: SCMP_ACT_ERRNO
        """);
    write(dir.resolve("oci/runtime-default.json"), "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": []}\n");
    write(dir.resolve("legacy/old.yml"), "apiVersion: security-profiles-operator.x-k8s.io/v1beta1\nkind: SeccompProfile\n");
    write(dir.resolve("helm/values.yaml"), "replicaCount: 2\n");
    write(dir.resolve("helm/Chart.yaml"), "apiVersion: v2\nname: web\n");
    write(dir.resolve("hidden/.github/profiles.yaml"), "apiVersion: security-profiles-operator.x-k8s.io/v1\n");
    write(dir.resolve("hidden/README.md"), "security-profiles-operator.x-k8s.io\n");
    java.nio.file.Files.createDirectories(dir.resolve("empty"));

    assertThat(discover(dir.resolve("spo"))).isEqualTo("./seccomp/web.yaml");
    assertThat(discover(dir.resolve("oci"))).isEqualTo("./runtime-default.json");
    assertThat(discover(dir.resolve("legacy"))).isEqualTo("./old.yml");
    assertThat(discover(dir.resolve("helm"))).isEmpty();
    assertThat(discover(dir.resolve("hidden"))).as("hidden directories are skipped, like render does").isEmpty();
    assertThat(discover(dir.resolve("empty"))).isEmpty();
    assertThat(discover(Files.root().resolve("repo-template"))).isNotEmpty();
  }

  /** Runs the discover command as argocd-cmp-server does: in the source directory; match = exit 0 and output. */
  private static String discover(Path dir) throws IOException, InterruptedException {
    List<String> command = strings(plugin().path("spec").path("discover").path("find").path("command"));
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("discover exit code in " + dir).isZero();
    return out;
  }

  private static void write(Path file, String text) throws IOException {
    java.nio.file.Files.createDirectories(file.getParent());
    java.nio.file.Files.writeString(file, text);
  }

  @Test
  void sidecarRunsTheCmpServerAsUser999WithThePluginConfig() {
    JsonNode patch = Files.yaml(Files.argocd().resolve("repo-server-sidecar.yaml"));
    assertThat(patch.path("kind").asText()).isEqualTo("Deployment");
    assertThat(patch.path("metadata").path("name").asText()).isEqualTo("argocd-repo-server");
    JsonNode pod = patch.path("spec").path("template").path("spec");
    JsonNode container = pod.path("containers").get(0);

    assertThat(pod.path("containers").size()).isOne();
    assertThat(container.path("name").asText()).isEqualTo("profileops");
    assertThat(container.path("image").asText()).isEqualTo("ghcr.io/profileops/profileops:0.1.0");
    assertThat(strings(container.path("command"))).containsExactly("/var/run/argocd/argocd-cmp-server");
    assertThat(container.path("securityContext").path("runAsUser").asInt()).isEqualTo(999);
    assertThat(container.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();

    Map<String, JsonNode> volumes = new HashMap<>();
    pod.path("volumes").forEach(v -> volumes.put(v.path("name").asText(), v));
    Map<String, JsonNode> mounts = new HashMap<>();
    container.path("volumeMounts").forEach(m -> mounts.put(m.path("mountPath").asText(), m));

    assertThat(mounts.get("/var/run/argocd").path("name").asText()).isEqualTo("var-files");
    assertThat(mounts.get("/home/argocd/cmp-server/plugins").path("name").asText()).isEqualTo("plugins");
    JsonNode config = mounts.get(CONFIG_PATH);
    assertThat(config.path("subPath").asText()).isEqualTo("plugin.yaml");
    assertThat(volumes.get(config.path("name").asText()).path("configMap").path("name").asText())
        .isEqualTo("profileops-cmp-plugin");
    JsonNode tmp = mounts.get("/tmp");
    assertThat(tmp.path("name").asText()).as("never the repo-server's own tmp volume").isNotEqualTo("tmp");
    assertThat(volumes.get(tmp.path("name").asText()).has("emptyDir")).isTrue();
    // Every mount is a volume of this patch or one Argo CD's repo-server already has.
    for (JsonNode mount : mounts.values()) {
      String name = mount.path("name").asText();
      assertThat(volumes.containsKey(name) || Set.of("var-files", "plugins").contains(name)).as(name).isTrue();
    }
  }

  @Test
  void argocdCmPatchEmbedsEveryHealthScriptVerbatim() throws IOException {
    JsonNode patch = Files.yaml(Files.argocd().resolve("argocd-cm-patch.yaml"));
    assertThat(patch.path("kind").asText()).isEqualTo("ConfigMap");
    assertThat(patch.path("metadata").path("name").asText()).isEqualTo("argocd-cm");

    Map<String, String> expected = new HashMap<>();
    try (Stream<Path> scripts = java.nio.file.Files.list(Files.healthScripts())) {
      scripts.filter(p -> p.toString().endsWith(".lua")).forEach(p -> {
        String file = p.getFileName().toString();
        expected.put("resource.customizations.health." + file.substring(0, file.length() - ".lua".length()), Files.read(p));
      });
    }
    Map<String, String> data = new HashMap<>();
    patch.path("data").fields().forEachRemaining(e -> data.put(e.getKey(), e.getValue().textValue()));

    assertThat(expected.keySet()).containsExactlyInAnyOrder(
        "resource.customizations.health.security-profiles-operator.x-k8s.io_SeccompProfile",
        "resource.customizations.health.security-profiles-operator.x-k8s.io_SelinuxProfile",
        "resource.customizations.health.security-profiles-operator.x-k8s.io_RawSelinuxProfile",
        "resource.customizations.health.security-profiles-operator.x-k8s.io_AppArmorProfile",
        "resource.customizations.health.profileops.dev_ProfileSource");
    assertThat(data).isEqualTo(expected);
  }
}
