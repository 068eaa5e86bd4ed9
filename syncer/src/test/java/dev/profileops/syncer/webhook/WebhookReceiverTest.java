package dev.profileops.syncer.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.profileops.syncer.webhook.PushEvent.Forge;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A real receiver on 127.0.0.1, a free port, and the JDK's HTTP client; payloads shaped like each forge's. */
@Timeout(60)
class WebhookReceiverTest {
  private static final byte[] SECRET = "It's a Secret to Everybody".getBytes(StandardCharsets.UTF_8);
  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  /** Modelled on GitHub's documented push event payload (trimmed: commits, owner, sender). */
  static final String GITHUB_PUSH = """
      {
        "ref": "refs/heads/main",
        "before": "6113728f27ae82c7b1a177c8d03f9e96e0adf246",
        "after": "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c",
        "repository": {
          "id": 186853002,
          "node_id": "MDEwOlJlcG9zaXRvcnkxODY4NTMwMDI=",
          "name": "security-profiles",
          "full_name": "Acme/security-profiles",
          "private": false,
          "owner": {"name": "Acme", "login": "Acme", "id": 21031067, "type": "Organization"},
          "html_url": "https://github.com/Acme/security-profiles",
          "url": "https://github.com/Acme/security-profiles",
          "git_url": "git://github.com/Acme/security-profiles.git",
          "ssh_url": "git@github.com:Acme/security-profiles.git",
          "clone_url": "https://github.com/Acme/security-profiles.git",
          "svn_url": "https://github.com/Acme/security-profiles",
          "default_branch": "main",
          "master_branch": "main"
        },
        "pusher": {"name": "octocat", "email": "21031067+octocat@users.noreply.github.com"},
        "sender": {"login": "octocat", "id": 21031067, "type": "User"},
        "created": false,
        "deleted": false,
        "forced": false,
        "base_ref": null,
        "compare": "https://github.com/Acme/security-profiles/compare/6113728f27ae...0d1a26e67d8f",
        "commits": [
          {
            "id": "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c",
            "tree_id": "f9d2a07e9488b91af2641b26b9407fe22a451433",
            "distinct": true,
            "message": "seccomp: allow clock_nanosleep for web",
            "timestamp": "2024-05-14T15:34:45-07:00",
            "url": "https://github.com/Acme/security-profiles/commit/0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c",
            "author": {"name": "Mona Octocat", "email": "mona@example.com", "username": "octocat"},
            "committer": {"name": "GitHub", "email": "noreply@github.com", "username": "web-flow"},
            "added": [],
            "removed": [],
            "modified": ["seccomp/web.yaml"]
          }
        ],
        "head_commit": {"id": "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c", "message": "seccomp: allow clock_nanosleep for web"}
      }
      """;

  /** Modelled on the push event in Gitea's webhook documentation. */
  static final String GITEA_PUSH = """
      {
        "ref": "refs/heads/develop",
        "before": "28e1879d029cb852e4844d9c718537df08844e03",
        "after": "bffeb74224043ba2feb48d137756c8a9331c449a",
        "compare_url": "http://localhost:3000/gitea/webhooks/compare/28e1879d029cb852e4844d9c718537df08844e03...bffeb74224043ba2feb48d137756c8a9331c449a",
        "commits": [
          {
            "id": "bffeb74224043ba2feb48d137756c8a9331c449a",
            "message": "Webhooks Yay!",
            "url": "http://localhost:3000/gitea/webhooks/commit/bffeb74224043ba2feb48d137756c8a9331c449a",
            "author": {"name": "Gitea", "email": "someone@gitea.io", "username": "gitea"},
            "committer": {"name": "Gitea", "email": "someone@gitea.io", "username": "gitea"},
            "timestamp": "2017-03-13T13:52:11-04:00"
          }
        ],
        "repository": {
          "id": 140,
          "owner": {"id": 1, "login": "gitea", "full_name": "Gitea", "email": "someone@gitea.io", "username": "gitea"},
          "name": "webhooks",
          "full_name": "gitea/webhooks",
          "description": "",
          "private": false,
          "fork": false,
          "html_url": "http://localhost:3000/gitea/webhooks",
          "ssh_url": "ssh://gitea@localhost:2222/gitea/webhooks.git",
          "clone_url": "http://localhost:3000/gitea/webhooks.git",
          "website": "",
          "stars_count": 0,
          "forks_count": 1,
          "watchers_count": 1,
          "open_issues_count": 7,
          "default_branch": "master",
          "created_at": "2017-02-26T04:29:06-05:00",
          "updated_at": "2017-03-13T13:51:58-04:00"
        },
        "pusher": {"id": 1, "login": "gitea", "full_name": "Gitea", "email": "someone@gitea.io", "username": "gitea"},
        "sender": {"id": 1, "login": "gitea", "full_name": "Gitea", "email": "someone@gitea.io", "username": "gitea"}
      }
      """;

