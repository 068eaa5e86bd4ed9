package dev.profileops.recorder.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.profileops.host.seccomp.FakeSyscallTable;
import dev.profileops.syncer.forge.Forge;
import dev.profileops.syncer.git.GitTransport;
import dev.profileops.testsupport.DockerEngine;
import dev.profileops.testsupport.GiteaServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The publisher against a real Gitea in a container: the branch pushed over http, the pull request
 * opened through Gitea's API and updated (same number) by the next recording; and AGit's API-free push.
 *
 * <p>Needs a Docker engine. Without one each test is skipped through an assumption whose message says
 * why (it shows in the Surefire report), as the syncer's Gitea commit-status test does.
 */
class GiteaPublishContainerTest {
  static GiteaServer gitea;
  static Optional<String> noDocker;

  @TempDir Path work;

  @BeforeEach
  void requireDockerAndGitea() throws Exception {
    if (noDocker == null) {
      noDocker = DockerEngine.unavailableReason();
    }
    assumeTrue(noDocker.isEmpty(), () -> "Docker is not available: " + noDocker.orElse("")
        + "; skipping the pull request test against a real Gitea (" + GiteaServer.IMAGE + ")");
    if (gitea == null) {
      gitea = GiteaServer.start();
    }
  }

  @AfterAll
  static void stopGitea() {
    if (gitea != null) {
      gitea.close();
    }
  }

  @Test
  void opensThePullRequestAndUpdatesItOnTheNextRecording() throws Exception {
    String repo = "profiles-api";
    gitea.api("POST", "/api/v1/user/repos", "{\"name\":\"" + repo + "\",\"auto_init\":true,\"default_branch\":\"main\"}", 201);
    String token = gitea.api("POST", "/api/v1/users/" + GiteaServer.USER + "/tokens",
        "{\"name\":\"recorder\",\"scopes\":[\"write:repository\"]}", 201).get("sha1").asText();
    String url = gitea.web() + "/" + GiteaServer.USER + "/" + repo + ".git";
    RecordingPublisher publisher = new RecordingPublisher(work, FakeSyscallTable.common());

    PublishResult first = publisher.publish(request(url, token, List.of("read", "openat")));
    PublishResult second = publisher.publish(request(url, token, List.of("read", "futex")));

    assertThat(first.pullRequest().orElseThrow().created()).isTrue();
    assertThat(second.pullRequest().orElseThrow().created()).isFalse();
    long number = first.pullRequest().get().number();
    assertThat(second.pullRequest().get().number()).isEqualTo(number);
    JsonNode pull = gitea.api("GET", "/api/v1/repos/" + GiteaServer.USER + "/" + repo + "/pulls/" + number, null, 200);
    assertThat(pull.path("head").path("ref").asText()).isEqualTo("profileops/recording/rec-nginx");
    assertThat(pull.path("head").path("sha").asText()).isEqualTo(second.commit().orElseThrow());
    assertThat(pull.path("base").path("ref").asText()).isEqualTo("main");
    assertThat(pull.path("title").asText()).isEqualTo("Recorded seccomp profile rec-nginx (+2 -0 syscalls)");
    assertThat(pull.path("body").asText()).contains("| `futex` | added |", "seccomp/rec-nginx.yaml");
  }

  @Test
  void agitPushOpensAPullRequestWithoutTheApi() throws Exception {
    String repo = "profiles-agit";
    gitea.api("POST", "/api/v1/user/repos", "{\"name\":\"" + repo + "\",\"auto_init\":true,\"default_branch\":\"main\"}", 201);
    String url = gitea.web() + "/" + GiteaServer.USER + "/" + repo + ".git";
    PublishRequest request = PublishRequest.builder(url, "rec", "nginx")
        .transport(adminTransport())
        .pullRequest(new PullRequestTarget.AGit())
        .profiles(List.of(RecordingPublisherTest.profile("nginx", List.of("read", "write"))))
        .build();

    PublishResult result = new RecordingPublisher(work, FakeSyscallTable.common()).publish(request);

    assertThat(result.pushedRef()).contains("refs/for/main/profileops-recording-rec-nginx");
    JsonNode pulls = gitea.api("GET", "/api/v1/repos/" + GiteaServer.USER + "/" + repo + "/pulls?state=open", null, 200);
    assertThat(pulls).singleElement().satisfies(pull -> {
      assertThat(pull.path("title").asText()).isEqualTo("Recorded seccomp profile rec-nginx (+2 -0 syscalls)");
      assertThat(pull.path("body").asText()).contains("| `write` | added |");
      assertThat(pull.path("head").path("sha").asText()).isEqualTo(result.commit().orElseThrow());
    });
  }

  private static PublishRequest request(String url, String token, List<String> syscalls) {
    return PublishRequest.builder(url, "rec", "nginx")
        .transport(adminTransport())
        .pullRequest(new PullRequestTarget.ForgeApi(Forge.GITEA, token, Optional.empty()))
        .profiles(List.of(RecordingPublisherTest.profile("nginx", syscalls)))
        .build();
  }

  private static GitTransport adminTransport() {
    return GitTransport.https(new UsernamePasswordCredentialsProvider(GiteaServer.USER, GiteaServer.PASSWORD), "test admin");
  }
}
