package dev.profileops.recorder.forge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.profileops.syncer.forge.Forge;
import dev.profileops.syncer.forge.ForgeException;
import dev.profileops.syncer.forge.ForgeRepository;
import dev.profileops.testsupport.RecordingForgeServer;
import dev.profileops.testsupport.RecordingForgeServer.Recorded;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * GitHub's documented pulls contract (REST API version 2022-11-28): list the open pull requests of
 * {@code OWNER:BRANCH}, then PATCH the one found, or POST a new one.
 */
class GitHubPullRequestsTest {
  static final String TOKEN = "ghp_contractTestToken1234567890";
  static final ObjectMapper JSON = new ObjectMapper();
  static final PullRequest PR = new PullRequest("profileops/recording/rec-nginx", "main",
      "Recorded seccomp profile rec-nginx (+2 -1 syscalls)", "| Syscall | Change |\n|---|---|\n| `openat` | added |\n");

  RecordingForgeServer server;
  ForgeRepository repo;

  @BeforeEach
  void start() throws Exception {
    server = new RecordingForgeServer();
    repo = ForgeRepository.parse(Forge.GITHUB, "https://github.com/octo-org/profiles.git", Optional.of(server.baseUri()));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void opensAPullRequestWhenTheBranchHasNoOpenOne() throws Exception {
    server.answer(200, "[]").answer(201, "{\"number\":42,\"html_url\":\"https://github.com/octo-org/profiles/pull/42\"}");

    PullRequestRef ref = PullRequestClients.forForge(Forge.GITHUB, TOKEN, Optional.empty()).openOrUpdate(repo, PR);

    assertThat(ref).isEqualTo(new PullRequestRef(42, "https://github.com/octo-org/profiles/pull/42", true));
    Recorded list = server.takeRequest();
    assertThat(list.method()).isEqualTo("GET");
    assertThat(list.rawPath()).isEqualTo("/repos/octo-org/profiles/pulls");
    assertThat(list.rawQuery()).isEqualTo("head=octo-org%3Aprofileops%2Frecording%2Frec-nginx&state=open");
    assertGitHubHeaders(list);
    Recorded create = server.takeRequest();
    assertThat(create.method()).isEqualTo("POST");
    assertThat(create.rawPath()).isEqualTo("/repos/octo-org/profiles/pulls");
    assertThat(create.header("Content-Type")).isEqualTo("application/json");
    assertGitHubHeaders(create);
    assertThat(JSON.readTree(create.body())).isEqualTo(JSON.createObjectNode()
        .put("title", PR.title()).put("head", PR.headBranch()).put("base", "main").put("body", PR.description()));
  }

  @Test
  void updatesTheOpenPullRequestOfTheBranchInsteadOfOpeningAnother() throws Exception {
    server.answer(200, "[{\"number\":7,\"html_url\":\"https://github.com/octo-org/profiles/pull/7\",\"head\":{\"ref\":\""
        + PR.headBranch() + "\"}}]")
        .answer(200, "{\"number\":7,\"html_url\":\"https://github.com/octo-org/profiles/pull/7\"}");

    PullRequestRef ref = PullRequestClients.forForge(Forge.GITHUB, TOKEN, Optional.empty()).openOrUpdate(repo, PR);

    assertThat(ref).isEqualTo(new PullRequestRef(7, "https://github.com/octo-org/profiles/pull/7", false));
    assertThat(server.takeRequest().method()).isEqualTo("GET");
    Recorded update = server.takeRequest();
    assertThat(update.method()).isEqualTo("PATCH");
    assertThat(update.rawPath()).isEqualTo("/repos/octo-org/profiles/pulls/7");
    assertGitHubHeaders(update);
    assertThat(JSON.readTree(update.body())).isEqualTo(JSON.createObjectNode().put("title", PR.title()).put("body", PR.description()));
    assertThat(server.requestCount()).isZero();
  }

  @Test
  void aRefusalNamesTheCallAndCodeButNeverTheToken() throws Exception {
    server.answer(200, "[]").answer(422, "{\"message\":\"Validation Failed\",\"errors\":[{\"message\":\"No commits between main and "
        + PR.headBranch() + "\"}],\"echo\":\"" + TOKEN + "\"}");

    ForgeException e = catchThrowableOfType(
        () -> PullRequestClients.forForge(Forge.GITHUB, TOKEN, Optional.empty()).openOrUpdate(repo, PR), ForgeException.class);

    assertThat(e.statusCode()).hasValue(422);
    assertThat(e.getMessage()).contains("GitHub refused a pull request from " + PR.headBranch(), "POST",
        "/repos/octo-org/profiles/pulls", "HTTP 422", "No commits between").doesNotContain(TOKEN);
  }

  static void assertGitHubHeaders(Recorded request) {
    assertThat(request.header("Authorization")).isEqualTo("Bearer " + TOKEN);
    assertThat(request.header("Accept")).isEqualTo("application/vnd.github+json");
    assertThat(request.header("X-GitHub-Api-Version")).isEqualTo("2022-11-28");
    assertThat(request.header("User-Agent")).startsWith("ProfileOps");
  }
}
