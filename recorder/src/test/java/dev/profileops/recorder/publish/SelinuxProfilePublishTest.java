package dev.profileops.recorder.publish;

import static org.assertj.core.api.Assertions.assertThat;

import dev.profileops.api.selinux.PolicyRef;
import dev.profileops.api.selinux.SelinuxProfile;
import dev.profileops.api.selinux.SelinuxProfileSpec;
import dev.profileops.host.seccomp.FakeSyscallTable;
import dev.profileops.recorder.RecordingMetadata;
import dev.profileops.recorder.selinux.SelinuxRecordedKind;
import dev.profileops.syncer.source.LoadResult;
import dev.profileops.syncer.source.LoadedObject;
import dev.profileops.syncer.source.RepositoryLoader;
import dev.profileops.testsupport.GitWorkTree;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A recorded SelinuxProfile proposed to a real {@code git daemon} on loopback, the way a seccomp one
 * is: into the document the repository already keeps it in, or next to the repository's other SELinux
 * profiles; the diff is in permissions; what validation refuses is left out and said; and the branch
 * passes the syncer's own validation.
 */
class SelinuxProfilePublishTest {
  static final String WEB_YAML = """
      # SELinux domains of the web tier.
      apiVersion: security-profiles-operator.x-k8s.io/v1
      kind: SelinuxProfile
      metadata:
        name: rec-web
        annotations:
          owner: web-team
      spec:
        inherit:
          - kind: System
            name: container
        allow:
          http_port_t:
            tcp_socket: [name_bind]
          var_log_t:
            file: [append, getattr, open]
      ---
      # kept as it is
      apiVersion: security-profiles-operator.x-k8s.io/v1
      kind: SelinuxProfile
      metadata:
        name: other
      spec:
        inherit:
          - kind: System
            name: container
        allow:
          var_log_t:
            file: [read]
      """;
  static final String SECCOMP_YAML = """
      apiVersion: security-profiles-operator.x-k8s.io/v1
      kind: SeccompProfile
      metadata:
        name: rec-seccomp-%d
      spec:
        defaultAction: SCMP_ACT_ERRNO
      """;

  @TempDir Path work;
  ServedProfileRepository repository;
  String url;
  String mainHead;

  @BeforeEach
  void repository() throws Exception {
    Map<String, String> files = new HashMap<>(Map.of("platform/selinux/web.yaml", WEB_YAML));
    // More seccomp profiles elsewhere: a new SELinux profile still goes next to the SELinux ones.
    for (int i = 0; i < 3; i++) {
      files.put("seccomp/p" + i + ".yaml", SECCOMP_YAML.formatted(i));
    }
    repository = ServedProfileRepository.start(files);
    url = repository.url();
    mainHead = repository.mainHead();
  }

  @AfterEach
  void close() {
    if (repository != null) {
      repository.close();
    }
  }