  /** Modelled on the push event in GitLab's webhook documentation. */
  static final String GITLAB_PUSH = """
      {
        "object_kind": "push",
        "event_name": "push",
        "before": "95790bf891e76fee5e1747ab589903a6a1f80f22",
        "after": "da1560886d4f094c3e6c9ef40349f7d38b5d27d7",
        "ref": "refs/heads/master",
        "ref_protected": true,
        "checkout_sha": "da1560886d4f094c3e6c9ef40349f7d38b5d27d7",
        "user_id": 4,
        "user_name": "John Smith",
        "user_username": "jsmith",
        "user_email": "john@example.com",
        "project_id": 15,
        "project": {
          "id": 15,
          "name": "Diaspora",
          "description": "",
          "web_url": "http://example.com/mike/diaspora",
          "avatar_url": null,
          "git_ssh_url": "git@example.com:mike/diaspora.git",
          "git_http_url": "http://example.com/mike/diaspora.git",
          "namespace": "Mike",
          "visibility_level": 0,
          "path_with_namespace": "mike/diaspora",
          "default_branch": "master",
          "homepage": "http://example.com/mike/diaspora",
          "url": "git@example.com:mike/diaspora.git",
          "ssh_url": "git@example.com:mike/diaspora.git",
          "http_url": "http://example.com/mike/diaspora.git"
        },
        "repository": {
          "name": "Diaspora",
          "url": "git@example.com:mike/diaspora.git",
          "description": "",
          "homepage": "http://example.com/mike/diaspora",
          "git_http_url": "http://example.com/mike/diaspora.git",
          "git_ssh_url": "git@example.com:mike/diaspora.git",
          "visibility_level": 0
        },
        "commits": [
          {
            "id": "da1560886d4f094c3e6c9ef40349f7d38b5d27d7",
            "message": "fixed readme",
            "title": "fixed readme",
            "timestamp": "2012-01-03T23:36:29+02:00",
            "url": "http://example.com/mike/diaspora/commit/da1560886d4f094c3e6c9ef40349f7d38b5d27d7",
            "author": {"name": "GitLab dev user", "email": "gitlabdev@dv6700.(none)"},
            "added": ["CHANGELOG"],
            "modified": ["app/controller/application.rb"],
            "removed": []
          }
        ],
        "total_commits_count": 1
      }
      """;

  /** Modelled on GitHub's ping event, sent when a webhook is created. */
  static final String GITHUB_PING = """
      {
        "zen": "Encourage flow.",
        "hook_id": 2472869,
        "hook": {"type": "Repository", "id": 2472869, "name": "web", "active": true, "events": ["push"],
                 "config": {"content_type": "json", "insecure_ssl": "0", "url": "https://profileops.example.com/hooks/github"}},
        "repository": {"id": 186853002, "full_name": "Acme/security-profiles"},
        "sender": {"login": "octocat", "id": 21031067}
      }
      """;

  private final List<PushEvent> triggered = new CopyOnWriteArrayList<>();
  private final List<WebhookReceiver> receivers = new ArrayList<>();
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @AfterEach
  void stopReceivers() {
    receivers.forEach(WebhookReceiver::close);
  }

  // --- a valid push from each forge triggers once, with what the payload says ---

