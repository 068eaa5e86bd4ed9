package dev.profileops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.profileops.deploy.KustomizationRenderer;
import dev.profileops.deploy.RenderedManifests;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** What the Deployment and DaemonSet of each overlay pass to the container is a command line this CLI takes. */
class ManifestArgumentsTest {

  @ParameterizedTest
  @ValueSource(strings = {"default", "with-webhooks", "with-webhooks-self-managed", "bpf-recorder", "restricted"})
  void everyContainersArgumentsParse(String overlay) throws IOException {
    RenderedManifests rendered = new KustomizationRenderer().render(Path.of("../manifests/overlays", overlay));
    int containers = 0;
    for (String kind : List.of("Deployment", "DaemonSet")) {
      for (Map<String, Object> workload : rendered.ofKind(kind)) {
        for (Map<?, ?> container : containers(workload)) {
          // The kubelet expands $(VAR) from the container's env before the process sees it.
          List<String> args = ((List<?>) container.get("args")).stream().map(String::valueOf)
              .map(a -> a.replaceAll("\\$\\([A-Z_]+\\)", "expanded")).toList();
          CommandLine.ParseResult parsed = new CommandLine(new ProfileOpsCommand()).parseArgs(args.toArray(String[]::new));
          assertThat(parsed.hasSubcommand()).as("%s %s", kind, args).isTrue();
          assertThat(parsed.subcommand().matchedOption("--health-port")).as("%s %s", kind, args).isNotNull();
          containers++;
        }
      }
    }
    assertThat(containers).isEqualTo(2);
  }

  private static List<Map<?, ?>> containers(Map<String, Object> workload) {
    Map<?, ?> spec = (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) workload.get("spec")).get("template")).get("spec");
    return ((List<?>) spec.get("containers")).stream().<Map<?, ?>>map(c -> (Map<?, ?>) c).toList();
  }
}
