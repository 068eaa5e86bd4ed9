package dev.profileops.syncer.git;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.ResetCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.RefSpec;

/**
 * Brings a local copy of a profile repository to the head of one branch or tag: clones on first use,
 * fetches after, then checks the commit out (detached). Works for git://, http(s)://, ssh:// and paths.
 */
public final class FetchRepositoryCommand {
  private final String url;
  private final String ref;
  private final Path cloneDir;

  public FetchRepositoryCommand(String url, String ref, Path cloneDir) {
    this.url = url;
    this.ref = ref;
    this.cloneDir = cloneDir;
  }

  public CheckoutResult call() {
    try {
      if (!Files.isDirectory(cloneDir.resolve(".git"))) {
        Files.createDirectories(cloneDir);
        try (Git ignored = Git.cloneRepository().setURI(url).setDirectory(cloneDir.toFile()).setNoCheckout(true).call()) {
          // cloned; the fetch below resolves the ref the same way as later runs do
        }
      }
      try (Git git = Git.open(cloneDir.toFile())) {
        Repository repo = git.getRepository();
        ObjectId before = repo.resolve("HEAD");
        git.fetch().setRemote("origin").setRemoveDeletedRefs(true)
            .setRefSpecs(new RefSpec("+refs/heads/*:refs/remotes/origin/*"), new RefSpec("+refs/tags/*:refs/tags/*"))
            .call();
        ObjectId target = resolve(repo);
        git.checkout().setName(target.name()).setForced(true).call();
        git.reset().setMode(ResetCommand.ResetType.HARD).setRef(target.name()).call();
        git.clean().setCleanDirectories(true).setForce(true).call();
        return new CheckoutResult(target.name(), cloneDir, !target.equals(before));
      }
    } catch (GitAPIException e) {
      throw new GitFailure("cannot fetch " + url + " (" + ref + "): " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot fetch " + url + " into " + cloneDir, e);
    }
  }

  private ObjectId resolve(Repository repo) throws IOException {
    for (String candidate : new String[] {"refs/remotes/origin/" + ref, "refs/tags/" + ref, ref}) {
      Ref r = repo.exactRef(candidate);
      if (r != null) {
        Ref peeled = repo.getRefDatabase().peel(r);
        return peeled.getPeeledObjectId() != null ? peeled.getPeeledObjectId() : r.getObjectId();
      }
    }
    ObjectId commit = repo.resolve(ref + "^{commit}");
    if (commit == null) {
      throw new GitFailure("ref " + ref + " not found in " + url, null);
    }
    return commit;
  }

  /** Fetching or checking out failed; the message says which repository and ref. */
  public static final class GitFailure extends RuntimeException {
    public GitFailure(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
