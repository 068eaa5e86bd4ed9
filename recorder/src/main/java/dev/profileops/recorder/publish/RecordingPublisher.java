package dev.profileops.recorder.publish;

import dev.profileops.api.common.ProfileSpec;
import dev.profileops.api.seccomp.SeccompProfile;
import dev.profileops.host.seccomp.SyscallTable;
import dev.profileops.recorder.RecordedKind;
import dev.profileops.recorder.forge.PullRequest;
import dev.profileops.recorder.forge.PullRequestClients;
import dev.profileops.recorder.forge.PullRequestRef;
import dev.profileops.syncer.forge.ForgeException;
import dev.profileops.syncer.forge.ForgeRepository;
import dev.profileops.syncer.git.FetchRepositoryCommand;
import dev.profileops.syncer.source.LoadedObject;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jgit.lib.PersonIdent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a recording (seccomp or SELinux profiles) into the profile repository as a pull request: fetches the default branch
 * (shallow), writes each profile into the file the repository already keeps it in (only its own
 * document of a multi-document file) or into a new file, commits on top of the default branch's head,
 * force-pushes {@code profileops/recording/<recording>-<container>}, then opens or updates the pull
 * request through the forge's API, or pushes AGit's {@code refs/for/<default>/<topic>} instead of the
 * branch. The local clone of each repository is kept under the work directory and fetched again next
 * time; publishes into one repository take turns.
 *
 * <pre>{@code
 * MergeResult<SeccompProfile> merged = new PartialProfileMerger()
 *     .merge(SeccompRecordedKind.INSTANCE, "rec", "nginx", replicaProfiles, MergeStrategy.Containers);
 * PublishCredentials credentials = PublishCredentials.fromSecret(secret, repoUrl);
 * try (GitTransport transport = credentials.transport()) {
 *   PublishResult result = new RecordingPublisher(workDir, SyscallTables.system()).publish(
 *       PublishRequest.builder(repoUrl, "rec", "nginx")
 *           .transport(transport)
 *           .pullRequest(new PullRequestTarget.ForgeApi(Forge.GITHUB, credentials.forgeToken().orElseThrow(), Optional.empty()))
 *           .profiles(merged.profiles()).coverage(merged.coverage().orElse(null))
 *           .replicas(replicaNames).nodes(nodeNames).window(start, end)
 *           .build());
 * }
 * }</pre>
 */
public final class RecordingPublisher {
  public static final PersonIdent DEFAULT_AUTHOR = new PersonIdent("ProfileOps Recorder", "recorder@profileops.dev");
  private static final Logger LOG = LoggerFactory.getLogger(RecordingPublisher.class);
  private static final Map<Path, Object> LOCKS = new ConcurrentHashMap<>();

  private final Path workRoot;
  private final ProfileLocator locator;
  private final ProfileDocumentWriter writer = new ProfileDocumentWriter();
  private PersonIdent author = DEFAULT_AUTHOR;
  private Duration timeout = Duration.ofSeconds(60);

  /**
   * @param workRoot where the repositories are cloned (one directory each, reused)
   * @param syscalls for the repository reader that finds each profile's file
   */
  public RecordingPublisher(Path workRoot, SyscallTable syscalls) {
    this.workRoot = Objects.requireNonNull(workRoot, "workRoot");
    this.locator = new ProfileLocator(syscalls);
  }

  /** Author and committer of the recording's commits. */
  public RecordingPublisher author(PersonIdent author) {
    this.author = Objects.requireNonNull(author, "author");
    return this;
  }

  /** For each git fetch and push. */
  public RecordingPublisher timeout(Duration timeout) {
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    return this;
  }

  /**
   * @throws FetchRepositoryCommand.GitFailure when fetching or pushing fails (the message names the repository)
   * @throws ForgeException when the forge refuses the pull request (the branch is pushed by then)
   * @throws IllegalStateException when a new profile's file already exists holding something else
   */
  public PublishResult publish(PublishRequest request) throws ForgeException {
    Path workTree = workRoot.resolve(directoryFor(request.repositoryUrl()));
    synchronized (LOCKS.computeIfAbsent(workTree, p -> new Object())) {
      return publishIn(workTree, request);
    }
  }

