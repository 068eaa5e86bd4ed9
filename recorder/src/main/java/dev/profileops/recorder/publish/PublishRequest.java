package dev.profileops.recorder.publish;

import dev.profileops.api.SpoApi;
import dev.profileops.api.common.ProfileSpec;
import dev.profileops.api.seccomp.SeccompProfile;
import dev.profileops.recorder.RecordedKind;
import dev.profileops.recorder.merge.RuleCoverage;
import dev.profileops.recorder.seccomp.SeccompRecordedKind;
import dev.profileops.syncer.git.GitTransport;
import io.fabric8.kubernetes.client.CustomResource;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One recording of one container to publish: where to (repository, default branch, credentials, how
 * the pull request is opened) and what (the profiles, all of one kind, and what a reviewer needs to
 * judge them).
 * Build it with {@link #builder(String, String, String)}.
 */
public record PublishRequest(
    String repositoryUrl,
    String defaultBranch,
    GitTransport transport,
    Optional<PullRequestTarget> pullRequest,
    String recording,
    String container,
    RecordedKind<?> kind,
    List<? extends CustomResource<? extends ProfileSpec, ?>> profiles,
    Optional<RuleCoverage> coverage,
    List<String> replicas,
    List<String> nodes,
    Optional<Instant> windowStart,
    Optional<Instant> windowEnd) {

  public PublishRequest {
    requireText(repositoryUrl, "repository URL");
    requireText(defaultBranch, "default branch");
    requireText(recording, "recording name");
    requireText(container, "container name");
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(pullRequest, "pullRequest");
    Objects.requireNonNull(coverage, "coverage");
    Objects.requireNonNull(kind, "kind");
    profiles = List.copyOf(profiles);
    replicas = List.copyOf(replicas);
    nodes = List.copyOf(nodes);
    if (profiles.isEmpty()) {
      throw new IllegalArgumentException("recording " + recording + " of container " + container + " has no profile to publish");
    }
    Set<String> names = new HashSet<>();
    for (CustomResource<? extends ProfileSpec, ?> p : profiles) {
      if (!kind.type().isInstance(p)) {
        throw new IllegalArgumentException("recording " + recording + " gives a " + p.getKind() + " among its "
            + kind.kind() + "s; one request publishes one kind");
      }
      if (p.getMetadata() == null || p.getMetadata().getName() == null || p.getSpec() == null) {
        throw new IllegalArgumentException("a profile of recording " + recording + " has no metadata.name or no spec");
      }
      String name = p.getMetadata().getName();
      kind.nameProblem(name).ifPresent(problem -> {
        throw new IllegalArgumentException("profile name '" + name + "' of recording " + recording + ": " + problem);
      });
      if (!names.add(name)) {
        throw new IllegalArgumentException("recording " + recording + " gives profile " + name + " twice");
      }
      if (p.getMetadata().getLabels() != null && p.getMetadata().getLabels().containsKey(SpoApi.LABEL_PARTIAL)) {
        // A partial profile is one replica's part: never installed, so never worth a review.
        throw new IllegalArgumentException("profile " + name + " is a partial recording (label " + SpoApi.LABEL_PARTIAL
            + "); merge the replicas first (PartialProfileMerger)");
      }
    }
  }

  /** {@code profileops/recording/<recording>-<container>}, the branch this recording is pushed to. */
  public String branch() {
    return "profileops/recording/" + recording + "-" + container;
  }

  public static Builder builder(String repositoryUrl, String recording, String container) {
    return new Builder(repositoryUrl, recording, container);
  }

  private static void requireText(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("no " + what + " given");
    }
  }

  /** Optional parts default to: branch {@code main}, anonymous transport, no pull request, no coverage. */
  public static final class Builder {
    private final String repositoryUrl;
    private final String recording;
    private final String container;
    private String defaultBranch = "main";
    private GitTransport transport = GitTransport.none();
    private PullRequestTarget pullRequest;
    private RecordedKind<?> kind = SeccompRecordedKind.INSTANCE;
    private List<? extends CustomResource<? extends ProfileSpec, ?>> profiles = List.of();
    private RuleCoverage coverage;
    private List<String> replicas = List.of();
    private List<String> nodes = List.of();
    private Instant windowStart;
    private Instant windowEnd;

    private Builder(String repositoryUrl, String recording, String container) {
      this.repositoryUrl = repositoryUrl;
      this.recording = recording;
      this.container = container;
    }

    public Builder defaultBranch(String defaultBranch) {
      this.defaultBranch = defaultBranch;
      return this;
    }

    public Builder transport(GitTransport transport) {
      this.transport = transport;
      return this;
    }

    public Builder pullRequest(PullRequestTarget pullRequest) {
      this.pullRequest = pullRequest;
      return this;
    }

    /** Seccomp profiles to publish. */
    public Builder profiles(List<SeccompProfile> profiles) {
      return profiles(SeccompRecordedKind.INSTANCE, profiles);
    }

    /** Profiles of that kind to publish. */
    public <P extends CustomResource<? extends ProfileSpec, ?>> Builder profiles(RecordedKind<P> kind, List<P> profiles) {
      this.kind = kind;
      this.profiles = profiles;
      return this;
    }

    public Builder coverage(RuleCoverage coverage) {
      this.coverage = coverage;
      return this;
    }

    public Builder replicas(List<String> replicas) {
      this.replicas = replicas;
      return this;
    }

    public Builder nodes(List<String> nodes) {
      this.nodes = nodes;
      return this;
    }

    public Builder window(Instant start, Instant end) {
      this.windowStart = start;
      this.windowEnd = end;
      return this;
    }

    public PublishRequest build() {
      return new PublishRequest(repositoryUrl, defaultBranch, transport, Optional.ofNullable(pullRequest), recording,
          container, kind, profiles, Optional.ofNullable(coverage), replicas, nodes, Optional.ofNullable(windowStart),
          Optional.ofNullable(windowEnd));
    }
  }
}