  @Test
  void theRecordedProfileReplacesItsDocumentWithAPermissionDiffAndLeavesOutWhatValidationRefuses() throws Exception {
    SelinuxProfile recorded = recorded("web", Map.of(
        "var_log_t", Map.of("file", List.of("open", "read")),
        "@self", Map.of("process", List.of("signal"), "capability", List.of("dac_override"))));

    PublishResult result = publisher().publish(request("web", recorded));

    RuleDiff diff = result.diffs().get("rec-web");
    assertThat(diff.newProfile()).isFalse();
    assertThat(diff.added()).containsExactly("@self process signal", "var_log_t file read");
    assertThat(diff.removed()).containsExactly("http_port_t tcp_socket name_bind", "var_log_t file append", "var_log_t file getattr");
    assertThat(diff.leftOut()).containsOnlyKeys("@self capability dac_override");
    assertThat(result.files()).containsEntry("rec-web", "platform/selinux/web.yaml");

    String branch = "refs/heads/profileops/recording/rec-web";
    String file = server("show", branch + ":platform/selinux/web.yaml");
    assertThat(file).startsWith("# SELinux domains of the web tier.\n")
        .contains("kind: SelinuxProfile", "name: rec-web", "owner: web-team", "spo.x-k8s.io/recording-id: rec", "signal")
        .doesNotContain("capability", "name_bind", "append")
        .endsWith("""
            ---
            # kept as it is
            apiVersion: security-profiles-operator.x-k8s.io/v1
            kind: SelinuxProfile
            metadata:
              name: other
            spec:
              inherit:
                - kind: System
                  name: container
              allow:
                var_log_t:
                  file: [read]
            """);
    assertThat(server("log", "-1", "--format=%B", branch)).startsWith("Recorded SELinux profile rec-web (+2 -3 permissions)")
        .contains("added:    @self process signal, var_log_t file read", "left out: @self capability dac_override");
    assertThat(server("rev-parse", "refs/heads/main")).isEqualTo(mainHead);

    // What the branch proposes is what the syncer takes.
    try (GitWorkTree checkout = GitWorkTree.init()) {
      checkout.git("fetch", url, branch);
      checkout.git("checkout", "-q", "FETCH_HEAD");
      LoadResult loaded = new RepositoryLoader(FakeSyscallTable.common()).load(checkout.dir());
      assertThat(loaded.errors()).isEmpty();
      LoadedObject web = loaded.validObjects().stream().filter(o -> o.name().equals("rec-web")).findFirst().orElseThrow();
      assertThat(((SelinuxProfile) web.resource()).getSpec().getAllow()).isEqualTo(Map.of(
          "@self", Map.of("process", List.of("signal")), "var_log_t", Map.of("file", List.of("open", "read"))));
    }
  }

  @Test
  void aNewSelinuxProfileGoesNextToTheRepositorysOtherSelinuxProfiles() throws Exception {
    PublishResult result = publisher().publish(request("db", recorded("db", Map.of("postgresql_port_t",
        Map.of("tcp_socket", List.of("name_bind"))))));

    assertThat(result.files()).containsEntry("rec-db", "platform/selinux/rec-db.yaml");
    assertThat(result.diffs().get("rec-db").newProfile()).isTrue();
    assertThat(server("show", "refs/heads/profileops/recording/rec-db:platform/selinux/rec-db.yaml"))
        .startsWith("apiVersion: security-profiles-operator.x-k8s.io/v1\nkind: SelinuxProfile\n").contains("postgresql_port_t");
  }

  private RecordingPublisher publisher() {
    return new RecordingPublisher(work, FakeSyscallTable.common());
  }

  private PublishRequest request(String container, SelinuxProfile profile) {
    return PublishRequest.builder(url, "rec", container)
        .profiles(SelinuxRecordedKind.INSTANCE, List.of(profile))
        .replicas(List.of(container + "-1"))
        .nodes(List.of("node-a"))
        .window(Instant.parse("2026-11-29T10:00:00Z"), Instant.parse("2026-11-29T10:05:00Z"))
        .build();
  }

  /** A profile as the recorder hands it over: the name, the recording's labels, the recorded allow map. */
  static SelinuxProfile recorded(String container, Map<String, Map<String, List<String>>> allow) {
    SelinuxProfile profile = new SelinuxProfile();
    profile.getMetadata().setName(RecordingMetadata.name("rec", container));
    profile.getMetadata().setLabels(Map.of(RecordingMetadata.LABEL_RECORDING_ID, "rec", RecordingMetadata.LABEL_CONTAINER_ID,
        container));
    SelinuxProfileSpec spec = new SelinuxProfileSpec();
    spec.setInherit(new ArrayList<>(List.of(new PolicyRef("System", "container"))));
    spec.setAllow(allow);
    profile.setSpec(spec);
    return profile;
  }

  /** A git command on the server's bare repository; {@code show} keeps the file's last newline. */
  private String server(String... args) throws Exception {
    return args[0].equals("show") ? repository.gitRaw(args) : repository.git(args);
  }
}