  private PublishResult publishIn(Path workTree, PublishRequest request) throws ForgeException {
    long start = System.nanoTime();
    new FetchRepositoryCommand(request.repositoryUrl(), request.defaultBranch(), workTree)
        .transport(request.transport())
        .depth(1)
        .timeout(timeout)
        .call();
    long fetched = System.nanoTime();
    Plan plan = plan(workTree, request.kind(), request);
    PushRecordingBranchCommand push = new PushRecordingBranchCommand(workTree, request.repositoryUrl(), request.branch())
        .transport(request.transport())
        .author(author)
        .timeout(timeout)
        .message(PullRequestDescription.commitMessage(request, plan.diffs()));
    plan.perFile().forEach((file, placements) -> push.file(file, contentOf(workTree, file, placements)));
    String title = PullRequestDescription.title(request, plan.diffs());
    String description = PullRequestDescription.markdown(request, plan.diffs(), plan.files());
    boolean agit = request.pullRequest().orElse(null) instanceof PullRequestTarget.AGit;
    if (agit) {
      push.pushTo(agitRef(request)).pushOptions(agitOptions(agitTopic(request), title, description));
    }
    long read = System.nanoTime();
    BranchResult branch = push.call();
    long pushed = System.nanoTime();
    if (branch.commit().isEmpty()) {
      LOG.info("{}: the repository already holds what recording {} of {} found; nothing pushed",
          request.branch(), request.recording(), request.container());
      return new PublishResult(request.branch(), Optional.empty(), Optional.empty(), Optional.empty(), plan.diffs(),
          plan.files(), timings(start, fetched, read, pushed, pushed));
    }
    String pushedRef = agit ? agitRef(request) : branch.ref();
    LOG.info("pushed {} ({}) to {}", pushedRef, branch.commit().get(), request.repositoryUrl());
    Optional<PullRequestRef> pullRequest = Optional.empty();
    if (request.pullRequest().orElse(null) instanceof PullRequestTarget.ForgeApi api) {
      ForgeRepository repo = ForgeRepository.parse(api.forge(), request.repositoryUrl(), api.apiBase());
      pullRequest = Optional.of(PullRequestClients.forForge(api.forge(), api.token(), api.apiBase())
          .openOrUpdate(repo, new PullRequest(request.branch(), request.defaultBranch(), title, description)));
    }
    return new PublishResult(request.branch(), branch.commit(), Optional.of(pushedRef), pullRequest, plan.diffs(),
        plan.files(), timings(start, fetched, read, pushed, System.nanoTime()));
  }

  private static PublishTimings timings(long start, long fetched, long read, long pushed, long done) {
    return new PublishTimings(Duration.ofNanos(fetched - start), Duration.ofNanos(read - fetched),
        Duration.ofNanos(pushed - read), Duration.ofNanos(done - pushed));
  }

  /** Where each profile goes and what it changes: per file its placements, per profile its diff and file. */
  private record Plan(Map<String, List<Placement>> perFile, Map<String, RuleDiff> diffs, Map<String, String> files) {}

  private <P extends CustomResource<? extends ProfileSpec, ?>> Plan plan(Path workTree, RecordedKind<P> kind,
      PublishRequest request) {
    ProfileLocations locations = locator.locate(workTree, kind);
    Map<String, RuleDiff> diffs = new LinkedHashMap<>();
    Map<String, String> files = new LinkedHashMap<>();
    Map<String, List<Placement>> perFile = new TreeMap<>();
    for (CustomResource<? extends ProfileSpec, ?> resource : request.profiles()) {
      P recorded = kind.type().cast(resource);
      String name = recorded.getMetadata().getName();
      // What validation would refuse is not proposed: a reviewer reads it in the description instead.
      SortedMap<String, String> leftOut = kind.refusedRules(recorded);
      P proposed = kind.withoutRules(recorded, leftOut.keySet());
      Optional<LoadedObject> existing = locations.find(name);
      Optional<P> current = existing.map(e -> kind.type().cast(e.resource()));
      P profile = current.map(c -> withMetadataOf(kind, c, proposed)).orElse(proposed);
      String file = existing.map(LoadedObject::file).orElse(locations.newProfilePath(name));
      perFile.computeIfAbsent(file, f -> new ArrayList<>()).add(new Placement(profile, existing.map(LoadedObject::line).orElse(0)));
      diffs.put(name, RuleDiff.between(current.map(kind::rules).orElse(null), kind.rules(proposed), leftOut));
      files.put(name, file);
    }
    return new Plan(perFile, diffs, files);
  }

