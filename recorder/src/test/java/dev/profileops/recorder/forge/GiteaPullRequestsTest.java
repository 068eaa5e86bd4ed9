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
 * Gitea's (and Forgejo's) documented pulls contract under /api/v1: list the open pull requests (paged)
 * and pick the one whose head is the branch, then PATCH it, or POST a new one.
 */
class GiteaPullRequestsTest {
  static final String TOKEN = "0123456789abcdef0123456789abcdef01234567";
  static final ObjectMapper JSON = new ObjectMapper();
  static final PullRequest PR = new PullRequest("profileops/recording/rec-nginx", "main", "Recorded rec-nginx", "body");

  RecordingForgeServer server;
  ForgeRepository repo;

  @BeforeEach
  void start() throws Exception {
    server = new RecordingForgeServer();
    // The clone URL of a self-hosted Gitea on plain http: the API base follows its scheme and port.
    repo = ForgeRepository.parse(Forge.GITEA, server.baseUri() + "/platform/profiles.git");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void opensAPullRequestWhenNoOpenOneHasTheBranchAsHead() throws Exception {
    server.answer(200, "[" + pull(3, "someone-else/feature") + "]")
        .answer(201, pull(11, PR.headBranch()));

    PullRequestRef ref = PullRequestClients.forForge(Forge.GITEA, TOKEN, Optional.empty()).openOrUpdate(repo, PR);

    assertThat(ref).isEqualTo(new PullRequestRef(11, "http://gitea.example/platform/profiles/pulls/11", true));
    Recorded list = server.takeRequest();
    assertThat(list.method()).isEqualTo("GET");
    assertThat(list.rawPath()).isEqualTo("/api/v1/repos/platform/profiles/pulls");
    assertThat(list.rawQuery()).isEqualTo("state=open&limit=50&page=1");
    assertThat(list.header("Authorization")).isEqualTo("token " + TOKEN);
    Recorded create = server.takeRequest();
    assertThat(create.method()).isEqualTo("POST");
    assertThat(create.rawPath()).isEqualTo("/api/v1/repos/platform/profiles/pulls");
    assertThat(create.header("Authorization")).isEqualTo("token " + TOKEN);
    assertThat(create.header("Content-Type")).isEqualTo("application/json");
    assertThat(JSON.readTree(create.body())).isEqualTo(JSON.createObjectNode()
        .put("head", PR.headBranch()).put("base", "main").put("title", PR.title()).put("body", "body"));
  }

  @Test
  void updatesTheOpenPullRequestWhoseHeadIsTheBranch() throws Exception {
    server.answer(200, "[" + pull(3, "someone-else/feature") + "," + pull(9, PR.headBranch()) + "]")
        .answer(201, pull(9, PR.headBranch()));

    PullRequestRef ref = PullRequestClients.forForge(Forge.GITEA, TOKEN, Optional.empty()).openOrUpdate(repo, PR);

    assertThat(ref).isEqualTo(new PullRequestRef(9, "http://gitea.example/platform/profiles/pulls/9", false));
    server.takeRequest();
    Recorded update = server.takeRequest();
    assertThat(update.method()).isEqualTo("PATCH");
    assertThat(update.rawPath()).isEqualTo("/api/v1/repos/platform/profiles/pulls/9");
    assertThat(update.header("Authorization")).isEqualTo("token " + TOKEN);
    assertThat(JSON.readTree(update.body())).isEqualTo(JSON.createObjectNode().put("title", PR.title()).put("body", "body"));
  }

  @Test
  void looksAtTheNextPageWhenAPageIsFull() throws Exception {
    StringBuilder full = new StringBuilder("[");
    for (int i = 1; i <= GiteaPullRequests.PAGE_SIZE; i++) {
      full.append(i > 1 ? "," : "").append(pull(100 + i, "other-" + i));
    }
    server.answer(200, full.append("]").toString()).answer(200, "[" + pull(5, PR.headBranch()) + "]").answer(201, pull(5, PR.headBranch()));

    PullRequestRef ref = PullRequestClients.forForge(Forge.GITEA, TOKEN, Optional.empty()).openOrUpdate(repo, PR);

    assertThat(ref.number()).isEqualTo(5);
    assertThat(server.takeRequest().rawQuery()).isEqualTo("state=open&limit=50&page=1");
    assertThat(server.takeRequest().rawQuery()).isEqualTo("state=open&limit=50&page=2");
    assertThat(server.takeRequest().method()).isEqualTo("PATCH");
  }

  static String pull(int number, String head) {
    return "{\"number\":" + number + ",\"html_url\":\"http://gitea.example/platform/profiles/pulls/" + number
        + "\",\"head\":{\"ref\":\"" + head + "\"},\"base\":{\"ref\":\"main\"}}";
  }
}
