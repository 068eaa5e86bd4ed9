package dev.profileops.syncer.forge;

import dev.profileops.testsupport.RecordingForgeServer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Non-2xx answers and unreachable forges become ForgeExceptions that never hold the token. */
class ForgeErrorMappingTest {
  static final String TOKEN = "s3cr3t-Token-Value-4711";
  static final String SHA = "0123456789abcdef0123456789abcdef01234567";

  RecordingForgeServer server;

  @BeforeEach
  void start() throws Exception {
    server = new RecordingForgeServer();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  static HttpStatusReporter reporter(Forge forge, Duration requestTimeout) {
    switch (forge) {
      case GITHUB:
        return new GitHubStatusReporter(TOKEN, Optional.empty(), HttpStatusReporter.defaultHttpClient(), requestTimeout);
      case GITEA:
        return new GiteaStatusReporter(TOKEN, Optional.empty(), HttpStatusReporter.defaultHttpClient(), requestTimeout);
      default:
        return new GitLabStatusReporter(TOKEN, Optional.empty(), HttpStatusReporter.defaultHttpClient(), requestTimeout,
            Duration.ofMillis(10));
    }
  }

  ForgeRepository repo(Forge forge, URI apiBase) {
    return ForgeRepository.parse(forge, "https://forge.example.com/platform/profiles.git", Optional.of(apiBase));
  }

  /** Bodies the forges document or are known to send for these codes. */
  static Stream<Arguments> refusals() {
    return Stream.of(
        Arguments.of(Forge.GITHUB, 401, "{\"message\":\"Bad credentials\",\"documentation_url\":\"https://docs.github.com/rest\",\"status\":\"401\"}",
            "Bad credentials"),
        Arguments.of(Forge.GITHUB, 404, "{\"message\":\"Not Found\",\"documentation_url\":\"https://docs.github.com/rest\",\"status\":\"404\"}",
            "Not Found"),
        Arguments.of(Forge.GITHUB, 422, "{\"message\":\"Validation Failed\",\"errors\":[{\"resource\":\"Status\",\"code\":\"custom\","
            + "\"field\":\"state\",\"message\":\"state is not included in the list\"}],\"documentation_url\":\"x\"}",
            "Validation Failed; state is not included in the list"),
        Arguments.of(Forge.GITEA, 401, "{\"message\":\"token is required\",\"url\":\"https://gitea.example/api/swagger\"}",
            "token is required"),
        Arguments.of(Forge.GITEA, 404, "{\"errors\":null,\"message\":\"The target couldn't be found.\",\"url\":\"x\"}",
            "The target couldn't be found."),
        Arguments.of(Forge.GITEA, 422, "{\"message\":\"[State]: Required\",\"url\":\"x\"}", "[State]: Required"),
        Arguments.of(Forge.GITLAB, 401, "{\"message\":\"401 Unauthorized\"}", "401 Unauthorized"),
        Arguments.of(Forge.GITLAB, 404, "{\"message\":\"404 Project Not Found\"}", "404 Project Not Found"),
        Arguments.of(Forge.GITLAB, 422, "{\"message\":{\"name\":[\"is too long\"]}}", "{\"name\":[\"is too long\"]}"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("refusals")
  void aRefusalCarriesCodeAndMessageButNotTheToken(Forge forge, int code, String body, String excerpt) {
    server.answer(code, body);

    ForgeException e = catchThrowableOfType(
        () -> reporter(forge, Duration.ofSeconds(5)).report(repo(forge, server.baseUri()), SHA, CommitStatus.success("ok")),
        ForgeException.class);

    assertThat(e).isNotNull();
    assertThat(e.forge()).isEqualTo(forge);
    assertThat(e.statusCode()).hasValue(code);
    assertThat(e.bodyExcerpt()).isEqualTo(excerpt);
    assertThat(e.getMessage())
        .contains(forge.displayName(), "HTTP " + code, "platform/profiles@" + SHA.substring(0, 12), excerpt)
        .doesNotContain(TOKEN);
    assertThat(everythingPrinted(e)).doesNotContain(TOKEN);
  }

  @ParameterizedTest
  @EnumSource(Forge.class)
  void aTokenEchoedByTheForgeIsBlankedOut(Forge forge) {
    server.answer(500, "<html><body>internal error for request with token " + TOKEN + "\n\n at frame 1</body></html>");

    ForgeException e = catchThrowableOfType(
        () -> reporter(forge, Duration.ofSeconds(5)).report(repo(forge, server.baseUri()), SHA, CommitStatus.success("ok")),
        ForgeException.class);

    assertThat(e.statusCode()).hasValue(500);
    assertThat(e.bodyExcerpt()).contains("token ***").doesNotContain(TOKEN).doesNotContain("\n");
    assertThat(everythingPrinted(e)).doesNotContain(TOKEN);
  }

  @Test
  void aLongBodyIsCut() {
    server.answer(502, "x".repeat(5000));

    ForgeException e = catchThrowableOfType(
        () -> reporter(Forge.GITHUB, Duration.ofSeconds(5)).report(repo(Forge.GITHUB, server.baseUri()), SHA,
            CommitStatus.success("ok")),
        ForgeException.class);

    assertThat(e.bodyExcerpt()).hasSize(HttpStatusReporter.MAX_EXCERPT);
    assertThat(e.getMessage().length()).isLessThan(600);
  }

  @ParameterizedTest
  @EnumSource(Forge.class)
  void anUnreachableForgeIsAForgeExceptionWithoutCode(Forge forge) throws Exception {
    URI closed = server.baseUri();
    server.close();

    ForgeException e = catchThrowableOfType(
        () -> reporter(forge, Duration.ofSeconds(5)).report(repo(forge, closed), SHA, CommitStatus.success("ok")),
        ForgeException.class);

    assertThat(e.statusCode()).isEmpty();
    assertThat(e.getMessage()).contains("could not reach " + forge.displayName()).doesNotContain(TOKEN);
    assertThat(everythingPrinted(e)).doesNotContain(TOKEN);
  }

  @Test
  void aSlowForgeTimesOut() {
    server.answerAfter(Duration.ofSeconds(3), 201, "{}");
    long start = System.nanoTime();

    ForgeException e = catchThrowableOfType(
        () -> reporter(Forge.GITEA, Duration.ofMillis(300)).report(repo(Forge.GITEA, server.baseUri()), SHA,
            CommitStatus.success("ok")),
        ForgeException.class);

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    assertThat(e.getMessage()).contains("did not answer", "300 ms").doesNotContain(TOKEN);
  }

  @Test
  void aRedirectIsNotFollowedWithTheToken() {
    server.answer(307, "", Map.of("Location", "http://elsewhere.invalid/repos/platform/renamed/statuses/" + SHA));

    assertThatThrownBy(() -> reporter(Forge.GITHUB, Duration.ofSeconds(5)).report(repo(Forge.GITHUB, server.baseUri()),
        SHA, CommitStatus.success("ok")))
        .isInstanceOf(ForgeException.class)
        .hasMessageContaining("HTTP 307")
        .hasMessageContaining("moved to http://elsewhere.invalid/repos/platform/renamed");
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(Forge.class)
  void badArgumentsAreRefusedBeforeAnyRequest(Forge forge) {
    HttpStatusReporter reporter = reporter(forge, Duration.ofSeconds(5));
    ForgeRepository repo = repo(forge, server.baseUri());
    Forge other = forge == Forge.GITHUB ? Forge.GITEA : Forge.GITHUB;

    assertThatThrownBy(() -> reporter.report(repo, "main", CommitStatus.success("ok")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a commit id");
    assertThatThrownBy(() -> reporter.report(repo, "../../admin", CommitStatus.success("ok")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> reporter.report(ForgeRepository.parse(other, "https://h.example/o/r"), SHA,
        CommitStatus.success("ok")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot report to");
    assertThat(server.requestCount()).isZero();
    assertThat(reporter.toString()).doesNotContain(TOKEN);
  }

  @Test
  void aBlankTokenOrUnknownProviderIsRefused() {
    assertThatThrownBy(() -> CommitStatusReporters.forProvider("gitea", " ", Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("no Gitea token given");
    assertThatThrownBy(() -> CommitStatusReporters.forProvider("bitbucket", TOKEN, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bitbucket").hasMessageNotContaining(TOKEN);
    assertThat(CommitStatusReporters.forProvider("GitLab", TOKEN, Optional.empty())).isInstanceOf(GitLabStatusReporter.class);
    assertThat(CommitStatusReporters.forProvider("gitea", TOKEN, Optional.empty())).isInstanceOf(GiteaStatusReporter.class);
    assertThat(CommitStatusReporters.forProvider(" github ", TOKEN, Optional.empty())).isInstanceOf(GitHubStatusReporter.class);
  }

  private static String everythingPrinted(Throwable t) {
    StringWriter out = new StringWriter();
    t.printStackTrace(new PrintWriter(out));
    return out + " " + t;
  }
}
