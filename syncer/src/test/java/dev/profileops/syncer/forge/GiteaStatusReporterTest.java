package dev.profileops.syncer.forge;

import static org.assertj.core.api.Assertions.assertThat;

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
 * Gitea's documented repoCreateStatus contract: POST /api/v1/repos/{owner}/{repo}/statuses/{sha},
 * CreateStatusOption {state, description, context, target_url}, "Authorization: token ...".
 */
class GiteaStatusReporterTest {
  static final String TOKEN = "0123456789abcdef0123456789abcdef01234567";
  static final String SHA = "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678";
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
    // A self-hosted Gitea on plain http: the API base follows the clone URL's scheme and port.
    String cloneUrl = "http://127.0.0.1:" + server.baseUri().getPort() + "/platform/seccomp-profiles.git";
    ForgeRepository repo = ForgeRepository.parse(Forge.GITEA, cloneUrl);
    assertThat(repo.apiBase()).isEqualTo(server.uri("/api/v1"));

    new GiteaStatusReporter(TOKEN).report(repo, SHA, CommitStatus.success("applied 12 objects")
        .withTargetUrl("https://profileops.example/runs/12"));

    Recorded request = server.takeRequest();
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.rawPath()).isEqualTo("/api/v1/repos/platform/seccomp-profiles/statuses/" + SHA);
    assertThat(request.header("Authorization")).isEqualTo("token " + TOKEN);
    assertThat(request.header("Content-Type")).isEqualTo("application/json");
    assertThat(request.header("Accept")).isEqualTo("application/json");
    assertThat(JSON.readTree(request.body())).isEqualTo(JSON.readTree("{"
        + "\"state\":\"success\","
        + "\"description\":\"applied 12 objects\","
        + "\"context\":\"profileops/sync\","
        + "\"target_url\":\"https://profileops.example/runs/12\"}"));
  }

  @ParameterizedTest
  @CsvSource({"PENDING,pending", "SUCCESS,success", "FAILURE,failure", "ERROR,error"})
  void mapsEachStateToGiteasWord(CommitStatus.State state, String expected) throws Exception {
    ForgeRepository repo = ForgeRepository.parse(Forge.GITEA, "ssh://git@gitea.example.com:2222/platform/profiles.git");
    assertThat(repo.apiBase()).hasToString("https://gitea.example.com/api/v1");

    new GiteaStatusReporter(TOKEN, Optional.of(server.uri("/api/v1"))).report(repo, SHA, new CommitStatus(state, "x"));

    Recorded request = server.takeRequest();
    assertThat(request.rawPath()).isEqualTo("/api/v1/repos/platform/profiles/statuses/" + SHA);
    assertThat(JSON.readTree(request.body()).get("state").asText()).isEqualTo(expected);
  }

  @Test
  void descriptionIsCutTo255Characters() throws Exception {
    ForgeRepository repo = ForgeRepository.parse(Forge.GITEA, "https://gitea.example.com/o/r", Optional.of(server.uri("/api/v1")));

    new GiteaStatusReporter(TOKEN).report(repo, SHA, CommitStatus.failure("e".repeat(1000)));

    assertThat(JSON.readTree(server.takeRequest().body()).get("description").asText()).hasSize(255).endsWith("...");
  }
}
