package dev.profileops.syncer.forge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.ExecConfig;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
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
  static final DockerImageName IMAGE = DockerImageName.parse("gitea/gitea:1.24.6");
  static final int DOCKER_CHECK_SECONDS = 20;
  static final String USER = "profileops";
  static final String PASSWORD = "profileops-Test-pw1";
  static final String REPO = "seccomp-profiles";
  static final ObjectMapper JSON = new ObjectMapper();

  static GenericContainer<?> gitea;
  static URI web;
  static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();

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
    GenericContainer<?> container = new GenericContainer<>(IMAGE)
        .withEnv("GITEA__database__DB_TYPE", "sqlite3")
        .withEnv("GITEA__security__INSTALL_LOCK", "true")
        .withEnv("GITEA__service__DISABLE_REGISTRATION", "true")
        .withEnv("GITEA__repository__DEFAULT_BRANCH", "main")
        .withExposedPorts(3000)
        .waitingFor(Wait.forHttp("/api/v1/version").forPort(3000).forStatusCode(200)
            .withStartupTimeout(Duration.ofMinutes(3)));
    gitea = container;
    container.start();
    web = URI.create("http://" + container.getHost() + ":" + container.getMappedPort(3000));

    ExecResult created = container.execInContainer(ExecConfig.builder()
        .user("git")
        .workDir("/data/gitea")
        .command(new String[] {"gitea", "admin", "user", "create", "--config", "/data/gitea/conf/app.ini",
            "--admin", "--username", USER, "--password", PASSWORD, "--email", USER + "@example.com",
            "--must-change-password=false"})
        .build());
    assertThat(created.getExitCode()).as("gitea admin user create: %s %s", created.getStdout(), created.getStderr())
        .isZero();
  }

  @AfterAll
  static void stopGitea() {
    if (gitea != null) {
      gitea.stop();
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
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(web + path))
        .timeout(Duration.ofSeconds(30))
        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
            (USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)))
        .header("Accept", "application/json");
    if (body == null) {
      request.GET();
    } else {
      request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
    }
    HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("%s %s: %s", method, path, response.body()).isEqualTo(expected);
    return JSON.readTree(response.body());
  }

  /** Empty when Testcontainers finds a working Docker engine; else what was looked at. */
  static Optional<String> whyDockerIsUnavailable() {
    CompletableFuture<Boolean> check = CompletableFuture.supplyAsync(() -> {
      try {
        return DockerClientFactory.instance().isDockerAvailable();
      } catch (RuntimeException | LinkageError e) {
        return false;
      }
    });
    try {
      if (check.get(DOCKER_CHECK_SECONDS, TimeUnit.SECONDS)) {
        return Optional.empty();
      }
    } catch (TimeoutException e) {
      check.cancel(true);
      return Optional.of("Testcontainers found no Docker engine answering within " + DOCKER_CHECK_SECONDS + " s");
    } catch (Exception e) {
      return Optional.of("the Docker check failed: " + e);
    }
    String dockerHost = System.getenv("DOCKER_HOST");
    return Optional.of("Testcontainers found no working Docker environment (DOCKER_HOST "
        + (dockerHost == null ? "unset" : "=" + dockerHost) + ", /var/run/docker.sock "
        + (Files.exists(Path.of("/var/run/docker.sock")) ? "present but not answering" : "absent") + ")");
  }
}
