package dev.profileops.syncer.profilesource;

import static dev.profileops.syncer.profilesource.ControllerTestSupport.profile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.profileops.api.SpoApi;
import dev.profileops.api.common.Conditions;
import dev.profileops.api.seccomp.SeccompAction;
import dev.profileops.api.seccomp.SeccompProfile;
import dev.profileops.api.source.ProfileSource;
import dev.profileops.api.source.ProfileSourceSpec;
import dev.profileops.testsupport.GitDaemonServer;
import dev.profileops.testsupport.GitWorkTree;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ProfileSources against the CRUD mock API server and a real git daemon on loopback. */
@EnableKubernetesMockClient(crud = true, kubernetesClientBuilderCustomizer = ControllerTestSupport.ShortTimeout.class)
class ProfileSourceReconcilerTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  KubernetesClient client;
  @TempDir Path workDir;
  private GitDaemonServer git;
  private GitWorkTree work;
  private SyncerController controller;
  private PrometheusMeterRegistry metrics;

  @BeforeEach
  void setUp() throws IOException {
    GitDaemonServer.assumeAvailable();
    ControllerTestSupport.createCrds(client);
    git = GitDaemonServer.start();
    git.createBareRepo("profiles");
    work = GitWorkTree.init();
    metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    controller = ControllerTestSupport.startController(client, workDir, metrics);
  }

  @AfterEach
  void tearDown() {
    if (controller != null) {
      controller.stop();
    }
    if (work != null) {
      work.close();
    }
    if (git != null) {
      git.close();
    }
  }

  private String push(String message) throws IOException {
    String commit = work.commitAll(message);
    work.push(git.url("profiles"), "main");
    return commit;
  }

  private ProfileSource source(String namespace, String name, String url) {
    // An interval of an hour: only the tests' triggers sync again.
    return client.resource(ControllerTestSupport.source(namespace, name, url, "1h")).create();
  }

  private ProfileSource get(String namespace, String name) {
    return client.resources(ProfileSource.class).inNamespace(namespace).withName(name).get();
  }

  private void mergePatch(String namespace, String name, String json) {
    ControllerTestSupport.mergePatch(client, namespace, name, json);
  }

  private void requestSync(String namespace, String name) {
    ControllerTestSupport.requestSync(client, namespace, name);
  }

  private SeccompProfile profileInCluster(String name) {
    return client.resources(SeccompProfile.class).withName(name).get();
  }

  @Test
  void appliesReportsKeepsLastGoodAndPrunes() throws IOException {
    work.write("profiles/a.yaml", profile("a", "SCMP_ACT_ALLOW")).write("profiles/b.yaml", profile("b", "SCMP_ACT_ALLOW"));
    String first = push("two profiles");
    source("team-a", "profiles", git.url("profiles"));

    await().atMost(WAIT).untilAsserted(() -> {
      ProfileSource s = get("team-a", "profiles");
      assertThat(s.getStatus()).isNotNull();
      assertThat(s.getStatus().getLastAppliedRevision()).isEqualTo(first);
      assertThat(Conditions.isTrue(s.getStatus().getConditions(), "Ready")).isTrue();
      assertThat(s.getStatus().getObservedGeneration()).isEqualTo(s.getMetadata().getGeneration());
      assertThat(s.getStatus().getInventory()).extracting(e -> e.getKind() + "/" + e.getName())
          .containsExactly("SeccompProfile/a", "SeccompProfile/b");
    });
    assertThat(profileInCluster("a").getMetadata().getLabels()).containsEntry(SpoApi.LABEL_SOURCE, "team-a.profiles");

    // A broken edit of a and a deletion of b: b is pruned, a keeps its last good version.
    work.write("profiles/a.yaml", profile("a", "SCMP_ACT_WHATEVER")).delete("profiles/b.yaml");
    String second = push("break a, delete b");
    requestSync("team-a", "profiles");
    await().atMost(WAIT).untilAsserted(() -> {
      ProfileSource s = get("team-a", "profiles");
      assertThat(s.getStatus().getLastAttemptedRevision()).isEqualTo(second);
      assertThat(s.getStatus().getLastAppliedRevision()).isEqualTo(first);
      assertThat(Conditions.isTrue(s.getStatus().getConditions(), "Ready")).isFalse();
      assertThat(Conditions.isTrue(s.getStatus().getConditions(), "Stalled")).isTrue();
      assertThat(s.getStatus().getErrors()).singleElement().satisfies(e -> {
        assertThat(e.getFile()).isEqualTo("a.yaml");
        assertThat(e.getLine()).isEqualTo(9);
        assertThat(e.getMessage()).contains("SCMP_ACT_WHATEVER");
      });
      assertThat(profileInCluster("b")).isNull();
    });
    assertThat(profileInCluster("a").getSpec().getSyscalls().get(0).getAction()).isEqualTo(SeccompAction.SCMP_ACT_ALLOW);
    assertThat(metrics.scrape()).contains("profileops_sync_errors_total{reason=\"ValidationFailed\",source=\"team-a.profiles\"}");
    await().atMost(WAIT).untilAsserted(() -> assertThat(client.v1().events().inNamespace("team-a").list().getItems())
        .extracting(e -> e.getType() + "/" + e.getReason() + "/" + e.getInvolvedObject().getName())
        .contains("Normal/Applied/profiles", "Warning/ValidationFailed/profiles"));
  }

  @Test
  void restoresAProfileEditedOrDeletedByHandWithoutWaitingForTheInterval() throws IOException {
    work.write("profiles/a.yaml", profile("a", "SCMP_ACT_ALLOW"));
    push("one");
    source("team-a", "profiles", git.url("profiles"));
    await().atMost(WAIT).until(() -> profileInCluster("a") != null);

    // The interval is an hour: the watch on applied objects is what brings the source back.
    client.resources(SeccompProfile.class).withName("a").edit(p -> {
      p.getSpec().getSyscalls().get(0).setAction(SeccompAction.SCMP_ACT_KILL_PROCESS);
      return p;
    });
    await().atMost(WAIT).untilAsserted(() ->
        assertThat(profileInCluster("a").getSpec().getSyscalls().get(0).getAction()).isEqualTo(SeccompAction.SCMP_ACT_ALLOW));

    client.resources(SeccompProfile.class).withName("a").delete();
    await().atMost(WAIT).until(() -> profileInCluster("a") != null);
  }

  @Test
  void aSecondSourceCannotTakeOverAnotherSourcesProfile() throws IOException {
    work.write("profiles/a.yaml", profile("a", "SCMP_ACT_ALLOW"));
    push("one");
    source("team-a", "profiles", git.url("profiles"));
    await().atMost(WAIT).until(() -> profileInCluster("a") != null);

    source("team-b", "copy", git.url("profiles"));
    await().atMost(WAIT).untilAsserted(() -> {
      ProfileSource s = get("team-b", "copy");
      assertThat(s.getStatus()).isNotNull();
      assertThat(s.getStatus().getErrors()).singleElement().satisfies(e ->
          assertThat(e.getMessage()).contains("owned by source team-a.profiles"));
    });
    assertThat(profileInCluster("a").getMetadata().getLabels()).containsEntry(SpoApi.LABEL_SOURCE, "team-a.profiles");
  }

  @Test
  void fetchFailureKeepsWhatWasAppliedAndSaysWhy() throws IOException {
    work.write("profiles/a.yaml", profile("a", "SCMP_ACT_ALLOW"));
    push("one");
    source("team-a", "profiles", git.url("profiles"));
    await().atMost(WAIT).until(() -> profileInCluster("a") != null);

    mergePatch("team-a", "profiles", "{\"spec\":{\"url\":\"" + git.url("no-such-repo") + "\"}}");
    await().atMost(WAIT).untilAsserted(() -> {
      ProfileSource s = get("team-a", "profiles");
      assertThat(Conditions.find(s.getStatus().getConditions(), "Ready")).hasValueSatisfying(c -> {
        assertThat(c.getStatus()).isEqualTo("False");
        assertThat(c.getReason()).isEqualTo("FetchFailed");
      });
    });
    assertThat(profileInCluster("a")).isNotNull();
  }

  @Test
  void deletingTheSourcePrunesWhatItApplied() throws IOException {
    work.write("profiles/a.yaml", profile("a", "SCMP_ACT_ALLOW"));
    push("one");
    source("team-a", "profiles", git.url("profiles"));
    await().atMost(WAIT).until(() -> profileInCluster("a") != null);

    client.resources(ProfileSource.class).inNamespace("team-a").withName("profiles").delete();
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(profileInCluster("a")).isNull();
      assertThat(get("team-a", "profiles")).isNull();
    });
  }

  @Test
  void reportsEachAttemptedRevisionToTheForge() throws Exception {
    java.util.List<String> requests = new java.util.concurrent.CopyOnWriteArrayList<>();
    com.sun.net.httpserver.HttpServer forge = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    forge.createContext("/", exchange -> {
      requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " "
          + exchange.getRequestHeaders().getFirst("Authorization") + " "
          + new String(exchange.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
      exchange.sendResponseHeaders(201, -1);
      exchange.close();
    });
    forge.start();
    try {
      client.resource(new io.fabric8.kubernetes.api.model.SecretBuilder().withNewMetadata().withName("forge-token")
          .withNamespace("team-a").endMetadata()
          .addToData("token", java.util.Base64.getEncoder().encodeToString("s3cr3t".getBytes())).build()).create();
      git.createBareRepo("team/profiles");
      work.write("profiles/a.yaml", profile("a", "SCMP_ACT_ALLOW"));
      String commit = work.commitAll("one");
      work.push(git.url("team/profiles"), "main");
      ProfileSource source = new ProfileSource();
      source.setMetadata(new ObjectMetaBuilder().withNamespace("team-a").withName("reported").build());
      ProfileSourceSpec spec = new ProfileSourceSpec();
      spec.setUrl(git.url("team/profiles"));
      spec.setPath("profiles");
      spec.setInterval("1h");
      dev.profileops.api.source.CommitStatusSpec status = new dev.profileops.api.source.CommitStatusSpec();
      status.setProvider("gitea");
      status.setSecretRef(new dev.profileops.api.source.LocalObjectReference("forge-token"));
      status.setApiURL("http://127.0.0.1:" + forge.getAddress().getPort() + "/api/v1");
      spec.setCommitStatus(status);
      source.setSpec(spec);
      client.resource(source).create();

      await().atMost(WAIT).untilAsserted(() -> assertThat(requests).singleElement().asString()
          .startsWith("POST /api/v1/repos/team/profiles/statuses/" + commit + " token s3cr3t ")
          .contains("\"state\":\"success\"").contains("applied 1 object"));
    } finally {
      forge.stop(0);
    }
  }

  @Test
  void appliesOnlySignedHeadsWhenVerifying() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("CI") != null || new java.io.File("/usr/bin/ssh-keygen").canExecute(),
        "ssh-keygen (openssh-client) is needed to sign commits");
    Path key = workDir.resolve("signing-key");
    Process keygen = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "release", "-f", key.toString())
        .redirectErrorStream(true).start();
    assertThat(keygen.waitFor()).isZero();
    String publicKey = Files.readString(Path.of(key + ".pub"));
    client.resource(new io.fabric8.kubernetes.api.model.SecretBuilder().withNewMetadata().withName("trusted")
        .withNamespace("team-a").endMetadata()
        .addToData("keys", java.util.Base64.getEncoder().encodeToString(publicKey.getBytes())).build()).create();

    work.write("profiles/a.yaml", profile("a", "SCMP_ACT_ALLOW"));
    work.git("add", "--all");
    work.git("-c", "gpg.format=ssh", "-c", "user.signingkey=" + key + ".pub", "commit", "-q", "-S", "-m", "signed");
    String signed = work.head();
    work.push(git.url("profiles"), "main");
    ProfileSource source = new ProfileSource();
    source.setMetadata(new ObjectMetaBuilder().withNamespace("team-a").withName("verified").build());
    ProfileSourceSpec spec = new ProfileSourceSpec();
    spec.setUrl(git.url("profiles"));
    spec.setPath("profiles");
    spec.setInterval("1h");
    dev.profileops.api.source.VerifySpec verify = new dev.profileops.api.source.VerifySpec();
    verify.setMode("HEAD");
    verify.setSecretRef(new dev.profileops.api.source.LocalObjectReference("trusted"));
    spec.setVerify(verify);
    source.setSpec(spec);
    client.resource(source).create();
    await().atMost(WAIT).untilAsserted(() -> {
      ProfileSource s = get("team-a", "verified");
      assertThat(s.getStatus()).isNotNull();
      assertThat(s.getStatus().getLastAppliedRevision()).isEqualTo(signed);
      assertThat(Conditions.isTrue(s.getStatus().getConditions(), "SourceVerified")).isTrue();
    });

    work.write("profiles/a.yaml", profile("a", "SCMP_ACT_LOG"));
    String unsigned = push("unsigned change");
    requestSync("team-a", "verified");
    await().atMost(WAIT).untilAsserted(() -> {
      ProfileSource s = get("team-a", "verified");
      assertThat(s.getStatus().getLastAttemptedRevision()).isEqualTo(unsigned);
      assertThat(s.getStatus().getLastAppliedRevision()).isEqualTo(signed);
      assertThat(Conditions.find(s.getStatus().getConditions(), "SourceVerified")).hasValueSatisfying(c -> {
        assertThat(c.getStatus()).isEqualTo("False");
        assertThat(c.getMessage()).contains("is not signed");
      });
    });
    assertThat(profileInCluster("a").getSpec().getSyscalls().get(0).getAction()).isEqualTo(SeccompAction.SCMP_ACT_ALLOW);
  }

  @Test
  void aSignedPushWebhookSyncsTheSourceAtOnceAndAForgedOneDoesNothing() throws Exception {
    work.write("profiles/a.yaml", profile("a", "SCMP_ACT_ALLOW"));
    push("one");
    source("team-a", "profiles", git.url("profiles"));
    await().atMost(WAIT).until(() -> profileInCluster("a") != null);
    byte[] secret = "webhook-secret".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    try (var receiver = new dev.profileops.syncer.webhook.WebhookReceiver(new java.net.InetSocketAddress("127.0.0.1", 0),
        secret, new SourceTrigger(client, java.time.Clock.systemUTC()))) {
      receiver.start();
      work.write("profiles/b.yaml", profile("b", "SCMP_ACT_ALLOW"));
      String commit = push("add b");
      String payload = "{\"ref\":\"refs/heads/main\",\"after\":\"" + commit + "\",\"repository\":{\"clone_url\":\""
          + git.url("profiles") + "\"}}";
      var http = java.net.http.HttpClient.newHttpClient();
      java.util.function.Function<String, Integer> send = signature -> {
        try {
          return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + receiver.port() + "/hooks/github"))
              .header("X-GitHub-Event", "push").header("X-Hub-Signature-256", signature).header("Content-Type", "application/json")
              .POST(java.net.http.HttpRequest.BodyPublishers.ofString(payload)).build(),
              java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      };
      assertThat(send.apply("sha256=" + "0".repeat(64))).isEqualTo(401);
      Thread.sleep(1500); // a forged push must not sync: give it time to (wrongly) happen
      assertThat(profileInCluster("b")).isNull();

      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(new javax.crypto.spec.SecretKeySpec(secret, "HmacSHA256"));
      String signature = "sha256=" + java.util.HexFormat.of().formatHex(mac.doFinal(payload.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      assertThat(send.apply(signature)).isEqualTo(200);
      await().atMost(WAIT).untilAsserted(() -> {
        assertThat(profileInCluster("b")).isNotNull();
        assertThat(get("team-a", "profiles").getStatus().getLastAppliedRevision()).isEqualTo(commit);
      });
    }
  }

  @Test
  void fetchesShallowlyAndOnlyWhenTheRemoteHeadMoved() throws Exception {
    work.write("profiles/a.yaml", profile("a", "SCMP_ACT_ALLOW"));
    push("one");
    work.write("profiles/a.yaml", profile("a", "SCMP_ACT_LOG"));
    String second = push("two");
    source("team-a", "profiles", git.url("profiles"));
    await().atMost(WAIT).until(() -> get("team-a", "profiles").getStatus() != null
        && second.equals(get("team-a", "profiles").getStatus().getLastAppliedRevision()));
    Path clone = workDir.resolve("team-a/profiles/.git");
    assertThat(clone.resolve("shallow")).exists(); // depth 1: one commit of history
    var fetched = Files.getLastModifiedTime(clone.resolve("FETCH_HEAD"));

    requestSync("team-a", "profiles");
    await().atMost(WAIT).until(() -> get("team-a", "profiles").getStatus().getLastHandledReconcileAt() != null);
    assertThat(Files.getLastModifiedTime(clone.resolve("FETCH_HEAD"))).isEqualTo(fetched);

    work.write("profiles/a.yaml", profile("a", "SCMP_ACT_ALLOW"));
    String third = push("three");
    requestSync("team-a", "profiles");
    await().atMost(WAIT).until(() -> third.equals(get("team-a", "profiles").getStatus().getLastAppliedRevision()));
    assertThat(Files.getLastModifiedTime(clone.resolve("FETCH_HEAD"))).isNotEqualTo(fetched);
  }
}
