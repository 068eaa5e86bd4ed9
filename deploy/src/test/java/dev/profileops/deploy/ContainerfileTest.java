package dev.profileops.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * No container engine runs here, so the Containerfile cannot be built by the tests; this checks what
 * can go stale without one: every module's pom is copied before the dependency layer (Maven refuses a
 * reactor with a missing module), and the targets the manifests' images come from exist.
 */
class ContainerfileTest {
  private static final Path ROOT = DeploymentManifestsTest.MANIFESTS.getParent();

  @Test
  void copiesThePomOfEveryModuleAndHasATargetPerImage() throws IOException {
    String containerfile = Files.readString(ROOT.resolve("Containerfile"));
    List<String> modules = matches(Pattern.compile("<module>([^<]+)</module>"), Files.readString(ROOT.resolve("pom.xml")));
    assertThat(modules).isNotEmpty();
    for (String module : modules) {
      assertThat(containerfile).as("module %s", module).contains("COPY " + module + "/pom.xml " + module + "/");
    }
    assertThat(matches(Pattern.compile("(?m)^FROM \\S+ AS (\\S+)$"), containerfile))
        .contains("controller", "node-daemon");
    assertThat(containerfile).contains("cp cli/target/profileops.jar");
    assertThat(Files.readString(ROOT.resolve("cli/pom.xml"))).contains("<finalName>profileops</finalName>");
  }

  private static List<String> matches(Pattern pattern, String text) {
    Matcher m = pattern.matcher(text);
    return m.results().map(r -> r.group(1)).collect(Collectors.toList());
  }
}