  @Test
  void githubPushTriggersOnceWithItsUrlsRefAndCommit() throws Exception {
    WebhookReceiver receiver = start();
    byte[] body = bytes(GITHUB_PUSH);

    HttpResponse<String> response = post(receiver, "/hooks/github", body,
        "X-GitHub-Event", "push", "X-GitHub-Delivery", "72d3162e-cc78-11e3-81ab-4c9367dc0958",
        "X-Hub-Signature-256", "sha256=" + hmacHex(SECRET, body), "Content-Type", "application/json");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("{\"triggered\": 1}");
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(triggered).containsExactly(new PushEvent(Forge.GITHUB, List.of(
        "https://github.com/Acme/security-profiles.git",
        "git@github.com:Acme/security-profiles.git",
        "git://github.com/Acme/security-profiles.git",
        "https://github.com/Acme/security-profiles"), "refs/heads/main", "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c"));
    assertThat(triggered.get(0).matches("ssh://git@github.com/acme/security-profiles", "main")).isTrue();
  }

  @Test
  void giteaPushWithGiteaSignatureTriggersOnce() throws Exception {
    WebhookReceiver receiver = start();
    byte[] body = bytes(GITEA_PUSH);

    HttpResponse<String> response = post(receiver, "/hooks/gitea", body,
        "X-Gitea-Event", "push", "X-Gitea-Delivery", "f6266f16-1bf3-46a5-9ea4-602e06ead473",
        "X-Gitea-Signature", hmacHex(SECRET, body), "Content-Type", "application/json");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("{\"triggered\": 1}");
    assertThat(triggered).containsExactly(new PushEvent(Forge.GITEA, List.of(
        "http://localhost:3000/gitea/webhooks.git",
        "ssh://gitea@localhost:2222/gitea/webhooks.git",
        "http://localhost:3000/gitea/webhooks"), "refs/heads/develop", "bffeb74224043ba2feb48d137756c8a9331c449a"));
  }

  @Test
  void giteaAlsoAcceptsTheGithubStyleSignature() throws Exception {
    WebhookReceiver receiver = start();
    byte[] body = bytes(GITEA_PUSH);

    HttpResponse<String> response = post(receiver, "/hooks/gitea", body,
        "X-Gitea-Event", "push", "X-Hub-Signature-256", "sha256=" + hmacHex(SECRET, body));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(triggered).hasSize(1);
  }

  @Test
  void gitlabPushWithTokenTriggersOnce() throws Exception {
    WebhookReceiver receiver = start();

    HttpResponse<String> response = post(receiver, "/hooks/gitlab", bytes(GITLAB_PUSH),
        "X-Gitlab-Event", "Push Hook", "X-Gitlab-Token", new String(SECRET, StandardCharsets.UTF_8),
        "X-Gitlab-Event-UUID", "4c4e1bd8-1f7a-4a2e-9d7c-2b6c1f0e9a11", "Content-Type", "application/json");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("{\"triggered\": 1}");
    assertThat(triggered).containsExactly(new PushEvent(Forge.GITLAB, List.of(
        "http://example.com/mike/diaspora.git",
        "git@example.com:mike/diaspora.git",
        "http://example.com/mike/diaspora"), "refs/heads/master", "da1560886d4f094c3e6c9ef40349f7d38b5d27d7"));
  }

  @Test
  void gitlabTagPushTriggers() throws Exception {
    WebhookReceiver receiver = start();
    String tagPush = GITLAB_PUSH.replace("\"object_kind\": \"push\"", "\"object_kind\": \"tag_push\"")
        .replace("refs/heads/master", "refs/tags/v1.0.0");

    HttpResponse<String> response = post(receiver, "/hooks/gitlab", bytes(tagPush),
        "X-Gitlab-Event", "Tag Push Hook", "X-Gitlab-Token", new String(SECRET, StandardCharsets.UTF_8));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(triggered).singleElement().satisfies(event -> {
      assertThat(event.ref()).isEqualTo("refs/tags/v1.0.0");
      assertThat(event.matches("https://example.com/mike/diaspora", "v1.0.0")).isTrue();
    });
  }

  @Test
  void replyCarriesHowManySourcesTheTriggerStarted() throws Exception {
    WebhookReceiver receiver = start(event -> 0);
    byte[] body = bytes(GITHUB_PUSH);

    HttpResponse<String> response = post(receiver, "/hooks/github", body,
        "X-GitHub-Event", "push", "X-Hub-Signature-256", "sha256=" + hmacHex(SECRET, body));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("{\"triggered\": 0}");
  }

