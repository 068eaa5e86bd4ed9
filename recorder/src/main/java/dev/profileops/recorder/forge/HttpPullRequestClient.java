package dev.profileops.recorder.forge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.profileops.syncer.forge.ForgeException;
import dev.profileops.syncer.forge.ForgeHttp;
import dev.profileops.syncer.forge.ForgeRepository;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The flow the three forges share: find the open pull request of the head branch, then update it, or
 * open one. Each forge says where the calls go and what their bodies hold; {@link ForgeHttp} sends them.
 */
abstract class HttpPullRequestClient implements PullRequestClient {
  private static final Logger LOG = LoggerFactory.getLogger(HttpPullRequestClient.class);

  private final ForgeHttp http;
  private final Optional<URI> apiBaseOverride;

  HttpPullRequestClient(ForgeHttp http, Optional<URI> apiBaseOverride) {
    this.http = Objects.requireNonNull(http, "http");
    this.apiBaseOverride = Objects.requireNonNull(apiBaseOverride, "apiBaseOverride");
  }

  /** The open pull request from {@code pr.headBranch()}, if any (its JSON as the forge lists it). */
  abstract Optional<JsonNode> findOpen(ForgeHttp http, String apiBase, ForgeRepository repo, PullRequest pr) throws ForgeException;

  /** Opens one; the forge's answer. */
  abstract JsonNode create(ForgeHttp http, String apiBase, ForgeRepository repo, PullRequest pr) throws ForgeException;

  /** Updates {@code existing}'s title and description; the forge's answer. */
  abstract JsonNode update(ForgeHttp http, String apiBase, ForgeRepository repo, JsonNode existing, PullRequest pr)
      throws ForgeException;

  /** The field holding the number reviewers see: GitHub's and Gitea's {@code number}, GitLab's {@code iid}. */
  abstract String numberField();

  /** The field holding the pull request's web page. */
  abstract String webUrlField();

  @Override
  public final PullRequestRef openOrUpdate(ForgeRepository repo, PullRequest pr) throws ForgeException {
    Objects.requireNonNull(repo, "repo");
    Objects.requireNonNull(pr, "pr");
    if (repo.forge() != http.forge()) {
      throw new IllegalArgumentException("a " + http.forge() + " client cannot open pull requests on " + repo);
    }
    String base = apiBaseOverride.orElse(repo.apiBase()).toString().replaceAll("/+$", "");
    Optional<JsonNode> existing = findOpen(http, base, repo, pr);
    if (existing.isPresent()) {
      JsonNode updated = update(http, base, repo, existing.get(), pr);
      PullRequestRef ref = ref(updated.isMissingNode() ? existing.get() : updated, false);
      LOG.info("{}: updated pull request {} of {} ({})", http.forge(), ref.number(), repo.fullPath(), pr.headBranch());
      return ref;
    }
    PullRequestRef ref = ref(create(http, base, repo, pr), true);
    LOG.info("{}: opened pull request {} on {} ({} -> {})", http.forge(), ref.number(), repo.fullPath(),
        pr.headBranch(), pr.baseBranch());
    return ref;
  }

  /** The number of an open pull request as listed; for {@link #update}. */
  final long number(JsonNode pullRequest) throws ForgeException {
    JsonNode value = pullRequest.path(numberField());
    if (!value.canConvertToLong() || value.asLong() < 1) {
      throw new ForgeException(http.forge(), http.forge() + " answered without the pull request's " + numberField() + ": "
          + abbreviate(pullRequest.toString()), null);
    }
    return value.asLong();
  }

  private PullRequestRef ref(JsonNode pullRequest, boolean created) throws ForgeException {
    return new PullRequestRef(number(pullRequest), pullRequest.path(webUrlField()).asText(""), created);
  }

  static String segment(String value) {
    return ForgeHttp.encodeSegment(value);
  }

  static ObjectNode object() {
    return ForgeHttp.JSON.createObjectNode();
  }

  private static String abbreviate(String text) {
    return text.length() > 200 ? text.substring(0, 200) + "..." : text;
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + apiBaseOverride.map(URI::toString).orElse("API base from the repository") + "]";
  }
}
