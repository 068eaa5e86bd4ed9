package dev.profileops.recorder.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.profileops.api.seccomp.SeccompProfile;
import dev.profileops.host.seccomp.FakeSyscallTable;
import dev.profileops.recorder.forge.PullRequestRef;
import dev.profileops.recorder.seccomp.RecordedSeccompProfile;
import dev.profileops.syncer.forge.Forge;
import dev.profileops.testsupport.GitHttpServer;
import dev.profileops.testsupport.GitWorkTree;
import dev.profileops.testsupport.RecordingForgeServer;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The publisher against a real {@code git daemon} on loopback: the recording's branch lands on the
 * server with the expected file and message, a second recording replaces it, the default branch is
 * never touched, and other documents of a multi-document file stay as they were.
 */
class RecordingPublisherTest {
  static final String WEB_YAML = """
      # Profiles of the web tier; reviewed by the platform team.
      apiVersion: security-profiles-operator.x-k8s.io/v1
      kind: SeccompProfile
      metadata:
        name: rec-nginx
        annotations:
          description: nginx front end
      spec:
        defaultAction: SCMP_ACT_ERRNO
        architectures: [SCMP_ARCH_X86_64]
        syscalls:
          - names: [read, write, ptrace]
            action: SCMP_ACT_ALLOW
      """;
  static final String BUNDLE_YAML = """
      apiVersion: security-profiles-operator.x-k8s.io/v1
      kind: SeccompProfile
      metadata:
        name: first
      spec:
        defaultAction: SCMP_ACT_ERRNO
        syscalls:
          - names: [read]
            action: SCMP_ACT_ALLOW
      ---
      # the API server's profile
      apiVersion: security-profiles-operator.x-k8s.io/v1
      kind: SeccompProfile
      metadata:
        name: rec-api
      spec:
        defaultAction: SCMP_ACT_ERRNO
        syscalls:
          - names: [read, write]
            action: SCMP_ACT_ALLOW
      ---
      # last one, untouched
      apiVersion: security-profiles-operator.x-k8s.io/v1
      kind: SeccompProfile
      metadata:
        name: last
      spec:
        defaultAction: SCMP_ACT_LOG
      """;

  @TempDir Path work;
  ServedProfileRepository repository;
  GitWorkTree seed;
  String url;
  String mainHead;

