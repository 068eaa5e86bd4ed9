package dev.profileops.nodedaemon.enricher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.profileops.host.seccomp.SyscallTable;
import dev.profileops.host.seccomp.SyscallTables;
import dev.profileops.nodedaemon.enricher.output.Deduplicator;
import dev.profileops.nodedaemon.enricher.output.JsonLinesWriter;
import dev.profileops.nodedaemon.enricher.resolve.NodePodDirectory;
import dev.profileops.nodedaemon.enricher.resolve.ProcFsProcessTable;
import dev.profileops.nodedaemon.enricher.resolve.ProcessResolver;
import dev.profileops.nodedaemon.enricher.resolve.SyscallNames;
import dev.profileops.nodedaemon.enricher.source.FollowedFile;
import dev.profileops.testsupport.Prerequisites;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The enricher on a log file, a {@code /proc} laid out in a directory and pods in the mock API
 * server's CRUD mode: what comes out as JSON, the backlog waiting for pods, de-duplication, metrics.
 */
@EnableKubernetesMockClient(crud = true)
class LogEnricherTest {
  private static final String WEB = "1".repeat(64);
  private static final String INIT = "2".repeat(64);
  private static final String DEBUG = "3".repeat(64);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static SyscallTable table;

  KubernetesClient client;
  @TempDir Path dir;
  private Path proc;
  private Path log;
  private final AtomicLong clock = new AtomicLong();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private NodePodDirectory pods;

  @BeforeAll
  static void libseccomp() {
    table = SyscallTables.system();
    Prerequisites.require(table.available() ? java.util.Optional.empty() : java.util.Optional.of("libseccomp is missing: " + table.version()));
  }

  @BeforeEach
  void create() throws IOException {
    proc = Files.createDirectories(dir.resolve("proc"));
    log = dir.resolve("audit.log");
    Files.createFile(log);
    pods = NodePodDirectory.start(client, "node-a", false);
  }

  @AfterEach
  void close() {
    pods.close();
  }

  @Test
  void namesPodContainerInitAndEphemeralContainersAndSyscalls() throws Exception {
    client.resource(pod("web-1")).create();
    await().until(() -> pods.find(DEBUG).isPresent());
    process(100, WEB);
    process(101, INIT);
    process(102, DEBUG);
    LogEnricher enricher = enricher(out(), false);

    append("type=SECCOMP msg=audit(1700000000.123:1): pid=100 comm=\"mkdir\" exe=\"/bin/busybox\" arch=c000003e syscall=83 code=0x7ffc0000",
        "type=SECCOMP msg=audit(1700000000.124:2): pid=101 comm=\"sh\" exe=\"/bin/sh\" arch=c00000b7 syscall=221 code=0x50001",
        "type=AVC msg=audit(1700000000.125:3): avc:  denied  { read } for  pid=102 comm=\"cat\" name=\"shadow\" scontext=system_u:system_r:container_t:s0:c1,c2 tcontext=system_u:object_r:shadow_t:s0 tclass=file permissive=0",
        "type=SYSCALL msg=audit(1700000000.125:3): arch=c000003e syscall=257 pid=102 exe=\"/bin/cat\"",
        "type=1400 audit(1700000000.126:4): apparmor=\"DENIED\" operation=\"open\" profile=\"k8s-web\" name=\"/etc/shadow\" pid=999999 comm=\"cat\" requested_mask=\"r\" denied_mask=\"r\"",
        "type=SECCOMP msg=audit(1700000000.127:5): pid=100 comm=\"mkdir\" exe=\"/bin/busybox\" arch=c000003e syscall=oops code=0x7ffc0000");
    enricher.pollOnce();

    List<JsonNode> lines = lines();
    assertThat(lines).hasSize(4);
    assertThat(lines.get(0).toString()).isEqualTo("{\"time\":\"2023-11-14T22:13:20.123Z\",\"node\":\"node-a\",\"namespace\":\"apps\","
        + "\"pod\":\"web-1\",\"container\":\"web\",\"containerID\":\"" + WEB + "\",\"executable\":\"/bin/busybox\",\"pid\":100,"
        + "\"auditSerial\":1,\"type\":\"seccomp\",\"syscall\":\"mkdir\",\"syscallNumber\":83,\"arch\":\"x86_64\",\"action\":\"SCMP_ACT_LOG\"}");
    assertThat(lines.get(1).path("container").asText()).isEqualTo("setup");
    assertThat(lines.get(1).path("syscall").asText()).as("aarch64's 221").isEqualTo("execve");
    assertThat(lines.get(1).path("action").asText()).isEqualTo("SCMP_ACT_ERRNO");
    assertThat(lines.get(2).path("container").asText()).isEqualTo("debugger");
    assertThat(lines.get(2).path("syscall").asText()).isEqualTo("openat");
    assertThat(lines.get(2).path("permissions").toString()).isEqualTo("[\"read\"]");
    assertThat(lines.get(3).path("pod").asText()).as("exited process: no pod").isEmpty();
    assertThat(lines.get(3).path("containerID").asText()).isEmpty();
    assertThat(lines.get(3).path("action").asText()).isEqualTo("denied");
    assertThat(enricher.stats().malformed()).isEqualTo(1);

    String scrape = registry.scrape();
    assertThat(scrape).contains("security_profiles_operator_seccomp_profile_audit_total{container=\"web\",namespace=\"apps\",node=\"node-a\",pod=\"web-1\",syscall=\"mkdir\"} 1.0");
    assertThat(scrape).contains("security_profiles_operator_selinux_profile_audit_total{container=\"debugger\"");
    assertThat(scrape).contains("security_profiles_operator_apparmor_profile_audit_total{container=\"\"");
    assertThat(scrape).contains("profileops_enricher_malformed_lines_total{node=\"node-a\"} 1.0");
  }

