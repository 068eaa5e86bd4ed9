package dev.profileops.cli;

import dev.profileops.syncer.git.CheckoutResult;
import dev.profileops.syncer.git.FetchRepositoryCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --repo --ref --path}: where the profiles come from, and fetching them. */
final class RepositorySource {
  @Option(names = "--repo", required = true, description = "Repository URL (git://, https://, ssh://) or local path")
  String repo;

  @Option(names = "--ref", defaultValue = "main", description = "Branch or tag (default: ${DEFAULT-VALUE})")
  String ref;

  @Option(names = "--path", defaultValue = "", description = "Subdirectory holding the profiles")
  String path;

  /** The fetched commit and the directory of profiles in it. */
  record Checkout(String commit, Path profiles) {}

  /** Fetches into {@code cloneDir}; null after saying why it failed. */
  Checkout fetch(Path cloneDir) {
    CheckoutResult checkout;
    try {
      checkout = new FetchRepositoryCommand(url(), ref, cloneDir).call();
    } catch (RuntimeException e) {
      System.err.println("error: " + e.getMessage());
      return null;
    }
    Path root = path.isEmpty() ? checkout.workTree() : checkout.workTree().resolve(path).normalize();
    if (!root.startsWith(checkout.workTree()) || !Files.isDirectory(root)) {
      System.err.println("error: --path " + path + " is not a directory in " + repo + " at " + checkout.commit());
      return null;
    }
    return new Checkout(checkout.commit(), root);
  }

  /** A local directory as an absolute path (JGit clones paths too), anything else as given. */
  String url() {
    Path local = Path.of(repo);
    return repo.contains("://") || !Files.isDirectory(local) ? repo : local.toAbsolutePath().normalize().toString();
  }
}
