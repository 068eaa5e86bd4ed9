package dev.profileops.syncer.forge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.profileops.testsupport.RecordingForgeServer;
import dev.profileops.testsupport.RecordingForgeServer.Recorded;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * GitLab's documented "set commit pipeline status" contract: POST /api/v4/projects/:id/statuses/:sha
 * with :id the URL-encoded full path, state pending|running|success|failed|canceled|skipped, name
 * (or context), description, target_url; PRIVATE-TOKEN header.
 */
class GitLabStatusReporterTest {
  static final String TOKEN = "glpat-contractTestToken_123";
  static final String SHA = "18f3e63d05582537db6d183d9d557be09e1f90c8";
  static final ObjectMapper JSON = new ObjectMapper();

  RecordingForgeServer server;
  ForgeRepository repo;

  @BeforeEach
  void start() throws Exception {
    server = new RecordingForgeServer();
    repo = ForgeRepository.parse(Forge.GITLAB, "git@gitlab.example.com:platform/security/seccomp-profiles.git",
        Optional.of(server.uri("/api/v4")));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  GitLabStatusReporter reporter() {
    return new GitLabStatusReporter(TOKEN, Optional.empty(), HttpStatusReporter.defaultHttpClient(),
        Duration.ofSeconds(5), Duration.ofMillis(10));
  }

  @Test
  void postsTheDocumentedRequest() throws Exception {
    reporter().report(repo, SHA, CommitStatus.failure("1 error: web.yaml:4: unknown syscall 'opn'")
        .withTargetUrl("https://profileops.example/runs/3"));

    Recorded request = server.takeRequest();
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.rawPath()).isEqualTo("/api/v4/projects/platform%2Fsecurity%2Fseccomp-profiles/statuses/" + SHA);
    assertThat(request.header("PRIVATE-TOKEN")).isEqualTo(TOKEN);
    assertThat(request.header("Authorization")).isNull();
    assertThat(request.header("Content-Type")).isEqualTo("application/json");
    assertThat(JSON.readTree(request.body())).isEqualTo(JSON.readTree("{"
        + "\"state\":\"failed\","
        + "\"name\":\"profileops/sync\","
        + "\"description\":\"1 error: web.yaml:4: unknown syscall 'opn'\","
        + "\"target_url\":\"https://profileops.example/runs/3\"}"));
  }

  @ParameterizedTest
  @CsvSource({"PENDING,pending", "SUCCESS,success", "FAILURE,failed", "ERROR,failed"})
  void mapsEachStateToGitLabsWord(CommitStatus.State state, String expected) throws Exception {
    reporter().report(repo, SHA, new CommitStatus(state, "x"));

    assertThat(JSON.readTree(server.takeRequest().body()).get("state").asText()).isEqualTo(expected);
  }

  @Test
  void theSameStateAgainIsNotAnError() throws Exception {
    server.answer(400, "{\"message\":\"Cannot transition status via :enqueue from :pending "
        + "(Reason(s): Status cannot transition via \\\"enqueue\\\")\"}");

    reporter().report(repo, SHA, CommitStatus.pending("syncing"));

    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void anotherBadRequestIsAnError() {
    server.answer(400, "{\"error\":\"state does not have a valid value\"}");

    assertThatThrownBy(() -> reporter().report(repo, SHA, CommitStatus.success("ok")))
        .isInstanceOf(ForgeException.class)
        .hasMessageContaining("HTTP 400")
        .hasMessageContaining("state does not have a valid value");
  }

  @Test
  void aConflictIsTriedAgain() throws Exception {
    server.answer(409, "{\"message\":\"409 Conflict\"}");

    reporter().report(repo, SHA, CommitStatus.success("applied 1 object"));

    assertThat(server.requestCount()).isEqualTo(2);
  }

  @Test
  void aConflictThatStaysIsAnErrorAfterThreeTries() {
    server.answer(409, "{}").answer(409, "{}").answer(409, "{\"message\":\"409 Conflict\"}");

    assertThatThrownBy(() -> reporter().report(repo, SHA, CommitStatus.success("ok")))
        .isInstanceOf(ForgeException.class)
        .hasMessageContaining("HTTP 409");
    assertThat(server.requestCount()).isEqualTo(3);
  }

  @Test
  void descriptionIsCutTo255AndOverlongTargetUrlLeftOut() throws Exception {
    reporter().report(repo, SHA, CommitStatus.failure("x".repeat(300))
        .withTargetUrl("https://profileops.example/" + "p".repeat(300)));

    JsonNode body = JSON.readTree(server.takeRequest().body());
    assertThat(body.get("description").asText()).hasSize(255);
    assertThat(body.has("target_url")).isFalse();
  }

  @Test
  void aTopLevelProjectIsEncodedToo() throws Exception {
    ForgeRepository topLevel = ForgeRepository.parse(Forge.GITLAB, "https://gitlab.com/alice/profiles.git",
        Optional.of(server.uri("/api/v4")));

    reporter().report(topLevel, SHA, CommitStatus.success("ok"));

    assertThat(server.takeRequest().rawPath()).isEqualTo("/api/v4/projects/alice%2Fprofiles/statuses/" + SHA);
  }
}