  @Test
  void eventsOfAContainerWhosePodIsNotKnownYetWaitAndAreRetried() throws Exception {
    process(100, WEB);
    LogEnricher enricher = enricher(out(), true);
    append("type=SECCOMP msg=audit(1700000000.123:1): pid=100 comm=\"mkdir\" exe=\"/bin/busybox\" arch=c000003e syscall=83 code=0x7ffc0000");
    enricher.pollOnce();
    assertThat(lines()).isEmpty();

    client.resource(pod("web-1")).create();
    await().until(() -> pods.find(WEB).isPresent());
    enricher.pollOnce();

    assertThat(lines()).singleElement().satisfies(line -> assertThat(line.path("pod").asText()).isEqualTo("web-1"));
  }

  @Test
  void eventsWaitAtMostTheirTimeAndTheBacklogIsBounded() throws Exception {
    process(100, WEB);
    LogEnricher enricher = enricher(out(), true);
    for (int serial = 1; serial <= 5; serial++) {
      append("type=SECCOMP msg=audit(1700000000.123:" + serial + "): pid=100 comm=\"mkdir\" exe=\"/bin/busybox\" arch=c000003e syscall=83 code=0x7ffc0000");
    }
    enricher.pollOnce();
    assertThat(lines()).as("two overflowed a backlog of 3").hasSize(2);
    assertThat(enricher.backlogOverflow()).isEqualTo(2);

    clock.addAndGet(Duration.ofSeconds(11).toNanos());
    enricher.pollOnce();
    assertThat(lines()).hasSize(5).allSatisfy(line -> {
      assertThat(line.path("pod").asText()).isEmpty();
      assertThat(line.path("containerID").asText()).isEqualTo(WEB);
    });
  }

  @Test
  void deduplicatesPerContainerAndSyscallWithinTheWindow() throws Exception {
    client.resource(pod("web-1")).create();
    await().until(() -> pods.find(WEB).isPresent());
    process(100, WEB);
    Deduplicator deduplicator = new Deduplicator(out(), Duration.ofSeconds(10), clock::get, 1000);
    LogEnricher enricher = new LogEnricher(new FollowedFile(log, true), resolver(), new SyscallNames(table), "node-a",
        deduplicator, new EnricherMetrics(registry, "node-a", 100), clock::get, true, 3, Duration.ofSeconds(10));
    String mkdir = "type=SECCOMP msg=audit(1700000000.123:1): pid=100 comm=\"mkdir\" exe=\"/bin/busybox\" arch=c000003e syscall=83 code=0x7ffc0000";
    String write = "type=SECCOMP msg=audit(1700000000.123:2): pid=100 comm=\"sh\" exe=\"/bin/busybox\" arch=c000003e syscall=1 code=0x7ffc0000";
    append(mkdir, mkdir, write, mkdir);
    enricher.pollOnce();
    assertThat(lines()).extracting(line -> line.path("syscall").asText()).containsExactly("mkdir", "write");

    clock.addAndGet(Duration.ofSeconds(11).toNanos());
    append(mkdir);
    enricher.pollOnce();
    assertThat(lines()).extracting(line -> line.path("syscall").asText()).containsExactly("mkdir", "write", "mkdir");
    assertThat(deduplicator.dropped()).isEqualTo(2);
  }

  private LogEnricher enricher(JsonLinesWriter writer, boolean waitForPods) {
    return new LogEnricher(new FollowedFile(log, true), resolver(), new SyscallNames(table), "node-a", writer,
        new EnricherMetrics(registry, "node-a", 100), clock::get, waitForPods, 3, Duration.ofSeconds(10));
  }

  private ProcessResolver resolver() {
    return new ProcessResolver(new ProcFsProcessTable(proc), pods, clock::get, 100, Duration.ofMinutes(1), Duration.ofSeconds(1));
  }

  private JsonLinesWriter out() throws IOException {
    return new JsonLinesWriter(out);
  }

  private List<JsonNode> lines() throws IOException {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
      if (!line.isEmpty()) {
        lines.add(JSON.readTree(line));
      }
    }
    return lines;
  }

  private void append(String... lines) throws IOException {
    Files.writeString(log, String.join("\n", lines) + "\n", StandardOpenOption.APPEND);
  }

  private void process(long pid, String containerId) throws IOException {
    Path process = Files.createDirectories(proc.resolve(Long.toString(pid)));
    Files.writeString(process.resolve("stat"), pid + " (x) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 4242 0 0\n");
    Files.writeString(process.resolve("cgroup"), "0::/kubepods.slice/cri-containerd-" + containerId + ".scope\n");
  }

  private static Pod pod(String name) {
    return new PodBuilder()
        .withNewMetadata().withName(name).withNamespace("apps").endMetadata()
        .withNewSpec().withNodeName("node-a").endSpec()
        .withNewStatus()
        .addNewContainerStatus().withName("web").withContainerID("containerd://" + WEB).endContainerStatus()
        .addNewInitContainerStatus().withName("setup").withContainerID("cri-o://" + INIT).endInitContainerStatus()
        .addNewEphemeralContainerStatus().withName("debugger").withContainerID("docker://" + DEBUG).endEphemeralContainerStatus()
        .endStatus()
        .build();
  }
}
