package dev.profileops.syncer.forge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.profileops.testsupport.RecordingForgeServer;
import dev.profileops.testsupport.RecordingForgeServer.Recorded;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * GitHub's documented "create a commit status" contract (REST API version 2022-11-28):
 * POST /repos/{owner}/{repo}/statuses/{sha}, JSON {state, target_url, description, context}.
 */
class GitHubStatusReporterTest {
  static final String TOKEN = "ghp_contractTestToken1234567890";
  static final String SHA = "6dcb09b5b57875f334f61aebed695e2e4193db5e";
  static final ObjectMapper JSON = new ObjectMapper();

  RecordingForgeServer server;

  @BeforeEach
  void start() throws Exception {
    server = new RecordingForgeServer();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void postsTheDocumentedRequest() throws Exception {
    ForgeRepository repo = ForgeRepository.parse(Forge.GITHUB, "https://github.com/octo-org/hello-world.git",
        Optional.of(server.baseUri()));
    CommitStatus status = CommitStatus.failure("2 errors: a.yaml:3: bad; b.yaml:9: worse")
        .withTargetUrl("https://ci.example.com/profileops/runs/7");

    new GitHubStatusReporter(TOKEN).report(repo, SHA, status);

    Recorded request = server.takeRequest();
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.rawPath()).isEqualTo("/repos/octo-org/hello-world/statuses/" + SHA);
    assertThat(request.rawQuery()).isNull();
    assertThat(request.header("Authorization")).isEqualTo("Bearer " + TOKEN);
    assertThat(request.header("Accept")).isEqualTo("application/vnd.github+json");
    assertThat(request.header("X-GitHub-Api-Version")).isEqualTo("2022-11-28");
    assertThat(request.header("Content-Type")).isEqualTo("application/json");
    assertThat(request.header("User-Agent")).startsWith("ProfileOps");
    assertThat(JSON.readTree(request.body())).isEqualTo(JSON.readTree("{"
        + "\"state\":\"failure\","
        + "\"description\":\"2 errors: a.yaml:3: bad; b.yaml:9: worse\","
        + "\"context\":\"profileops/sync\","
        + "\"target_url\":\"https://ci.example.com/profileops/runs/7\"}"));
  }

  @ParameterizedTest
  @CsvSource({"PENDING,pending", "SUCCESS,success", "FAILURE,failure", "ERROR,error"})
  void mapsEachStateToGitHubsWord(CommitStatus.State state, String expected) throws Exception {
    ForgeRepository repo = ForgeRepository.parse(Forge.GITHUB, "git@github.com:octo-org/hello-world.git");

    new GitHubStatusReporter(TOKEN, Optional.of(server.baseUri())).report(repo, SHA, new CommitStatus(state, "x"));

    assertThat(JSON.readTree(server.takeRequest().body()).get("state").asText()).isEqualTo(expected);
  }

  @Test
  void gitHubEnterpriseServerIsUnderApiV3() throws Exception {
    // The clone URL names ghe.example.com; the API base of the same shape points at the test server.
    ForgeRepository parsed = ForgeRepository.parse(Forge.GITHUB, "https://ghe.example.com/team/profiles");
    assertThat(parsed.apiBase()).hasToString("https://ghe.example.com/api/v3");
    ForgeRepository repo = parsed.withApiBase(server.uri("/api/v3"));

    new GitHubStatusReporter(TOKEN).report(repo, SHA, CommitStatus.success("applied 3 objects"));

    assertThat(server.takeRequest().rawPath()).isEqualTo("/api/v3/repos/team/profiles/statuses/" + SHA);
  }

  @Test
  void descriptionIsCutTo140Characters() throws Exception {
    ForgeRepository repo = ForgeRepository.parse(Forge.GITHUB, "https://github.com/o/r", Optional.of(server.baseUri()));

    new GitHubStatusReporter(TOKEN).report(repo, SHA, CommitStatus.failure("e".repeat(400)));

    String description = JSON.readTree(server.takeRequest().body()).get("description").asText();
    assertThat(description).hasSize(140).endsWith("...");
  }

  @Test
  void leavesOutWhatIsNotGiven() throws Exception {
    ForgeRepository repo = ForgeRepository.parse(Forge.GITHUB, "https://github.com/o/r", Optional.of(server.baseUri()));

    new GitHubStatusReporter(TOKEN).report(repo, SHA, new CommitStatus(CommitStatus.State.PENDING, "")
        .withContext("profileops/staging"));

    JsonNode body = JSON.readTree(server.takeRequest().body());
    assertThat(body).isEqualTo(JSON.readTree("{\"state\":\"pending\",\"context\":\"profileops/staging\"}"));
  }

  @Test
  void theReportersApiBaseOverridesTheRepositorys() throws Exception {
    ForgeRepository repo = ForgeRepository.parse(Forge.GITHUB, "https://github.com/o/r");
    assertThat(repo.apiBase()).hasToString("https://api.github.com");

    CommitStatusReporters.forProvider("github", TOKEN, Optional.of(server.uri("/gh/")))
        .report(repo, SHA, CommitStatus.success("ok"));

    assertThat(server.takeRequest().rawPath()).isEqualTo("/gh/repos/o/r/statuses/" + SHA);
  }
}
