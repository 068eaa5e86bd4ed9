package dev.profileops.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KustomizationRendererTest {
  @TempDir Path dir;

  @Test
  void refusesAFieldItDoesNotImplementNamingFileAndField() throws IOException {
    Files.writeString(dir.resolve("kustomization.yaml"), "resources: []\nconfigMapGenerator:\n  - name: x\n");

    assertThatThrownBy(() -> new KustomizationRenderer().render(dir))
        .hasMessageContaining(dir.resolve("kustomization.yaml").toString())
        .hasMessageContaining("field configMapGenerator is not supported");
  }

  @Test
  void setsNamespaceOnlyOnNamespacedKindsAndReplacesImagesByName() throws IOException {
    Files.writeString(dir.resolve("kustomization.yaml"), """
        namespace: ns
        resources: [objects.yaml]
        images:
          - name: app
            newName: registry.example/app
            newTag: "2"
        """);
    Files.writeString(dir.resolve("objects.yaml"), """
        apiVersion: v1
        kind: Namespace
        metadata: {name: ns}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: d}
        spec:
          template:
            spec:
              containers:
                - {name: a, image: "app:1"}
                - {name: b, image: "application:1"}
        """);

    RenderedManifests rendered = new KustomizationRenderer().render(dir);

    assertThat(rendered.find("Namespace", null, "ns").orElseThrow().get("metadata")).isEqualTo(java.util.Map.of("name", "ns"));
    assertThat(rendered.find("Deployment", "ns", "d")).isPresent();
    assertThat(Files.readString(dir.resolve("objects.yaml"))).contains("app:1");
    assertThat(rendered.ofKind("Deployment").get(0).toString()).contains("image=registry.example/app:2", "image=application:1");
  }

  @Test
  void namesThePatchWhoseTargetIsMissing() throws IOException {
    Files.writeString(dir.resolve("kustomization.yaml"), "resources: []\npatches:\n  - path: p.yaml\n");
    Files.writeString(dir.resolve("p.yaml"), "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: gone}\n");

    assertThatThrownBy(() -> new KustomizationRenderer().render(dir))
        .hasMessageContaining("p.yaml: no resource Deployment gone to patch");
  }
}
