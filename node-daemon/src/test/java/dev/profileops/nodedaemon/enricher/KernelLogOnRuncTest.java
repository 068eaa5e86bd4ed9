package dev.profileops.nodedaemon.enricher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.profileops.host.kmsg.LibcKernelLog;
import dev.profileops.host.seccomp.SyscallTable;
import dev.profileops.host.seccomp.SyscallTables;
import dev.profileops.nodedaemon.CgroupLeaf;
import dev.profileops.nodedaemon.enricher.output.EnrichedEvent;
import dev.profileops.nodedaemon.enricher.output.EnrichedSink;
import dev.profileops.nodedaemon.enricher.output.JsonLinesWriter;
import dev.profileops.nodedaemon.enricher.resolve.NodePodDirectory;
import dev.profileops.nodedaemon.enricher.resolve.ProcFsProcessTable;
import dev.profileops.nodedaemon.enricher.resolve.ProcessResolver;
import dev.profileops.nodedaemon.enricher.resolve.SyscallNames;
import dev.profileops.nodedaemon.enricher.source.KernelLogSource;
import dev.profileops.testsupport.Prerequisites;
import dev.profileops.testsupport.RuncContainer;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real kernel lines: a runc container runs under a seccomp profile that logs {@code chdir} and
 * {@code umask} (SCMP_ACT_LOG), the kernel prints type=1326 records to its log (no auditd runs
 * here), the enricher reads {@code /dev/kmsg} and names the pod of a pod object in the mock API
 * server whose containerID is the runc container's id. The logging process is the container's shell
 * (cd and umask are shell builtins), alive while the enricher looks it up. The kernel rate-limits
 * audit printing machine-wide (10 lines per 5 s): the test lifts that while it runs
 * ({@link PrintkRateLimit}) and logs just these two. Needs root and runc.
 */
@EnableKubernetesMockClient(crud = true)
class KernelLogOnRuncTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static SyscallTable table;
  private static RuncContainer containers;

  KubernetesClient client;

  @BeforeAll
  static void prerequisites() {
    RuncContainer.assumeAvailable();
    table = SyscallTables.system();
    Prerequisites.require(table.available() ? Optional.empty() : Optional.of("libseccomp is missing: " + table.version()));
    Prerequisites.require(Files.isReadable(Path.of("/dev/kmsg")) ? Optional.empty() : Optional.of("/dev/kmsg is not readable"));
    Prerequisites.require(PrintkRateLimit.unavailableReason());
    containers = RuncContainer.create();
  }

  @Test
  void enrichesTheKernelsSeccompLinesOfARuncContainerWithItsPod() throws Exception {
    NodePodDirectory pods = NodePodDirectory.start(client, "node-a", false);
    List<JsonNode> enriched = new ArrayList<>();
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    JsonLinesWriter json = new JsonLinesWriter(buffer);
    AtomicReference<String> containerId = new AtomicReference<>();
    EnrichedSink mine = new EnrichedSink() {
      @Override
      public void accept(EnrichedEvent event) throws IOException {
        if (event.containerId() != null && event.containerId().equals(containerId.get())) {
          json.accept(event);
          json.flush();
          synchronized (enriched) {
            enriched.add(JSON.readTree(buffer.toString(StandardCharsets.UTF_8)));
          }
          buffer.reset();
        }
      }
    };
    LogEnricher enricher = new LogEnricher(new KernelLogSource(LibcKernelLog.open("/dev/kmsg", true)),
        ProcessResolver.withDefaults(ProcFsProcessTable.system(), pods), new SyscallNames(table), "node-a", mine,
        new EnricherMetrics(new SimpleMeterRegistry(), "node-a", 100), System::nanoTime, true, 1000, Duration.ofSeconds(5));
    Thread reader = new Thread(() -> {
      try {
        enricher.run(Duration.ofMillis(20));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, "enricher");
    reader.start();
    try (PrintkRateLimit lifted = PrintkRateLimit.lift()) {
      RuncContainer.Result result = containers.runObserved("enriched", logging("chdir", "umask"), pid -> {
        containerId.set(CgroupLeaf.of(pid));
        client.resource(new PodBuilder()
            .withNewMetadata().withName("web-1").withNamespace("apps").endMetadata()
            .withNewSpec().withNodeName("node-a").endSpec()
            .withNewStatus().addNewContainerStatus().withName("box").withContainerID("containerd://" + containerId.get())
            .endContainerStatus().endStatus().build()).create();
        await().until(() -> pods.find(containerId.get()).isPresent());
      }, "cd /tmp", "umask 077", "sleep 2");
      assertThat(result.succeeded()).as("%s", result).isTrue();

      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
        synchronized (enriched) {
          assertThat(enriched).extracting(line -> line.path("syscall").asText()).contains("chdir", "umask");
        }
      });
    } finally {
      enricher.stop();
      reader.join();
      enricher.close();
      pods.close();
    }
    synchronized (enriched) {
      assertThat(enriched).allSatisfy(line -> {
        assertThat(line.path("pod").asText()).isEqualTo("web-1");
        assertThat(line.path("namespace").asText()).isEqualTo("apps");
        assertThat(line.path("container").asText()).isEqualTo("box");
        assertThat(line.path("executable").asText()).isEqualTo("/bin/busybox");
        assertThat(line.path("action").asText()).isEqualTo("SCMP_ACT_LOG");
        assertThat(line.path("arch").asText()).isEqualTo(table.nativeArchitecture());
        assertThat(line.path("type").asText()).isEqualTo("seccomp");
      });
    }
  }

  /** Allows everything and logs the named syscalls. */
  private static JsonNode logging(String... syscalls) {
    var profile = JSON.createObjectNode();
    profile.put("defaultAction", "SCMP_ACT_ALLOW");
    var names = profile.putArray("syscalls").addObject();
    var list = names.putArray("names");
    for (String syscall : syscalls) {
      list.add(syscall);
    }
    names.put("action", "SCMP_ACT_LOG");
    return profile;
  }
}