  @Test
  void githubFormEncodedPayloadTriggers() throws Exception {
    WebhookReceiver receiver = start();
    byte[] body = bytes("payload=" + URLEncoder.encode(GITHUB_PUSH, StandardCharsets.UTF_8));

    HttpResponse<String> response = post(receiver, "/hooks/github", body,
        "X-GitHub-Event", "push", "X-Hub-Signature-256", "sha256=" + hmacHex(SECRET, body),
        "Content-Type", "application/x-www-form-urlencoded");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(triggered).singleElement().extracting(PushEvent::ref).isEqualTo("refs/heads/main");
  }

  // --- authentication: nothing is triggered without the secret ---

  @Test
  void forgedGithubSignatureIsRefused() throws Exception {
    WebhookReceiver receiver = start();
    byte[] body = bytes(GITHUB_PUSH);
    byte[] otherSecret = "not the secret".getBytes(StandardCharsets.UTF_8);

    assertThat(post(receiver, "/hooks/github", body, "X-GitHub-Event", "push",
        "X-Hub-Signature-256", "sha256=" + hmacHex(otherSecret, body)).statusCode()).isEqualTo(401);
    assertThat(post(receiver, "/hooks/github", body, "X-GitHub-Event", "push",
        "X-Hub-Signature-256", "sha256=" + "0".repeat(64)).statusCode()).isEqualTo(401);
    assertThat(post(receiver, "/hooks/github", body, "X-GitHub-Event", "push",
        "X-Hub-Signature-256", "sha256=not-hex").statusCode()).isEqualTo(401);
    assertThat(post(receiver, "/hooks/github", body, "X-GitHub-Event", "push",
        "X-Hub-Signature-256", hmacHex(SECRET, body)).statusCode()).as("without the sha256= prefix").isEqualTo(401);
    assertThat(triggered).isEmpty();
  }