  /** One profile's place in a file: the line its document starts on, 0 for a new document. */
  private record Placement(HasMetadata profile, int line) {}

  private String contentOf(Path workTree, String file, List<Placement> placements) {
    if (file.toLowerCase(java.util.Locale.ROOT).endsWith(".json")) {
      if (!(placements.get(0).profile() instanceof SeccompProfile seccomp)) {
        throw new IllegalStateException(file + " is a seccomp JSON file; it cannot hold " + placements.get(0).profile().getKind()
            + " " + placements.get(0).profile().getMetadata().getName());
      }
      return writer.ociJson(seccomp);
    }
    Path path = workTree.resolve(file);
    String content = "";
    if (Files.exists(path)) {
      try {
        content = Files.readString(path, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file, e);
      }
    }
    // From the last document up, so the lines of the earlier ones stay where the reader saw them.
    List<Placement> ordered = new ArrayList<>(placements);
    ordered.sort(Comparator.comparingInt(Placement::line).reversed());
    for (Placement p : ordered) {
      if (p.line() > 0) {
        content = writer.replaceDocument(file, content, p.line(), writer.yaml(p.profile()));
      } else if (content.isBlank()) {
        content = writer.yaml(p.profile());
      } else {
        throw new IllegalStateException(file + " already exists and holds no profile "
            + p.profile().getMetadata().getName() + "; move it or name the recording differently");
      }
    }
    return content;
  }

  /** The recorded profile with the labels and annotations the repository's copy has, the recorder's on top. */
  private static <P extends CustomResource<? extends ProfileSpec, ?>> P withMetadataOf(RecordedKind<P> kind, P existing,
      P recorded) {
    ObjectMeta old = existing.getMetadata();
    Map<String, String> labels = new TreeMap<>(old.getLabels() == null ? Map.of() : old.getLabels());
    Map<String, String> annotations = new TreeMap<>(old.getAnnotations() == null ? Map.of() : old.getAnnotations());
    ObjectMeta meta = recorded.getMetadata();
    if (meta.getLabels() != null) {
      labels.putAll(meta.getLabels());
    }
    if (meta.getAnnotations() != null) {
      annotations.putAll(meta.getAnnotations());
    }
    P copy = kind.withSpecOf(recorded);
    copy.setMetadata(new ObjectMetaBuilder().withName(meta.getName())
        .withLabels(labels.isEmpty() ? null : labels).withAnnotations(annotations.isEmpty() ? null : annotations).build());
    return copy;
  }

  /** AGit's ref: {@code refs/for/<default branch>/<topic>}. */
  static String agitRef(PublishRequest request) {
    return "refs/for/" + request.defaultBranch() + "/" + agitTopic(request);
  }

  /** The branch name without slashes, as servers take the part after the target branch as the topic. */
  static String agitTopic(PublishRequest request) {
    return request.branch().replace('/', '-');
  }

  /**
   * Topic (also in the ref: older servers read it there, newer ones ask for the option), title and
   * description as push options. A push option is one line, so the description goes as
   * {@code {base64}...}, which Gitea decodes since go-gitea/gitea#35037 (2025). {@code force-push}
   * lets a second publish replace the first commit of the same topic.
   */
  static List<String> agitOptions(String topic, String title, String description) {
    return List.of("topic=" + topic, "title=" + title,
        "description={base64}" + Base64.getEncoder().encodeToString(description.getBytes(StandardCharsets.UTF_8)),
        "force-push=true");
  }

  static String directoryFor(String url) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(url.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
