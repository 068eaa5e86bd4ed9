package dev.profileops.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.ExecConfig;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * A real Gitea in a container (Testcontainers; see {@link DockerEngine} for whether one can run), with
 * an admin user made by {@code gitea admin user create} and its API at hand through basic auth: a forge
 * for the tests of what ProfileOps sends to one.
 */
public final class GiteaServer implements AutoCloseable {
  public static final DockerImageName IMAGE = DockerImageName.parse("gitea/gitea:1.24.6");
  public static final String USER = "profileops";
  public static final String PASSWORD = "profileops-Test-pw1";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();

  private final GenericContainer<?> container;
  private final URI web;

  private GiteaServer(GenericContainer<?> container, URI web) {
    this.container = container;
    this.web = web;
  }

  /** Starts Gitea (sqlite, default branch main, no registration) and creates the admin user. */
  public static GiteaServer start() throws Exception {
    GenericContainer<?> container = new GenericContainer<>(IMAGE)
        .withEnv("GITEA__database__DB_TYPE", "sqlite3")
        .withEnv("GITEA__security__INSTALL_LOCK", "true")
        .withEnv("GITEA__service__DISABLE_REGISTRATION", "true")
        .withEnv("GITEA__repository__DEFAULT_BRANCH", "main")
        .withExposedPorts(3000)
        .waitingFor(Wait.forHttp("/api/v1/version").forPort(3000).forStatusCode(200)
            .withStartupTimeout(Duration.ofMinutes(3)));
    container.start();
    GiteaServer gitea = new GiteaServer(container,
        URI.create("http://" + container.getHost() + ":" + container.getMappedPort(3000)));
    try {
      ExecResult created = container.execInContainer(ExecConfig.builder()
          .user("git")
          .workDir("/data/gitea")
          .command(new String[] {"gitea", "admin", "user", "create", "--config", "/data/gitea/conf/app.ini",
              "--admin", "--username", USER, "--password", PASSWORD, "--email", USER + "@example.com",
              "--must-change-password=false"})
          .build());
      if (created.getExitCode() != 0) {
        throw new IllegalStateException("gitea admin user create: " + created.getStdout() + " " + created.getStderr());
      }
      return gitea;
    } catch (Exception | Error e) {
      gitea.close();
      throw e;
    }
  }

  /** The web (and API, under /api/v1) base URL, e.g. {@code http://localhost:32768}. */
  public URI web() {
    return web;
  }

  /** {@code http://USER:PASSWORD@host:port/owner/name.git}, for git pushes as the admin. */
  public String authenticatedCloneUrl(String owner, String name) {
    return web.getScheme() + "://" + USER + ":" + PASSWORD + "@" + web.getAuthority() + "/" + owner + "/" + name + ".git";
  }

  /**
   * One API call as the admin (basic auth); the answer's JSON.
   *
   * @throws IllegalStateException when Gitea answers with another code than {@code expected}
   */
  public JsonNode api(String method, String path, String body, int expected) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(web + path))
        .timeout(Duration.ofSeconds(30))
        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
            (USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)))
        .header("Accept", "application/json");
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
    }
    HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != expected) {
      throw new IllegalStateException(method + " " + path + ": HTTP " + response.statusCode() + " (expected " + expected
          + "): " + response.body());
    }
    return response.body().isBlank() ? JSON.missingNode() : JSON.readTree(response.body());
  }

  @Override
  public void close() {
    container.stop();
  }
}
