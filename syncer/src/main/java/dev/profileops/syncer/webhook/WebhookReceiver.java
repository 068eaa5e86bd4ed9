package dev.profileops.syncer.webhook;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.profileops.syncer.webhook.PushEvent.Forge;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives push webhooks from GitHub, Gitea and GitLab and hands each authenticated push to a
 * {@link SyncTrigger}, so a source syncs at once instead of at its next poll.
 *
 * <p>Endpoints, all {@code POST}:
 *
 * <ul>
 *   <li>{@code /hooks/github}: {@code X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>};
 *       {@code X-GitHub-Event: push} triggers, {@code ping} is answered.
 *   <li>{@code /hooks/gitea}: {@code X-Gitea-Signature: <hex HMAC-SHA256>}, or {@code X-Hub-Signature-256} as
 *       above; {@code X-Gitea-Event: push} triggers.
 *   <li>{@code /hooks/gitlab}: {@code X-Gitlab-Token: <the secret>}; {@code X-Gitlab-Event: Push Hook} and
 *       {@code Tag Push Hook} trigger.
 * </ul>
 *
 * <p>Replies: {@code 200 {"triggered": N}} for a push (N sources triggered) and for {@code ping} (0);
 * {@code 202 {"triggered": 0}} for any other event; {@code 400} for a body that is not a push payload or a
 * missing event header; {@code 401} for a missing or wrong signature or token — nothing is parsed or
 * triggered then; {@code 404} for any other path; {@code 405} for any other method; {@code 413} for a body
 * over the limit; {@code 500} when the trigger throws. Errors are {@code {"error": "..."}}.
 *
 * <p>Limits. The body is read up to the limit plus one byte and never further: a declared
 * {@code Content-Length} over the limit is refused before reading. Two handler threads serve all requests,
 * with a short queue; what does not fit is disconnected. The JDK server has no per-request timeout of its own,
 * so a slow client is bounded in two ways:
 *
 * <ul>
 *   <li>the body is read against a deadline ({@code readTimeout}, per receiver); when it passes, the
 *       connection is closed and the request dropped unanswered;
 *   <li>the request line and headers are read by the JDK, on the same threads, before this class sees the
 *       request. Only the JDK's JVM-wide {@value #JDK_MAX_REQUEST_TIME_PROPERTY} (seconds, unset by default)
 *       bounds that. The JDK reads it once, when the JVM's first {@code HttpServer} is created (which may be
 *       another one, a metrics endpoint say), so it belongs on the java command line
 *       ({@code -Dsun.net.httpserver.maxReqTime=10}), not in this class; {@link #start} warns when it is unset.
 * </ul>
 *
 * <p>Logs never hold the secret, a signature or a payload: only the forge, the ref, the commit, one
 * repository URL, the peer address and why a request was refused.
 */
public final class WebhookReceiver implements AutoCloseable {
  public static final int DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(10);
  /**
   * The JDK's limit, in whole seconds, on receiving one request (line, headers and body), for every
   * {@code HttpServer} of the JVM; read once, at the first server's creation.
   */
  public static final String JDK_MAX_REQUEST_TIME_PROPERTY = "sun.net.httpserver.maxReqTime";
  private static final int THREADS = 2;
  private static final int QUEUED_REQUESTS = 32;
  private static final Logger LOG = LoggerFactory.getLogger(WebhookReceiver.class);

  private final InetSocketAddress bindAddress;
  private final WebhookSecret secret;
  private final SyncTrigger trigger;
  private final int maxBodyBytes;
  private final Duration readTimeout;

  private HttpServer server;
  private ThreadPoolExecutor handlers;
  private ScheduledThreadPoolExecutor deadlines;
  private boolean stopped;

  /** A receiver with a 1 MiB body limit and a 10 s read timeout. */
  public WebhookReceiver(InetSocketAddress bindAddress, byte[] secret, SyncTrigger trigger) {
    this(bindAddress, secret, trigger, DEFAULT_MAX_BODY_BYTES, DEFAULT_READ_TIMEOUT);
  }

  /**
   * @param bindAddress where to listen; port 0 picks a free port ({@link #port()} tells which)
   * @param secret the secret configured in the forge's webhook; copied, must not be empty
   * @param maxBodyBytes the largest body accepted; larger ones get 413
   * @param readTimeout how long a client may take to send the body, from the moment its headers are read
   */
  public WebhookReceiver(InetSocketAddress bindAddress, byte[] secret, SyncTrigger trigger, int maxBodyBytes,
      Duration readTimeout) {
    this.bindAddress = Objects.requireNonNull(bindAddress, "bindAddress");
    this.secret = new WebhookSecret(secret);
    this.trigger = Objects.requireNonNull(trigger, "trigger");
    if (maxBodyBytes <= 0 || maxBodyBytes == Integer.MAX_VALUE) {
      throw new IllegalArgumentException("maxBodyBytes must be between 1 and " + (Integer.MAX_VALUE - 1));
    }
    this.maxBodyBytes = maxBodyBytes;
    if (readTimeout == null || readTimeout.isNegative() || readTimeout.isZero()) {
      throw new IllegalArgumentException("readTimeout must be positive");
    }
    this.readTimeout = readTimeout;
  }

  /** Binds and starts serving. */
  public synchronized void start() throws IOException {
    if (server != null || stopped) {
      throw new IllegalStateException("a WebhookReceiver starts once");
    }
    if (System.getProperty(JDK_MAX_REQUEST_TIME_PROPERTY) == null) {
      LOG.warn("{} is not set: a client that sends its request headers slowly can hold one of the {} webhook "
          + "threads for as long as it likes; start the JVM with -D{}=10", JDK_MAX_REQUEST_TIME_PROPERTY, THREADS, JDK_MAX_REQUEST_TIME_PROPERTY);
    }
    HttpServer created = HttpServer.create(bindAddress, 0);
    handlers = new ThreadPoolExecutor(THREADS, THREADS, 0, TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(QUEUED_REQUESTS), daemonThreads("profileops-webhook-"), new ThreadPoolExecutor.AbortPolicy());
    deadlines = new ScheduledThreadPoolExecutor(1, daemonThreads("profileops-webhook-deadline-"));
    deadlines.setRemoveOnCancelPolicy(true);
    created.setExecutor(handlers);
    created.createContext("/", this::handle);
    created.start();
    server = created;
    LOG.info("webhook receiver listening on {}:{}", bindAddress.getHostString(), port());
  }

  /** The port it listens on (the chosen one when constructed with port 0). */
  public synchronized int port() {
    if (server == null) {
      throw new IllegalStateException("not started");
    }
    return server.getAddress().getPort();
  }

  /** Stops at once: open connections are closed, requests in flight are dropped. */
  public synchronized void stop() {
    if (stopped) {
      return;
    }
    stopped = true;
    if (server == null) {
      return;
    }
    server.stop(0);
    handlers.shutdown();
    deadlines.shutdownNow();
    try {
      if (!handlers.awaitTermination(5, TimeUnit.SECONDS)) {
        handlers.shutdownNow();
      }
    } catch (InterruptedException e) {
      handlers.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stop();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      respond(exchange);
    } finally {
      exchange.close();
    }
  }

  private void respond(HttpExchange exchange) throws IOException {
    Forge forge = switch (exchange.getRequestURI().getPath()) {
      case "/hooks/github" -> Forge.GITHUB;
      case "/hooks/gitea" -> Forge.GITEA;
      case "/hooks/gitlab" -> Forge.GITLAB;
      default -> null;
    };
    if (forge == null) {
      replyEarly(exchange, 404, error("no such endpoint"));
      return;
    }
    if (!"POST".equals(exchange.getRequestMethod())) {
      exchange.getResponseHeaders().set("Allow", "POST");
      replyEarly(exchange, 405, error("only POST"));
      return;
    }
    Headers headers = exchange.getRequestHeaders();
    String proof = proof(forge, headers);
    if (proof == null) {
      refuse(exchange, forge, 401, "no signature or token");
      return;
    }
    if (forge == Forge.GITLAB && !secret.verifyToken(proof)) {
      refuse(exchange, forge, 401, "wrong token");
      return;
    }
    String declared = headers.getFirst("Content-Length");
    if (declared != null && Long.parseLong(declared.trim()) > maxBodyBytes) {
      refuse(exchange, forge, 413, "body larger than " + maxBodyBytes + " bytes");
      return;
    }
    byte[] body = readBody(exchange, forge);
    if (body.length > maxBodyBytes) {
      refuse(exchange, forge, 413, "body larger than " + maxBodyBytes + " bytes");
      return;
    }
    if (forge != Forge.GITLAB && !verifySignature(forge, headers, body)) {
      refuse(exchange, forge, 401, "wrong signature");
      return;
    }

    String eventHeader = switch (forge) {
      case GITHUB -> "X-GitHub-Event";
      case GITEA -> "X-Gitea-Event";
      case GITLAB -> "X-Gitlab-Event";
    };
    String event = headers.getFirst(eventHeader);
    if (event == null) {
      refuse(exchange, forge, 400, "no " + eventHeader + " header");
      return;
    }
    if (event.equals("ping")) {
      LOG.info("{} webhook: ping", name(forge));
      reply(exchange, 200, triggered(0));
      return;
    }
    if (!isPush(forge, event)) {
      LOG.debug("{} webhook: ignored a non-push event", name(forge));
      reply(exchange, 202, triggered(0));
      return;
    }
    PushEvent push;
    try {
      push = PushPayloads.parse(forge, body, headers.getFirst("Content-Type"));
    } catch (PushPayloads.BadPayload e) {
      refuse(exchange, forge, 400, e.getMessage());
      return;
    }
    int count;
    try {
      count = trigger.trigger(push);
    } catch (RuntimeException e) {
      LOG.error("{} webhook: triggering the sources for {} {} failed", name(forge), push.repositoryUrls().get(0), push.ref(), e);
      reply(exchange, 500, error("trigger failed"));
      return;
    }
    LOG.info("{} webhook: push to {} {} ({}): {} source(s) triggered", name(forge), push.repositoryUrls().get(0),
        push.ref(), shortCommit(push.after()), count);
    reply(exchange, 200, triggered(count));
  }

  /** The signature or token the forge sent, or null. */
  private static String proof(Forge forge, Headers headers) {
    return switch (forge) {
      case GITHUB -> headers.getFirst("X-Hub-Signature-256");
      case GITEA -> headers.containsKey("X-Gitea-Signature")
          ? headers.getFirst("X-Gitea-Signature") : headers.getFirst("X-Hub-Signature-256");
      case GITLAB -> headers.getFirst("X-Gitlab-Token");
    };
  }

  private boolean verifySignature(Forge forge, Headers headers, byte[] body) {
    if (forge == Forge.GITEA && headers.containsKey("X-Gitea-Signature")) {
      return secret.verifyHexSignature(headers.getFirst("X-Gitea-Signature"), body);
    }
    return secret.verifyPrefixedSignature(headers.getFirst("X-Hub-Signature-256"), body);
  }

  private static boolean isPush(Forge forge, String event) {
    return forge == Forge.GITLAB ? event.equals("Push Hook") || event.equals("Tag Push Hook") : event.equals("push");
  }

  /**
   * Reads at most {@code maxBodyBytes + 1} bytes, within {@code readTimeout}. When the deadline passes first,
   * the exchange is closed — before any reply that closes the connection, which ends the blocked read — and a
   * {@link SocketTimeoutException} goes up to the JDK server, which then forgets the connection.
   */
  private byte[] readBody(HttpExchange exchange, Forge forge) throws IOException {
    AtomicBoolean reading = new AtomicBoolean(true);
    ScheduledFuture<?> deadline = deadlines.schedule(() -> {
      if (reading.compareAndSet(true, false)) {
        exchange.close();
      }
    }, readTimeout.toNanos(), TimeUnit.NANOSECONDS);
    try {
      byte[] body = exchange.getRequestBody().readNBytes(maxBodyBytes + 1);
      if (reading.compareAndSet(true, false)) {
        return body;
      }
    } catch (IOException e) {
      if (reading.compareAndSet(true, false)) {
        throw e;
      }
    } finally {
      deadline.cancel(false);
    }
    LOG.warn("{} webhook: dropped a request from {}: body not received within {}", name(forge),
        exchange.getRemoteAddress(), readTimeout);
    throw new SocketTimeoutException("request body not received within " + readTimeout);
  }

  private static void refuse(HttpExchange exchange, Forge forge, int status, String reason) throws IOException {
    LOG.warn("{} webhook: refused a request from {} ({}): {}", name(forge), exchange.getRemoteAddress(), status, reason);
    replyEarly(exchange, status, error(reason));
  }

  /** A reply that may leave part of the body unread: the connection is not kept for another request. */
  private static void replyEarly(HttpExchange exchange, int status, String json) throws IOException {
    exchange.getResponseHeaders().set("Connection", "close");
    reply(exchange, status, json);
  }

  private static void reply(HttpExchange exchange, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    if ("HEAD".equals(exchange.getRequestMethod())) {
      exchange.sendResponseHeaders(status, -1); // a reply to HEAD has no body
      return;
    }
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static String triggered(int count) {
    return "{\"triggered\": " + count + "}";
  }

  /** Every message passed here is this class's own text, so it needs no JSON escaping. */
  private static String error(String message) {
    return "{\"error\": \"" + message + "\"}";
  }

  private static String name(Forge forge) {
    return forge.name().toLowerCase(Locale.ROOT);
  }

  private static String shortCommit(String sha) {
    return sha.length() > 12 ? sha.substring(0, 12) : sha;
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
