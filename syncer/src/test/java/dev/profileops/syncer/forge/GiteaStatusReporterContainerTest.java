package dev.profileops.syncer.forge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.profileops.testsupport.DockerEngine;
import dev.profileops.testsupport.GiteaServer;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.utility.DockerImageName;

/**
 * The Gitea reporter against a real Gitea in a container: an admin user made with {@code gitea admin
 * user create}, a repository and an access token made through Gitea's API, then statuses posted by
 * {@link GiteaStatusReporter} and read back through the API.
 *
 * <p>Needs a Docker engine. Without one the whole class is skipped through an assumption whose message
 * says why (it shows in the Surefire report), and the check gives up after {@value #DOCKER_CHECK_SECONDS} s
 * so a half-present engine cannot hang the build.
 */
class GiteaStatusReporterContainerTest {
  static final DockerImageName IMAGE = GiteaServer.IMAGE;
  static final int DOCKER_CHECK_SECONDS = DockerEngine.CHECK_SECONDS;
  static final String USER = GiteaServer.USER;
  static final String REPO = "seccomp-profiles";
  static final ObjectMapper JSON = new ObjectMapper();

  static GiteaServer gitea;
  static URI web;

  /** Checked once for the class; empty when Docker is there. */
  static Optional<String> noDocker;

  @BeforeEach
  void requireDockerAndGitea() throws Exception {
    if (noDocker == null) {
      noDocker = whyDockerIsUnavailable();
    }
    // In @BeforeEach, not @BeforeAll: Surefire then lists each test as skipped with this reason.
    assumeTrue(noDocker.isEmpty(), () -> "Docker is not available: " + noDocker.orElse("")
        + "; skipping the Gitea commit-status test against a real Gitea (" + IMAGE + ")");
    if (gitea == null) {
      startGitea();
    }
  }

  static void startGitea() throws Exception {
    gitea = GiteaServer.start();
    web = gitea.web();
  }

  @AfterAll
  static void stopGitea() {
    if (gitea != null) {
      gitea.close();
    }
  }

  @Test
  void postsStatusesThatGiteaShowsOnTheCommit() throws Exception {
    JsonNode repo = basicAuth("POST", "/api/v1/user/repos",
        "{\"name\":\"" + REPO + "\",\"auto_init\":true,\"default_branch\":\"main\",\"private\":true}", 201);
    assertThat(repo.get("full_name").asText()).isEqualTo(USER + "/" + REPO);
    String token = basicAuth("POST", "/api/v1/users/" + USER + "/tokens",
        "{\"name\":\"profileops-status\",\"scopes\":[\"write:repository\"]}", 201).get("sha1").asText();
    String sha = basicAuth("GET", "/api/v1/repos/" + USER + "/" + REPO + "/branches/main", null, 200)
        .get("commit").get("id").asText();

    // The clone URL as a user would paste it; the API base follows its http scheme and port.
    ForgeRepository target = ForgeRepository.parse(Forge.GITEA, web + "/" + USER + "/" + REPO + ".git");
    assertThat(target.apiBase()).isEqualTo(URI.create(web + "/api/v1"));
    CommitStatusReporter reporter = CommitStatusReporters.forProvider("gitea", token, Optional.empty());

    reporter.report(target, sha, CommitStatus.pending("syncing"));
    reporter.report(target, sha, CommitStatus.failure("2 errors: web.yaml:4: unknown syscall 'opn'; db.yaml:9: missing")
        .withTargetUrl("https://profileops.example/runs/1"));

    JsonNode statuses = basicAuth("GET", "/api/v1/repos/" + USER + "/" + REPO + "/commits/" + sha + "/statuses", null, 200);
    List<String> seen = new ArrayList<>();
    JsonNode failure = null;
    for (JsonNode s : statuses) {
      String state = s.has("status") ? s.get("status").asText() : s.get("state").asText();
      seen.add(state);
      if (state.equals("failure")) {
        failure = s;
      }
    }
    assertThat(seen).containsExactlyInAnyOrder("pending", "failure");
    assertThat(failure.get("context").asText()).isEqualTo("profileops/sync");
    assertThat(failure.get("description").asText()).isEqualTo("2 errors: web.yaml:4: unknown syscall 'opn'; db.yaml:9: missing");
    assertThat(failure.get("target_url").asText()).isEqualTo("https://profileops.example/runs/1");

    reporter.report(target, sha, CommitStatus.success("applied 3 objects"));
    JsonNode combined = basicAuth("GET", "/api/v1/repos/" + USER + "/" + REPO + "/commits/" + sha + "/status", null, 200);
    assertThat(combined.get("state").asText()).isEqualTo("success");
  }

  @Test
  void aWrongTokenIsRefusedWithoutEchoingIt() throws Exception {
    basicAuth("POST", "/api/v1/user/repos", "{\"name\":\"other\",\"auto_init\":true,\"default_branch\":\"main\"}", 201);
    String sha = basicAuth("GET", "/api/v1/repos/" + USER + "/other/branches/main", null, 200).get("commit").get("id").asText();
    String wrong = "0000000000000000000000000000000000000bad";
    ForgeRepository target = ForgeRepository.parse(Forge.GITEA, web + "/" + USER + "/other.git");

    ForgeException e = catchThrowableOfType(
        () -> new GiteaStatusReporter(wrong).report(target, sha, CommitStatus.success("ok")), ForgeException.class);

    assertThat(e.statusCode().orElse(-1)).isIn(401, 403);
    assertThat(e.getMessage()).doesNotContain(wrong);
  }

  private static JsonNode basicAuth(String method, String path, String body, int expected) throws Exception {
    return gitea.api(method, path, body, expected);
  }

  /** Empty when Testcontainers finds a working Docker engine; else what was looked at. */
  static Optional<String> whyDockerIsUnavailable() {
    return DockerEngine.unavailableReason();
  }
}