  @Test
  void bodyChangedAfterSigningIsRefused() throws Exception {
    WebhookReceiver receiver = start();
    String signature = "sha256=" + hmacHex(SECRET, bytes(GITHUB_PUSH));
    byte[] tampered = bytes(GITHUB_PUSH.replace("refs/heads/main", "refs/heads/evil"));

    HttpResponse<String> response = post(receiver, "/hooks/github", tampered,
        "X-GitHub-Event", "push", "X-Hub-Signature-256", signature);

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.body()).doesNotContain("evil");
    assertThat(triggered).isEmpty();
  }

  @Test
  void forgedGiteaSignatureIsRefused() throws Exception {
    WebhookReceiver receiver = start();
    byte[] body = bytes(GITEA_PUSH);

    HttpResponse<String> response = post(receiver, "/hooks/gitea", body,
        "X-Gitea-Event", "push", "X-Gitea-Signature", hmacHex(bytes("guess"), body),
        "X-Hub-Signature-256", "sha256=" + hmacHex(SECRET, body));

    assertThat(response.statusCode()).as("a wrong X-Gitea-Signature is not rescued by another header").isEqualTo(401);
    assertThat(triggered).isEmpty();
  }

  @Test
  void wrongGitlabTokenIsRefused() throws Exception {
    WebhookReceiver receiver = start();
    String secret = new String(SECRET, StandardCharsets.UTF_8);

    for (String token : List.of("wrong-token", secret + "x", secret.substring(1), "")) {
      HttpResponse<String> response = post(receiver, "/hooks/gitlab", bytes(GITLAB_PUSH),
          "X-Gitlab-Event", "Push Hook", "X-Gitlab-Token", token);
      assertThat(response.statusCode()).as(token).isEqualTo(401);
    }
    assertThat(triggered).isEmpty();
  }

  @Test
  void missingSignatureOrTokenIsRefusedOnEveryEndpoint() throws Exception {
    WebhookReceiver receiver = start();

    HttpResponse<String> github = post(receiver, "/hooks/github", bytes(GITHUB_PUSH), "X-GitHub-Event", "push");
    HttpResponse<String> gitea = post(receiver, "/hooks/gitea", bytes(GITEA_PUSH), "X-Gitea-Event", "push");
    HttpResponse<String> gitlab = post(receiver, "/hooks/gitlab", bytes(GITLAB_PUSH), "X-Gitlab-Event", "Push Hook");
    HttpResponse<String> pingWithoutSignature = post(receiver, "/hooks/github", bytes(GITHUB_PING), "X-GitHub-Event", "ping");

    assertThat(List.of(github, gitea, gitlab, pingWithoutSignature)).allSatisfy(response -> {
      assertThat(response.statusCode()).isEqualTo(401);
      assertThat(response.body()).startsWith("{\"error\": ");
    });
    assertThat(triggered).isEmpty();
  }

  @Test
  void aSignatureFromOneEndpointDoesNotOpenAnother() throws Exception {
    WebhookReceiver receiver = start();
    byte[] body = bytes(GITLAB_PUSH);

    HttpResponse<String> response = post(receiver, "/hooks/gitlab", body,
        "X-Gitlab-Event", "Push Hook", "X-Hub-Signature-256", "sha256=" + hmacHex(SECRET, body));

    assertThat(response.statusCode()).as("GitLab proves the secret with its token only").isEqualTo(401);
    assertThat(triggered).isEmpty();
  }

  // --- size limit ---

  @Test
  void bodyOverTheLimitIsRefusedWith413() throws Exception {
    WebhookReceiver receiver = start(4096);
    byte[] body = bytes(GITHUB_PUSH + " ".repeat(6000));

    HttpResponse<String> response = post(receiver, "/hooks/github", body,
        "X-GitHub-Event", "push", "X-Hub-Signature-256", "sha256=" + hmacHex(SECRET, body));

    assertThat(body.length).isGreaterThan(4096);
    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(triggered).isEmpty();
  }

  @Test
  void chunkedBodyOverTheLimitIsRefusedWith413() throws Exception {
    WebhookReceiver receiver = start(4096);
    byte[] body = bytes(GITHUB_PUSH + " ".repeat(6000));
    HttpRequest request = HttpRequest.newBuilder(uri(receiver, "/hooks/github"))
        .header("X-GitHub-Event", "push")
        .header("X-Hub-Signature-256", "sha256=" + hmacHex(SECRET, body))
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))) // no length: chunked
        .build();

    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(triggered).isEmpty();
  }

  @Test
  void bodyOfExactlyTheLimitIsAccepted() throws Exception {
    byte[] body = bytes(GITHUB_PUSH);
    WebhookReceiver receiver = start(body.length);

    HttpResponse<String> response = post(receiver, "/hooks/github", body,
        "X-GitHub-Event", "push", "X-Hub-Signature-256", "sha256=" + hmacHex(SECRET, body));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(triggered).hasSize(1);
  }

  @Test
  void declaredLengthOverTheDefaultLimitIsRefusedBeforeAnyBodyArrives() throws Exception {
    WebhookReceiver receiver = new WebhookReceiver(new InetSocketAddress("127.0.0.1", 0), SECRET, this::record);
    receivers.add(receiver);
    receiver.start();

    try (Socket socket = new Socket("127.0.0.1", receiver.port())) {
      socket.setSoTimeout(10_000);
      // 1 MiB + 1 announced, nothing sent: the reply must not wait for the body.
      socket.getOutputStream().write(bytes("POST /hooks/github HTTP/1.1\r\nHost: localhost\r\nX-GitHub-Event: push\r\n"
          + "X-Hub-Signature-256: sha256=" + "0".repeat(64) + "\r\nContent-Length: " + (1024 * 1024 + 1) + "\r\n\r\n"));
      socket.getOutputStream().flush();

      assertThat(statusLine(socket.getInputStream())).startsWith("HTTP/1.1 413");
    }
    assertThat(triggered).isEmpty();
  }

  // --- events other than push ---

  @Test
  void pingIsAnsweredWithoutTriggering() throws Exception {
    WebhookReceiver receiver = start();
    byte[] body = bytes(GITHUB_PING);

    HttpResponse<String> response = post(receiver, "/hooks/github", body,
        "X-GitHub-Event", "ping", "X-Hub-Signature-256", "sha256=" + hmacHex(SECRET, body));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("{\"triggered\": 0}");
    assertThat(triggered).isEmpty();
  }

  @Test
  void otherEventsAreAcceptedAndIgnored() throws Exception {
    WebhookReceiver receiver = start();
    byte[] issue = bytes("{\"action\": \"opened\", \"issue\": {\"number\": 1}, \"repository\": {\"full_name\": \"Acme/security-profiles\"}}");
    byte[] mergeRequest = bytes("{\"object_kind\": \"merge_request\", \"project\": {\"web_url\": \"http://example.com/mike/diaspora\"}}");

    HttpResponse<String> github = post(receiver, "/hooks/github", issue,
        "X-GitHub-Event", "issues", "X-Hub-Signature-256", "sha256=" + hmacHex(SECRET, issue));
    HttpResponse<String> gitea = post(receiver, "/hooks/gitea", issue,
        "X-Gitea-Event", "issues", "X-Gitea-Signature", hmacHex(SECRET, issue));
    HttpResponse<String> gitlab = post(receiver, "/hooks/gitlab", mergeRequest,
        "X-Gitlab-Event", "Merge Request Hook", "X-Gitlab-Token", new String(SECRET, StandardCharsets.UTF_8));

    assertThat(List.of(github, gitea, gitlab)).allSatisfy(response -> {
      assertThat(response.statusCode()).isEqualTo(202);
      assertThat(response.body()).isEqualTo("{\"triggered\": 0}");
    });
    assertThat(triggered).isEmpty();
  }

  @Test
  void signedButUnparsableOrIncompletePayloadIs400() throws Exception {
    WebhookReceiver receiver = start();

    for (String payload : List.of("{\"ref\": \"refs/heads/main\", ", "[]", "", "{\"ref\": 1}",
        "{\"ref\": \"refs/heads/main\", \"repository\": {}}", "{\"ref\": \"refs/heads/main\"} trailing")) {
      byte[] body = bytes(payload);
      HttpResponse<String> response = post(receiver, "/hooks/github", body,
          "X-GitHub-Event", "push", "X-Hub-Signature-256", "sha256=" + hmacHex(SECRET, body));
      assertThat(response.statusCode()).as(payload).isEqualTo(400);
      assertThat(response.body()).as("no payload echoed").doesNotContain("refs/heads");
    }
    byte[] ok = bytes(GITHUB_PUSH);
    assertThat(post(receiver, "/hooks/github", ok, "X-Hub-Signature-256", "sha256=" + hmacHex(SECRET, ok)).statusCode())
        .as("no event header").isEqualTo(400);
    assertThat(triggered).isEmpty();
  }

  @Test
  void triggerFailureIs500() throws Exception {
    WebhookReceiver receiver = start(event -> {
      throw new IllegalStateException("reconciler is down");
    });
    byte[] body = bytes(GITHUB_PUSH);

    HttpResponse<String> response = post(receiver, "/hooks/github", body,
        "X-GitHub-Event", "push", "X-Hub-Signature-256", "sha256=" + hmacHex(SECRET, body));

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.body()).isEqualTo("{\"error\": \"trigger failed\"}");
  }

  // --- routing ---

  @Test
  void onlyPostOnTheThreeEndpoints() throws Exception {
    WebhookReceiver receiver = start();

    HttpResponse<String> get = client.send(HttpRequest.newBuilder(uri(receiver, "/hooks/github")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> put = client.send(HttpRequest.newBuilder(uri(receiver, "/hooks/gitlab"))
        .PUT(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> head = client.send(HttpRequest.newBuilder(uri(receiver, "/hooks/gitea"))
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> unknown = post(receiver, "/hooks/bitbucket", bytes("{}"));
    HttpResponse<String> prefix = post(receiver, "/hooks/githubx", bytes("{}"));
    HttpResponse<String> root = post(receiver, "/", bytes("{}"));

    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(get.headers().firstValue("Allow")).hasValue("POST");
    assertThat(put.statusCode()).isEqualTo(405);
    assertThat(head.statusCode()).isEqualTo(405);
    assertThat(List.of(unknown, prefix, root)).allSatisfy(response -> assertThat(response.statusCode()).isEqualTo(404));
    assertThat(triggered).isEmpty();
  }

  // --- slow clients ---

  @Test
  void slowBodyIsDroppedAtTheDeadlineAndFreesTheThread() throws Exception {
    WebhookReceiver receiver = new WebhookReceiver(new InetSocketAddress("127.0.0.1", 0), SECRET, this::record, 4096,
        Duration.ofMillis(300));
    receivers.add(receiver);
    receiver.start();
    byte[] body = bytes(GITHUB_PUSH);
    String head = "POST /hooks/github HTTP/1.1\r\nHost: localhost\r\nX-GitHub-Event: push\r\n"
        + "X-Hub-Signature-256: sha256=" + hmacHex(SECRET, body) + "\r\nContent-Length: " + body.length + "\r\n\r\n";

    // Both handler threads wait for bodies that stop after 20 bytes.
    List<CompletableFuture<Long>> slow = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      slow.add(CompletableFuture.supplyAsync(() -> secondsUntilClosed(receiver.port(), head, body, 20)));
    }
    Thread.sleep(100);
    long start = System.nanoTime();
    HttpResponse<String> meanwhile = post(receiver, "/hooks/github", body,
        "X-GitHub-Event", "push", "X-Hub-Signature-256", "sha256=" + hmacHex(SECRET, body));
    long waited = System.nanoTime() - start;

    assertThat(slow).allSatisfy(closedAfter -> assertThat(closedAfter.get()).isLessThan(2L));
    assertThat(meanwhile.statusCode()).isEqualTo(200);
    assertThat(Duration.ofNanos(waited)).isLessThan(Duration.ofSeconds(2));
    assertThat(triggered).as("only the complete request").hasSize(1);
  }

  @Test
  void slowHeadersAreCutWhenTheJvmSetsTheJdkRequestTimeLimit() throws Exception {
    // The JDK reads its limit once per JVM, and other tests here start HttpServers too: use a JVM of its own,
    // started the way the documentation says.
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-D" + WebhookReceiver.JDK_MAX_REQUEST_TIME_PROPERTY + "=1",
        "-cp", System.getProperty("java.class.path"), ReceiverMain.class.getName())
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    try {
      String line = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8)).readLine();
      assertThat(line).as("the port the child receiver prints").isNotNull();
      int port = Integer.parseInt(line.strip());

      long closedAfter = secondsUntilClosed(port, "POST /hooks/github HTTP/1.1\r\nHost: localhost\r\nX-Git", new byte[0], 0);

      // 1 s limit, checked every second by the JDK; room for a loaded machine.
      assertThat(closedAfter).isLessThanOrEqualTo(4);
    } finally {
      child.destroy();
      child.waitFor();
    }
  }

  // --- logs ---

  @Test
  void logsHoldNoSecretSignatureOrPayload() throws Exception {
    WebhookReceiver receiver = start(event -> {
      throw new IllegalStateException("reconciler is down");
    });
    byte[] body = bytes(GITHUB_PUSH);
    String signature = hmacHex(SECRET, body);
    String token = new String(SECRET, StandardCharsets.UTF_8);
    PrintStream originalErr = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      post(receiver, "/hooks/github", body, "X-GitHub-Event", "push", "X-Hub-Signature-256", "sha256=" + signature);
      post(receiver, "/hooks/github", bytes(GITHUB_PUSH + " "), "X-GitHub-Event", "push", "X-Hub-Signature-256", "sha256=" + signature);
      post(receiver, "/hooks/gitlab", bytes(GITLAB_PUSH), "X-Gitlab-Event", "Push Hook", "X-Gitlab-Token", token);
      post(receiver, "/hooks/gitlab", bytes(GITLAB_PUSH), "X-Gitlab-Event", "Push Hook", "X-Gitlab-Token", token + "-guess");
      byte[] broken = bytes("{\"ref\": \"refs/heads/main\", \"password\": \"hunter2\"");
      post(receiver, "/hooks/github", broken, "X-GitHub-Event", "push", "X-Hub-Signature-256", "sha256=" + hmacHex(SECRET, broken));
    } finally {
      System.setErr(originalErr);
    }

    String logs = captured.toString(StandardCharsets.UTF_8);
    assertThat(logs).as("the requests were logged").contains("refused a request", "triggering the sources");
    assertThat(logs).doesNotContain(token, signature, "seccomp: allow clock_nanosleep", "hunter2", "fixed readme", "john@example.com");
  }

  // --- life cycle ---

  @Test
  void stopsAndFreesThePort() throws Exception {
    WebhookReceiver receiver = start();
    int port = receiver.port();
    assertThat(port).isPositive();

    receiver.close();
    receiver.close();

    assertThatThrownBy(() -> post(port, "/hooks/github", bytes("{}"))).isInstanceOf(IOException.class);
    assertThatThrownBy(receiver::start).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void rejectsEmptySecretAndSillyLimits() {
    InetSocketAddress address = new InetSocketAddress("127.0.0.1", 0);
    assertThatThrownBy(() -> new WebhookReceiver(address, new byte[0], this::record)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new WebhookReceiver(address, null, this::record)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new WebhookReceiver(address, SECRET, this::record, 0, TIMEOUT)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new WebhookReceiver(address, SECRET, this::record, 10, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new WebhookReceiver(address, SECRET, this::record).port()).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void theSecretIsCopied() throws Exception {
    byte[] secret = SECRET.clone();
    WebhookReceiver receiver = start(new WebhookReceiver(new InetSocketAddress("127.0.0.1", 0), secret, this::record));
    secret[0] ^= 1;
    byte[] body = bytes(GITHUB_PUSH);

    HttpResponse<String> response = post(receiver, "/hooks/github", body,
        "X-GitHub-Event", "push", "X-Hub-Signature-256", "sha256=" + hmacHex(SECRET, body));

    assertThat(response.statusCode()).isEqualTo(200);
  }

  // --- helpers ---

  private int record(PushEvent event) {
    triggered.add(event);
    return 1;
  }

  private WebhookReceiver start() throws IOException {
    return start(4096 * 16, TIMEOUT);
  }

  private WebhookReceiver start(int maxBodyBytes) throws IOException {
    return start(maxBodyBytes, TIMEOUT);
  }

  private WebhookReceiver start(int maxBodyBytes, Duration readTimeout) throws IOException {
    return start(new WebhookReceiver(new InetSocketAddress("127.0.0.1", 0), SECRET, this::record, maxBodyBytes, readTimeout));
  }

  private WebhookReceiver start(SyncTrigger trigger) throws IOException {
    return start(new WebhookReceiver(new InetSocketAddress("127.0.0.1", 0), SECRET, trigger, 4096 * 16, TIMEOUT));
  }

  private WebhookReceiver start(WebhookReceiver receiver) throws IOException {
    receivers.add(receiver);
    receiver.start();
    return receiver;
  }

  private HttpResponse<String> post(WebhookReceiver receiver, String path, byte[] body, String... headers)
      throws IOException, InterruptedException {
    return post(receiver.port(), path, body, headers);
  }

  private HttpResponse<String> post(int port, String path, byte[] body, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(10))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static URI uri(WebhookReceiver receiver, String path) {
    return URI.create("http://127.0.0.1:" + receiver.port() + path);
  }

  /** Sends the head and the first {@code sent} bytes of the body, then waits: seconds until the server hangs up. */
  private static long secondsUntilClosed(int port, String head, byte[] body, int sent) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(20_000);
      OutputStream out = socket.getOutputStream();
      out.write(bytes(head));
      out.write(body, 0, sent);
      out.flush();
      long start = System.nanoTime();
      try {
        int read = socket.getInputStream().read();
        assertThat(read).as("closed without a reply").isEqualTo(-1);
      } catch (SocketException reset) {
        // closed with our bytes unread: a reset is a hang-up too
      }
      return Duration.ofNanos(System.nanoTime() - start).toSeconds();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static String statusLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int c = in.read(); c != -1 && c != '\r'; c = in.read()) {
      line.append((char) c);
    }
    return line.toString();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** The forges' signature, computed here independently of the receiver's code. */
  private static String hmacHex(byte[] key, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }
}
