package dev.profileops.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.profileops.syncer.profilesource.SyncMetrics;
import dev.profileops.syncer.profilesource.SyncOutcome;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The dashboard asks only for series the controller exports, under their Prometheus names. */
class GrafanaDashboardTest {
  private static final Pattern METRIC = Pattern.compile("\\b(profileops_[a-z_]+)");

  @Test
  void everyQueriedMetricIsOneTheControllerExports() throws IOException {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    SyncMetrics metrics = new SyncMetrics(registry);
    metrics.record("ns/source", Duration.ofMillis(120), new SyncOutcome("abc", true, null, null, List.of(), List.of(),
        List.of("SeccompProfile/a"), List.of(), List.of(), null));
    metrics.record("ns/source", Duration.ofMillis(80), SyncOutcome.failed("abc", "FetchFailed", "unreachable"));
    Set<String> exported = new TreeSet<>();
    for (String line : registry.scrape().split("\n")) {
      if (!line.startsWith("#") && !line.isBlank()) {
        exported.add(line.split("[{ ]")[0]);
      }
    }

    JsonNode dashboard = new ObjectMapper().readTree(DeploymentManifestsTest.MANIFESTS.resolve("monitoring/grafana-dashboard.json").toFile());
    Set<String> queried = new TreeSet<>();
    for (JsonNode expr : dashboard.findValues("expr")) {
      collect(expr.asText(), queried);
    }
    for (JsonNode query : dashboard.path("templating").path("list").findValues("query")) {
      collect(query.asText(), queried);
    }

    assertThat(queried).hasSizeGreaterThanOrEqualTo(6);
    assertThat(exported).containsAll(queried);
  }

  private static void collect(String expression, Set<String> into) {
    Matcher m = METRIC.matcher(expression);
    while (m.find()) {
      into.add(m.group(1));
    }
  }
}
