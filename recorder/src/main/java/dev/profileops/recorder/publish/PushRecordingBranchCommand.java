package dev.profileops.recorder.publish;

import dev.profileops.syncer.git.FetchRepositoryCommand.GitFailure;
import dev.profileops.syncer.git.GitTransport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.PushCommand;
import org.eclipse.jgit.api.Status;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;

/**
 * Writes files into a work tree checked out at the default branch's head, commits them on top of it
 * and force-pushes that commit to one branch ({@code refs/heads/<branch>}) and nothing else; pushing
 * again replaces the branch's commit, the default branch is never touched. When the files already
 * hold what is written, nothing is committed or pushed.
 *
 * <p>With {@link #pushTo(String)} a different ref receives the push instead (AGit's
 * {@code refs/for/<branch>/<topic>}), with push options.
 */
public final class PushRecordingBranchCommand {
  private final Path workTree;
  private final String url;
  private final String branch;
  private final Map<String, String> files = new LinkedHashMap<>();
  private GitTransport transport = GitTransport.none();
  private String message = "Update recorded profiles";
  private PersonIdent author = RecordingPublisher.DEFAULT_AUTHOR;
  private String pushRef;
  private List<String> pushOptions = List.of();
  private Duration timeout;

  public PushRecordingBranchCommand(Path workTree, String url, String branch) {
    this.workTree = Objects.requireNonNull(workTree, "workTree");
    this.url = Objects.requireNonNull(url, "url");
    this.branch = Objects.requireNonNull(branch, "branch");
  }

  /** Writes {@code content} to {@code relativePath} (slash-separated, inside the work tree). */
  public PushRecordingBranchCommand file(String relativePath, String content) {
    Path target = workTree.resolve(relativePath).normalize();
    if (!target.startsWith(workTree.normalize()) || relativePath.startsWith("/") || relativePath.contains("\\")) {
      throw new IllegalArgumentException("not a path inside the repository: " + relativePath);
    }
    files.put(relativePath, content);
    return this;
  }

  public PushRecordingBranchCommand transport(GitTransport transport) {
    this.transport = Objects.requireNonNull(transport, "transport");
    return this;
  }

  public PushRecordingBranchCommand message(String message) {
    this.message = Objects.requireNonNull(message, "message");
    return this;
  }

  /** Author and committer of the commit. */
  public PushRecordingBranchCommand author(PersonIdent author) {
    this.author = Objects.requireNonNull(author, "author");
    return this;
  }

  /** Push to this ref (e.g. AGit's {@code refs/for/main/topic}) instead of {@code refs/heads/<branch>}. */
  public PushRecordingBranchCommand pushTo(String ref) {
    this.pushRef = ref;
    return this;
  }

  /** Git push options ({@code git push -o}), e.g. AGit's {@code title=...}; the server must take them. */
  public PushRecordingBranchCommand pushOptions(List<String> options) {
    this.pushOptions = List.copyOf(options);
    return this;
  }

  public PushRecordingBranchCommand timeout(Duration timeout) {
    this.timeout = timeout;
    return this;
  }

  public BranchResult call() {
    try (Git git = Git.open(workTree.toFile())) {
      ObjectId base = git.getRepository().resolve("HEAD");
      if (base == null) {
        throw new GitFailure("the work tree " + workTree + " has no commit checked out", null);
      }
      for (Map.Entry<String, String> f : files.entrySet()) {
        Path target = workTree.resolve(f.getKey());
        Files.createDirectories(target.getParent());
        Files.writeString(target, f.getValue(), StandardCharsets.UTF_8);
        git.add().addFilepattern(f.getKey()).call();
      }
      Status status = git.status().call();
      List<String> changed = new ArrayList<>();
      changed.addAll(status.getAdded());
      changed.addAll(status.getChanged());
      if (changed.isEmpty()) {
        return new BranchResult(branch, Optional.empty(), base.name(), List.of());
      }
      RevCommit commit = git.commit().setMessage(message).setAuthor(author).setCommitter(author)
          .setSign(false).setNoVerify(true).call();
      push(git, commit);
      return new BranchResult(branch, Optional.of(commit.name()), base.name(), changed.stream().sorted().toList());
    } catch (GitAPIException e) {
      throw new GitFailure("cannot push " + target() + " to " + url + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the recorded profiles into " + workTree, e);
    }
  }

  private void push(Git git, RevCommit commit) throws GitAPIException {
    RefSpec spec = new RefSpec(commit.name() + ":" + target()).setForceUpdate(true);
    PushCommand push = git.push().setRemote(url).setRefSpecs(spec).setAtomic(false);
    if (!pushOptions.isEmpty()) {
      push.setPushOptions(pushOptions);
    }
    for (PushResult result : transport.configure(push, timeout).call()) {
      for (RemoteRefUpdate update : result.getRemoteUpdates()) {
        if (update.getStatus() != RemoteRefUpdate.Status.OK && update.getStatus() != RemoteRefUpdate.Status.UP_TO_DATE) {
          throw new GitFailure("the server refused the push of " + update.getRemoteName() + " to " + url + ": "
              + update.getStatus() + (update.getMessage() == null ? "" : " (" + update.getMessage() + ")"), null);
        }
      }
    }
  }

  private String target() {
    return pushRef != null ? pushRef : "refs/heads/" + branch;
  }
}
