package dev.profileops.recorder.forge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.profileops.syncer.forge.Forge;
import dev.profileops.syncer.forge.ForgeRepository;
import dev.profileops.testsupport.RecordingForgeServer;
import dev.profileops.testsupport.RecordingForgeServer.Recorded;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * GitLab's documented merge requests contract under /api/v4, the project by its URL-encoded path:
 * list the opened ones of the source branch, then PUT the one found (by iid), or POST a new one.
 */
class GitLabMergeRequestsTest {
  static final String TOKEN = "glpat-contractTestToken12345";
  static final ObjectMapper JSON = new ObjectMapper();
  static final PullRequest PR = new PullRequest("profileops/recording/rec-nginx", "main", "Recorded rec-nginx", "body");

  RecordingForgeServer server;
  ForgeRepository repo;

  @BeforeEach
  void start() throws Exception {
    server = new RecordingForgeServer();
    repo = ForgeRepository.parse(Forge.GITLAB, "git@gitlab.example.com:platform/security/profiles.git")
        .withApiBase(server.uri("/api/v4"));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void opensAMergeRequestWhenTheBranchHasNoOpenedOne() throws Exception {
    server.answer(200, "[]").answer(201, "{\"id\":9001,\"iid\":12,\"web_url\":\"https://gitlab.example.com/platform/security/profiles/-/merge_requests/12\"}");

    PullRequestRef ref = PullRequestClients.forForge(Forge.GITLAB, TOKEN, Optional.empty()).openOrUpdate(repo, PR);

    assertThat(ref).isEqualTo(new PullRequestRef(12, "https://gitlab.example.com/platform/security/profiles/-/merge_requests/12", true));
    Recorded list = server.takeRequest();
    assertThat(list.method()).isEqualTo("GET");
    assertThat(list.rawPath()).isEqualTo("/api/v4/projects/platform%2Fsecurity%2Fprofiles/merge_requests");
    assertThat(list.rawQuery())
        .isEqualTo("source_branch=profileops%2Frecording%2Frec-nginx&target_branch=main&state=opened");
    assertThat(list.header("PRIVATE-TOKEN")).isEqualTo(TOKEN);
    Recorded create = server.takeRequest();
    assertThat(create.method()).isEqualTo("POST");
    assertThat(create.rawPath()).isEqualTo("/api/v4/projects/platform%2Fsecurity%2Fprofiles/merge_requests");
    assertThat(create.header("PRIVATE-TOKEN")).isEqualTo(TOKEN);
    assertThat(JSON.readTree(create.body())).isEqualTo(JSON.createObjectNode().put("source_branch", PR.headBranch())
        .put("target_branch", "main").put("title", PR.title()).put("description", "body"));
  }

  @Test
  void updatesTheOpenedMergeRequestByItsIid() throws Exception {
    server.answer(200, "[{\"id\":9001,\"iid\":12,\"web_url\":\"https://gitlab.example.com/x/-/merge_requests/12\"}]")
        .answer(200, "{\"id\":9001,\"iid\":12,\"web_url\":\"https://gitlab.example.com/x/-/merge_requests/12\"}");

    PullRequestRef ref = PullRequestClients.forForge(Forge.GITLAB, TOKEN, Optional.empty()).openOrUpdate(repo, PR);

    assertThat(ref).isEqualTo(new PullRequestRef(12, "https://gitlab.example.com/x/-/merge_requests/12", false));
    server.takeRequest();
    Recorded update = server.takeRequest();
    assertThat(update.method()).isEqualTo("PUT");
    assertThat(update.rawPath()).isEqualTo("/api/v4/projects/platform%2Fsecurity%2Fprofiles/merge_requests/12");
    assertThat(update.header("PRIVATE-TOKEN")).isEqualTo(TOKEN);
    assertThat(JSON.readTree(update.body())).isEqualTo(JSON.createObjectNode().put("title", PR.title()).put("description", "body"));
  }
}
