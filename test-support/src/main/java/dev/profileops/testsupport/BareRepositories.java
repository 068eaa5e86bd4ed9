package dev.profileops.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The bare repositories the loopback git servers (daemon, http-backend, sshd) serve from a base folder. */
final class BareRepositories {
  private static final Duration GIT_TIMEOUT = Duration.ofSeconds(60);

  private BareRepositories() {}

  /**
   * Creates {@code base/name.git}, HEAD on {@code main}, and sets {@code config} ({@code key value}
   * pairs, e.g. {@code daemon.receivepack true}) in it.
   */
  static Path create(Path base, String name, String... config) throws IOException {
    Path repo = base.resolve(path(name));
    Files.createDirectories(repo.getParent());
    git(null, "init", "--quiet", "--bare", "--initial-branch=main", repo.toString());
    for (int i = 0; i + 1 < config.length; i += 2) {
      git(repo, "config", config[i], config[i + 1]);
    }
    return repo;
  }

  /** {@code name.git} under the base, refusing names that could leave it. */
  static String path(String name) {
    if (name == null
        || !name.matches("[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*")
        || List.of(name.split("/")).stream().anyMatch(s -> s.equals(".") || s.equals(".."))) {
      throw new IllegalArgumentException("not a repository name: " + name);
    }
    return name.endsWith(".git") ? name : name + ".git";
  }

  private static void git(Path dir, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add("git");
    command.addAll(List.of(args));
    Commands.run(command, dir, GitWorkTree.hermeticEnv(), GIT_TIMEOUT).orThrow();
  }
}
