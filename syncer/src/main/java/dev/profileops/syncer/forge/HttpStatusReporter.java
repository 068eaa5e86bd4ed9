package dev.profileops.syncer.forge;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the three reporters share: one JSON POST per status through {@link ForgeHttp} (timeouts,
 * redirects not followed, every non-2xx answer turned into a {@link ForgeException} that carries the
 * code and a short, token-free excerpt of the body), with the forge's retries and same-state answers.
 */
public abstract class HttpStatusReporter implements CommitStatusReporter {
  public static final Duration DEFAULT_CONNECT_TIMEOUT = ForgeHttp.DEFAULT_CONNECT_TIMEOUT;
  public static final Duration DEFAULT_REQUEST_TIMEOUT = ForgeHttp.DEFAULT_REQUEST_TIMEOUT;
  static final int MAX_EXCERPT = ForgeHttp.MAX_EXCERPT;
  static final ObjectMapper JSON = ForgeHttp.JSON;

  private static final Logger LOG = LoggerFactory.getLogger(HttpStatusReporter.class);
  private static final Pattern SHA = Pattern.compile("[0-9a-fA-F]{7,64}");

  private final Forge forge;
  private final Optional<URI> apiBaseOverride;
  private final ForgeHttp http;

  protected HttpStatusReporter(Forge forge, String token, Optional<URI> apiBaseOverride, HttpClient http,
      Duration requestTimeout) {
    this.forge = Objects.requireNonNull(forge, "forge");
    this.apiBaseOverride = Objects.requireNonNull(apiBaseOverride, "apiBaseOverride");
    this.http = ForgeHttp.forForge(forge, token, http, requestTimeout);
  }

  /** An HTTP/1.1 client with the default connect timeout that does not follow redirects. */
  public static HttpClient defaultHttpClient() {
    return ForgeHttp.defaultHttpClient();
  }

  public final Forge forge() {
    return forge;
  }

  /** Where the status of {@code sha} is posted, under {@code apiBase} (no trailing slash). */
  protected abstract URI statusUri(String apiBase, ForgeRepository repo, String sha);

  /** The JSON body of the request, as the forge documents it. */
  protected abstract ObjectNode body(CommitStatus status);

  /** Whether a non-2xx answer still means the commit shows the status (GitLab's same-state 400). */
  protected boolean alreadySet(int statusCode, String body) {
    return false;
  }

  /** How many times a {@code statusCode} answer is tried again, and after how long. */
  protected int retries(int statusCode) {
    return 0;
  }

  protected Duration retryDelay() {
    return Duration.ofSeconds(1);
  }

  @Override
  public final void report(ForgeRepository repo, String sha, CommitStatus status) throws ForgeException {
    Objects.requireNonNull(repo, "repo");
    Objects.requireNonNull(status, "status");
    if (repo.forge() != forge) {
      throw new IllegalArgumentException("a " + forge + " reporter cannot report to " + repo);
    }
    if (sha == null || !SHA.matcher(sha).matches()) {
      throw new IllegalArgumentException("not a commit id: " + sha);
    }
    String base = apiBaseOverride.orElse(repo.apiBase()).toString().replaceAll("/+$", "");
    URI uri = statusUri(base, repo, sha);
    byte[] body = ForgeHttp.bytes(body(status));
    String target = repo.fullPath() + "@" + abbreviate(sha);
    String task = "the commit status for " + target;
    for (int attempt = 0; ; attempt++) {
      HttpResponse<String> response = http.send("POST", uri, body, task);
      int code = response.statusCode();
      String answer = response.body() == null ? "" : response.body();
      if (code / 100 == 2) {
        LOG.debug("{}: set {} status '{}' on {}", forge, status.state(), status.context(), target);
        return;
      }
      if (alreadySet(code, answer)) {
        LOG.debug("{}: {} already shows {} for '{}' ({})", forge, target, status.state(), status.context(), code);
        return;
      }
      if (attempt < retries(code)) {
        LOG.info("{} answered {} to the commit status for {}; trying again", forge, code, target);
        sleep(retryDelay(), task);
        continue;
      }
      throw http.refused("POST", uri, response, task);
    }
  }

  private void sleep(Duration delay, String task) throws ForgeException {
    try {
      Thread.sleep(delay.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ForgeException(forge, "interrupted while sending " + task, null);
    }
  }

  static String encodeSegment(String value) {
    return ForgeHttp.encodeSegment(value);
  }

  private static String abbreviate(String sha) {
    return sha.length() > 12 ? sha.substring(0, 12) : sha;
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + apiBaseOverride.map(URI::toString).orElse("API base from the repository") + "]";
  }
}