  @BeforeEach
  void repository() throws Exception {
    repository = ServedProfileRepository.start(Map.of("seccomp/web.yaml", WEB_YAML, "seccomp/bundle.yaml", BUNDLE_YAML,
        "README.md", "profiles\n"));
    seed = repository.seed();
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
  void pushesTheRecordingBranchWithTheProfileInItsExistingFileAndUpdatesItOnTheNextRecording() throws Exception {
    RecordingPublisher publisher = publisher();
    PublishResult first = publisher.publish(request("nginx", List.of("read", "write", "openat", "close")));

    assertThat(first.branch()).isEqualTo("profileops/recording/rec-nginx");
    assertThat(first.pushedRef()).contains("refs/heads/profileops/recording/rec-nginx");
    assertThat(first.files()).containsEntry("rec-nginx", "seccomp/web.yaml");
    assertThat(first.diffs().get("rec-nginx").added()).containsExactly("close", "openat");
    assertThat(first.diffs().get("rec-nginx").removed()).containsExactly("ptrace");
    String branch = "refs/heads/profileops/recording/rec-nginx";
    assertThat(server("rev-parse", branch)).isEqualTo(first.commit().orElseThrow());
    assertThat(server("rev-parse", branch + "^")).isEqualTo(mainHead);
    assertThat(server("rev-parse", "refs/heads/main")).isEqualTo(mainHead);
    String file = server("show", branch + ":seccomp/web.yaml");
    assertThat(file).startsWith("# Profiles of the web tier; reviewed by the platform team.\n")
        .contains("name: rec-nginx", "description: nginx front end", "spo.x-k8s.io/recording-id: rec")
        .contains("- close\n", "- openat\n", "- read\n", "- write\n")
        .doesNotContain("ptrace");
    assertThat(server("log", "-1", "--format=%an <%ae>%n%cn <%ce>%n%B", branch)).startsWith("""
        ProfileOps Recorder <recorder@profileops.dev>
        ProfileOps Recorder <recorder@profileops.dev>
        Recorded seccomp profile rec-nginx (+2 -1 syscalls)
        """).contains("added:    close openat", "removed:  ptrace", "Replicas: nginx-7d9c-abcde, nginx-7d9c-fghij",
        "Nodes: node-a", "Window: 2026-11-29T10:00:00Z to 2026-11-29T10:05:00Z");
    assertThat(server("diff", "--name-only", mainHead, branch)).isEqualTo("seccomp/web.yaml");

    PublishResult second = publisher.publish(request("nginx", List.of("read", "write", "futex")));

    assertThat(second.commit()).isPresent().isNotEqualTo(first.commit());
    assertThat(server("rev-parse", branch)).isEqualTo(second.commit().orElseThrow());
    assertThat(server("rev-parse", branch + "^")).as("made on the default branch, not on the last recording")
        .isEqualTo(mainHead);
    assertThat(server("show", branch + ":seccomp/web.yaml")).contains("- futex\n").doesNotContain("openat", "ptrace");
    assertThat(server("rev-parse", "refs/heads/main")).isEqualTo(mainHead);
  }

  @Test
  void replacesOnlyItsOwnDocumentOfAMultiDocumentFile() throws Exception {
    PublishResult result = publisher().publish(request("api", List.of("read", "write", "epoll_wait")));

    assertThat(result.files()).containsEntry("rec-api", "seccomp/bundle.yaml");
    String file = serverRaw("show", "refs/heads/profileops/recording/rec-api:seccomp/bundle.yaml");
    String[] documents = file.split("(?m)^---$", -1);
    String[] before = BUNDLE_YAML.split("(?m)^---$", -1);
    assertThat(documents).hasSize(3);
    assertThat(documents[0]).isEqualTo(before[0]);
    assertThat(documents[2]).isEqualTo(before[2]);
    assertThat(documents[1]).startsWith("\n# the API server's profile\n").contains("name: rec-api", "- epoll_wait\n");
  }

  @Test
  void aNewProfileGoesNextToTheRepositorysOtherSeccompProfiles() throws Exception {
    PublishResult result = publisher().publish(request("worker", List.of("read")));

    assertThat(result.files()).containsEntry("rec-worker", "seccomp/rec-worker.yaml");
    assertThat(result.diffs().get("rec-worker").newProfile()).isTrue();
    assertThat(server("show", "refs/heads/profileops/recording/rec-worker:seccomp/rec-worker.yaml"))
        .startsWith("apiVersion: security-profiles-operator.x-k8s.io/v1\nkind: SeccompProfile\n");
  }

  @Test
  void aRecordingTheDefaultBranchAlreadyHoldsPushesNothing() throws Exception {
    RecordingPublisher publisher = publisher();
    PublishResult first = publisher.publish(request("worker", List.of("read")));
    seed.git("fetch", "--quiet", url, "refs/heads/profileops/recording/rec-worker");
    seed.git("merge", "--quiet", "--ff-only", "FETCH_HEAD");
    seed.push(url, "main");
    seed.git("push", "--quiet", "--delete", url, "profileops/recording/rec-worker");

    PublishResult again = publisher.publish(request("worker", List.of("read")));

    assertThat(first.upToDate()).isFalse();
    assertThat(again.upToDate()).isTrue();
    assertThat(again.diffs().get("rec-worker").isEmpty()).isTrue();
    assertThat(server("for-each-ref", "--format=%(refname)", "refs/heads/profileops")).isEmpty();
  }

  @Test
  void agitPushesRefsForTheDefaultBranchWithTitleAndDescriptionAsPushOptions() throws Exception {
    // A plain git daemon keeps refs/for/... as a ref; it takes push options once it advertises them.
    server("config", "receive.advertisePushOptions", "true");
    PublishRequest request = PublishRequest.builder(url, "rec", "nginx")
        .profiles(List.of(profile("nginx", List.of("read", "openat"))))
        .pullRequest(new PullRequestTarget.AGit())
        .build();

    PublishResult result = publisher().publish(request);

    String ref = "refs/for/main/profileops-recording-rec-nginx";
    assertThat(result.pushedRef()).contains(ref);
    assertThat(server("rev-parse", ref)).isEqualTo(result.commit().orElseThrow());
    assertThat(server("rev-parse", ref + "^")).isEqualTo(mainHead);
    assertThat(server("for-each-ref", "--format=%(refname)", "refs/heads")).isEqualTo("refs/heads/main");
    assertThat(RecordingPublisher.agitOptions("topic-1", "t", "line one\nline two"))
        .containsExactly("topic=topic-1", "title=t", "description={base64}bGluZSBvbmUKbGluZSB0d28=", "force-push=true");
  }

  @Test
  void opensThePullRequestThroughTheForgeApiAfterThePushAndUpdatesItOnTheNextRecording() throws Exception {
    try (RecordingForgeServer forge = new RecordingForgeServer()) {
      forge.answer(200, "[]").answer(201, "{\"number\":42,\"html_url\":\"https://github.example/team/profiles/pull/42\"}")
          .answer(200, "[{\"number\":42,\"html_url\":\"https://github.example/team/profiles/pull/42\"}]")
          .answer(200, "{\"number\":42,\"html_url\":\"https://github.example/team/profiles/pull/42\"}");
      PullRequestTarget github = new PullRequestTarget.ForgeApi(Forge.GITHUB, "ghp_publisherTestToken", Optional.of(forge.baseUri()));
      RecordingPublisher publisher = publisher();

      PublishResult first = publisher.publish(PublishRequest.builder(url, "rec", "nginx").pullRequest(github)
          .profiles(List.of(profile("nginx", List.of("read", "write", "openat")))).build());
      PublishResult second = publisher.publish(PublishRequest.builder(url, "rec", "nginx").pullRequest(github)
          .profiles(List.of(profile("nginx", List.of("read", "write", "futex")))).build());

      assertThat(first.pullRequest()).contains(new PullRequestRef(42, "https://github.example/team/profiles/pull/42", true));
      assertThat(second.pullRequest()).contains(new PullRequestRef(42, "https://github.example/team/profiles/pull/42", false));
      assertThat(forge.takeRequest().rawQuery()).isEqualTo("head=team%3Aprofileops%2Frecording%2Frec-nginx&state=open");
      RecordingForgeServer.Recorded create = forge.takeRequest();
      assertThat(create.method()).isEqualTo("POST");
      assertThat(create.rawPath()).isEqualTo("/repos/team/profiles/pulls");
      JsonNode body = new ObjectMapper().readTree(create.body());
      assertThat(body.get("head").asText()).isEqualTo("profileops/recording/rec-nginx");
      assertThat(body.get("base").asText()).isEqualTo("main");
      assertThat(body.get("title").asText()).isEqualTo("Recorded seccomp profile rec-nginx (+1 -1 syscalls)");
      assertThat(body.get("body").asText()).contains("| `openat` | added |", "| `ptrace` | removed |", "seccomp/web.yaml");
      forge.takeRequest();
      RecordingForgeServer.Recorded update = forge.takeRequest();
      assertThat(update.method()).isEqualTo("PATCH");
      assertThat(update.rawPath()).isEqualTo("/repos/team/profiles/pulls/42");
      assertThat(new ObjectMapper().readTree(update.body()).get("body").asText()).contains("| `futex` | added |");
      assertThat(server("rev-parse", "refs/heads/profileops/recording/rec-nginx")).isEqualTo(second.commit().orElseThrow());
    }
  }

  @Test
  void aProfileKeptAsOciJsonIsWrittenBackAsOciJson() throws Exception {
    seed.write("oci/rec-runtime.json", "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": []}\n");
    mainHead = repository.commitToMain("an OCI profile");

    PublishResult result = publisher().publish(request("runtime", List.of("read", "write")));

    assertThat(result.files()).containsEntry("rec-runtime", "oci/rec-runtime.json");
    String json = server("show", "refs/heads/profileops/recording/rec-runtime:oci/rec-runtime.json");
    assertThat(new ObjectMapper().readTree(json)).isEqualTo(new ObjectMapper().readTree(
        "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":[\"SCMP_ARCH_X86_64\"],"
            + "\"syscalls\":[{\"names\":[\"read\",\"write\"],\"action\":\"SCMP_ACT_ALLOW\"}]}"));
  }

  @Test
  void pushesOverHttpWithTheCredentialsOfASecret() throws Exception {
    GitHttpServer.assumeAvailable();
    try (GitHttpServer http = GitHttpServer.start("recorder", "s3cret pass")) {
      Path httpBare = http.createBareRepo("team/profiles");
      seed.git("push", "--quiet", http.pushUrl("team/profiles"), "HEAD:refs/heads/main");
      Secret secret = new SecretBuilder().withNewMetadata().withName("recorder-git").endMetadata()
          .addToStringData("username", "recorder").addToStringData("password", "s3cret pass").build();
      PublishCredentials credentials = PublishCredentials.fromSecret(secret, http.url("team/profiles"));

      PublishResult result = publisher().publish(PublishRequest.builder(http.url("team/profiles"), "rec", "nginx")
          .transport(credentials.transport())
          .profiles(List.of(profile("nginx", List.of("read", "write")))).build());

      assertThat(seed.git("--git-dir=" + httpBare, "rev-parse", "refs/heads/profileops/recording/rec-nginx").strip())
          .isEqualTo(result.commit().orElseThrow());
    }
  }

  @Test
  void aRefusedPushNamesTheRepository() throws Exception {
    String missing = repository.server().url("team/missing");
    PublishRequest request = PublishRequest.builder(missing, "rec", "nginx")
        .profiles(List.of(profile("nginx", List.of("read")))).build();

    assertThatThrownBy(() -> publisher().publish(request)).hasMessageContaining(missing);
  }

  private RecordingPublisher publisher() {
    return new RecordingPublisher(work, FakeSyscallTable.common())
        .author(new PersonIdent("ProfileOps Recorder", "recorder@profileops.dev"));
  }

  private PublishRequest request(String container, List<String> syscalls) {
    return PublishRequest.builder(url, "rec", container)
        .profiles(List.of(profile(container, syscalls)))
        .replicas(List.of(container + "-7d9c-abcde", container + "-7d9c-fghij"))
        .nodes(List.of("node-a"))
        .window(Instant.parse("2026-11-29T10:00:00Z"), Instant.parse("2026-11-29T10:05:00Z"))
        .build();
  }

  static SeccompProfile profile(String container, List<String> syscalls) {
    return RecordedSeccompProfile.build("rec", container, "x86_64", syscalls);
  }

  private String server(String... args) throws Exception {
    return repository.git(args);
  }

  /** A git command on the server's bare repository; its output as it is. */
  private String serverRaw(String... args) throws Exception {
    return repository.gitRaw(args);
  }
}
