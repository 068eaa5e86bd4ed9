package dev.profileops.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.testcontainers.DockerClientFactory;

/**
 * Whether Testcontainers finds a Docker engine, for the tests that run a real forge in a container.
 * Testcontainers is an optional dependency here: modules with such tests bring it themselves.
 */
public final class DockerEngine {
  /** How long the check may take, so a half-present engine cannot hang the build. */
  public static final int CHECK_SECONDS = 20;

  private DockerEngine() {}

  /** Empty when Testcontainers finds a working Docker engine; else what was looked at. */
  public static Optional<String> unavailableReason() {
    CompletableFuture<Boolean> check = CompletableFuture.supplyAsync(() -> {
      try {
        return DockerClientFactory.instance().isDockerAvailable();
      } catch (RuntimeException | LinkageError e) {
        return false;
      }
    });
    try {
      if (check.get(CHECK_SECONDS, TimeUnit.SECONDS)) {
        return Optional.empty();
      }
    } catch (TimeoutException e) {
      check.cancel(true);
      return Optional.of("Testcontainers found no Docker engine answering within " + CHECK_SECONDS + " s");
    } catch (Exception e) {
      return Optional.of("the Docker check failed: " + e);
    }
    String dockerHost = System.getenv("DOCKER_HOST");
    return Optional.of("Testcontainers found no working Docker environment (DOCKER_HOST "
        + (dockerHost == null ? "unset" : "=" + dockerHost) + ", /var/run/docker.sock "
        + (Files.exists(Path.of("/var/run/docker.sock")) ? "present but not answering" : "absent") + ")");
  }
}
