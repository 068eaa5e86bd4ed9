package dev.profileops.nodedaemon.enricher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.profileops.nodedaemon.enricher.output.EnrichedEvent;
import dev.profileops.nodedaemon.enricher.parse.AuditEvent;
import dev.profileops.nodedaemon.enricher.resolve.PodContainer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class EnricherMetricsTest {
  @Test
  void labelSetsPastTheBoundCountUnderOther() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    EnricherMetrics metrics = new EnricherMetrics(registry, "node-a", 3);

    for (int pod = 0; pod < 10; pod++) {
      for (int line = 0; line < 2; line++) {
        metrics.count(new EnrichedEvent(new AuditEvent.Seccomp(0, line, 100 + pod, "/bin/x", 0xc000003eL, 83, "SCMP_ACT_LOG"),
            "node-a", "c" + pod, new PodContainer("apps", "web-" + pod, "box"), "x86_64", "mkdir"));
      }
    }

    var counters = registry.find(EnricherMetrics.SECCOMP).counters();
    assertThat(counters).hasSize(4);
    assertThat(registry.find(EnricherMetrics.SECCOMP).tag("pod", "web-0").tag("syscall", "mkdir").counter().count()).isEqualTo(2);
    assertThat(registry.find(EnricherMetrics.SECCOMP).tag("pod", "other").counter().count()).isEqualTo(14);
  }
}
