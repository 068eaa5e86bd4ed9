package dev.profileops.syncer.profilesource;

import static dev.profileops.syncer.profilesource.ControllerTestSupport.profile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.profileops.api.common.Condition;
import dev.profileops.api.common.Conditions;
import dev.profileops.api.seccomp.SeccompProfile;
import dev.profileops.api.source.LocalObjectReference;
import dev.profileops.api.source.ProfileSource;
import dev.profileops.testsupport.GitHttpServer;
import dev.profileops.testsupport.GitWorkTree;
import dev.profileops.testsupport.SshGitServer;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ProfileSources that need credentials, against the CRUD mock API server and real git servers on
 * loopback: {@code git http-backend} behind HTTP Basic authentication, and OpenSSH's sshd. A
 * rejected credential, an unknown host key or a server outage fails the fetch, keeps what was
 * applied and says so in status; the next sync recovers.
 */
@EnableKubernetesMockClient(crud = true, kubernetesClientBuilderCustomizer = ControllerTestSupport.ShortTimeout.class)
class SourceAuthenticationTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String NS = "team-a";
  KubernetesClient client;
  @TempDir Path workDir;
  private GitWorkTree work;
  private SyncerController controller;

  @BeforeEach
  void setUp() throws IOException {
    ControllerTestSupport.createCrds(client);
    work = GitWorkTree.init();
    controller = ControllerTestSupport.startController(client, workDir, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  @AfterEach
  void tearDown() {
    if (controller != null) {
      controller.stop();
    }
    if (work != null) {
      work.close();
    }
  }

  private void secret(String name, Map<String, String> values) {
    SecretBuilder secret = new SecretBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata();
    values.forEach((k, v) -> secret.addToData(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
    Secret built = secret.build();
    if (client.secrets().inNamespace(NS).withName(name).get() == null) {
      client.resource(built).create();
    } else {
      client.secrets().inNamespace(NS).withName(name).edit(s -> {
        s.setData(built.getData());
        return s;
      });
    }
  }

  private void source(String name, String url, String secretName, String interval) {
    ProfileSource source = ControllerTestSupport.source(NS, name, url, interval);
    source.getSpec().setTimeout("10s");
    source.getSpec().setSecretRef(new LocalObjectReference(secretName));
    client.resource(source).create();
  }

  private ProfileSource get(String name) {
    return client.resources(ProfileSource.class).inNamespace(NS).withName(name).get();
  }

  private void requestSync(String name) {
    ControllerTestSupport.requestSync(client, NS, name);
  }

  private SeccompProfile profileInCluster(String name) {
    return client.resources(SeccompProfile.class).withName(name).get();
  }

  private void awaitApplied(String source, String revision) {
    await().atMost(WAIT).untilAsserted(() -> {
      ProfileSource s = get(source);
      assertThat(s.getStatus()).isNotNull();
      assertThat(s.getStatus().getLastAppliedRevision()).as(() -> String.valueOf(ready(s))).isEqualTo(revision);
      assertThat(Conditions.isTrue(s.getStatus().getConditions(), "Ready")).isTrue();
    });
  }

  /** Waits for Ready False with reason FetchFailed, and returns its message. */
  private String awaitFetchFailed(String source, String mustContain) {
    String[] message = new String[1];
    await().atMost(WAIT).untilAsserted(() -> {
      Condition ready = ready(get(source));
      assertThat(ready).isNotNull();
      assertThat(ready.getStatus()).isEqualTo("False");
      assertThat(ready.getReason()).isEqualTo("FetchFailed");
      assertThat(ready.getMessage()).contains(mustContain);
      message[0] = ready.getMessage();
    });
    return message[0];
  }

  private static Condition ready(ProfileSource s) {
    return s == null || s.getStatus() == null ? null : Conditions.find(s.getStatus().getConditions(), "Ready").orElse(null);
  }

  @Test
  void httpsBasicAuthAppliesAndRejectedCredentialsKeepTheLastGoodState() throws IOException {
    GitHttpServer.assumeAvailable();
    try (GitHttpServer http = GitHttpServer.start("git", "s3cr3t")) {
      http.createBareRepo("profiles");
      work.write("profiles/a.yaml", profile("a", "SCMP_ACT_ALLOW")).write("profiles/b.yaml", profile("b", "SCMP_ACT_ALLOW"));
      String first = work.commitAll("a and b");
      work.push(http.pushUrl("profiles"), "main");
      secret("git-auth", Map.of("username", "git", "password", "s3cr3t"));
      source("https", http.url("profiles"), "git-auth", "1h");
      awaitApplied("https", first);
      assertThat(profileInCluster("b")).isNotNull();

      // The password changes on the server side only: the fetch fails, b (deleted upstream) is not pruned.
      secret("git-auth", Map.of("username", "git", "password", "wrong"));
      work.delete("profiles/b.yaml");
      String second = work.commitAll("delete b");
      work.push(http.pushUrl("profiles"), "main");
      requestSync("https");
      String message = awaitFetchFailed("https", "authentication failed");
      assertThat(message).contains("not authorized").contains("secret git-auth")
          .contains("last good revision " + first + " stays applied").doesNotContain("wrong");
      ProfileSource failed = get("https");
      assertThat(failed.getStatus().getLastAppliedRevision()).isEqualTo(first);
      assertThat(Conditions.isTrue(failed.getStatus().getConditions(), "Stalled")).isFalse(); // it heals on a later try
      assertThat(profileInCluster("a")).isNotNull();
      assertThat(profileInCluster("b")).isNotNull();
      assertThat(http.requests()).anyMatch(r -> r.endsWith("-> 401"));

      secret("git-auth", Map.of("username", "git", "password", "s3cr3t"));
      requestSync("https");
      awaitApplied("https", second);
      assertThat(profileInCluster("b")).isNull();
    }
  }

  @Test
  void anOutageKeepsWhatWasAppliedAndTheNextIntervalRecovers() throws IOException {
    GitHttpServer.assumeAvailable();
    try (GitHttpServer http = GitHttpServer.start("git", "s3cr3t")) {
      Path bare = http.createBareRepo("profiles");
      work.write("profiles/a.yaml", profile("a", "SCMP_ACT_ALLOW"));
      String first = work.commitAll("a");
      work.push(http.pushUrl("profiles"), "main");
      secret("git-auth", Map.of("username", "git", "password", "s3cr3t"));
      source("outage", http.url("profiles"), "git-auth", "2s"); // no trigger below: the interval syncs again
      awaitApplied("outage", first);

      http.stop();
      work.write("profiles/b.yaml", profile("b", "SCMP_ACT_ALLOW"));
      String second = work.commitAll("add b");
      work.push(bare.toString(), "main"); // straight into the repository: the server is down
      String message = awaitFetchFailed("outage", "Connection refused");
      assertThat(message).contains("last good revision " + first + " stays applied").doesNotContain("authentication");
      assertThat(get("outage").getStatus().getLastAppliedRevision()).isEqualTo(first);
      assertThat(profileInCluster("a")).isNotNull();
      assertThat(profileInCluster("b")).isNull();

      http.restart();
      awaitApplied("outage", second);
      assertThat(profileInCluster("b")).isNotNull();
    }
  }

  @Test
  void aForcePushedHistoryIsAppliedAndWhatOnlyTheDiscardedCommitsHeldIsPruned() throws IOException {
    GitHttpServer.assumeAvailable();
    try (GitHttpServer http = GitHttpServer.start("git", "s3cr3t")) {
      http.createBareRepo("profiles");
      secret("git-auth", Map.of("username", "git", "password", "s3cr3t"));
      work.write("profiles/a.yaml", profile("a", "SCMP_ACT_ALLOW"));
      String base = work.commitAll("a");
      work.write("profiles/c.yaml", profile("c", "SCMP_ACT_ALLOW"));
      String discarded = work.commitAll("c, soon discarded");
      work.push(http.pushUrl("profiles"), "main");
      source("rewritten", http.url("profiles"), "git-auth", "1h");
      awaitApplied("rewritten", discarded);
      assertThat(profileInCluster("c")).isNotNull();

      work.git("reset", "--quiet", "--hard", base);
      work.write("profiles/d.yaml", profile("d", "SCMP_ACT_ALLOW"));
      String rewritten = work.commitAll("d instead of c");
      work.forcePush(http.pushUrl("profiles"), "main");
      requestSync("rewritten");
      awaitApplied("rewritten", rewritten);
      assertThat(profileInCluster("c")).isNull();
      assertThat(profileInCluster("d")).isNotNull();
      assertThat(profileInCluster("a")).isNotNull();
      assertThat(get("rewritten").getStatus().getInventory()).extracting(e -> e.getName()).containsExactly("a", "d");
    }
  }

  @Test
  void sshWithAnIdentityAndKnownHostsApplies() throws IOException {
    SshGitServer.assumeAvailable();
    try (SshGitServer ssh = SshGitServer.start()) {
      Path bare = ssh.createBareRepo("profiles");
      work.write("profiles/a.yaml", profile("a", "SCMP_ACT_ALLOW"));
      String first = work.commitAll("a");
      work.push(bare.toString(), "main");
      secret("git-ssh", Map.of("identity", ssh.clientPrivateKey(), "known_hosts", ssh.knownHostsLine() + "\n"));
      source("ssh", ssh.url("profiles"), "git-ssh", "1h");
      awaitApplied("ssh", first);

      work.write("profiles/b.yaml", profile("b", "SCMP_ACT_ALLOW"));
      String second = work.commitAll("b");
      work.push(bare.toString(), "main");
      requestSync("ssh");
      awaitApplied("ssh", second);
      assertThat(profileInCluster("b")).isNotNull();
      assertThat(ssh.log()).contains("Accepted publickey for root");
    }
  }

  @Test
  void sshWithAWrongKnownHostsEntryFailsNamingTheHostKey() throws Exception {
    SshGitServer.assumeAvailable();
    try (SshGitServer ssh = SshGitServer.start()) {
      Path bare = ssh.createBareRepo("profiles");
      work.write("profiles/a.yaml", profile("a", "SCMP_ACT_ALLOW"));
      String first = work.commitAll("a");
      work.push(bare.toString(), "main");
      // The client's own key stands in for another host key at this address.
      String wrongKey = "[127.0.0.1]:" + ssh.port() + " " + ssh.clientPublicKey().split(" ")[0] + " "
          + ssh.clientPublicKey().split(" ")[1];
      secret("git-ssh", Map.of("identity", ssh.clientPrivateKey(), "known_hosts", wrongKey));
      source("ssh", ssh.url("profiles"), "git-ssh", "1h");
      String message = awaitFetchFailed("ssh", "host key of [127.0.0.1]:" + ssh.port() + " has changed");
      assertThat(message).contains("known_hosts of secret git-ssh");
      assertThat(get("ssh").getStatus().getLastAppliedRevision()).isNull();
      assertThat(profileInCluster("a")).isNull();
      assertThat(ssh.log()).doesNotContain("Accepted publickey");

      secret("git-ssh", Map.of("identity", ssh.clientPrivateKey(), "known_hosts", ssh.knownHostsLine()));
      requestSync("ssh");
      awaitApplied("ssh", first);
      assertThat(profileInCluster("a")).isNotNull();
    }
  }
}
