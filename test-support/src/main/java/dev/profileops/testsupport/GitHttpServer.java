package dev.profileops.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Git's smart HTTP protocol on {@code http://127.0.0.1:PORT/NAME.git}: a small HTTP server that runs
 * {@code git http-backend} as a CGI program for every request, serving the bare repositories of a
 * temporary directory (pushes included). With a user and password it demands HTTP Basic
 * authentication on every request (401 with {@code WWW-Authenticate} otherwise), as a forge does.
 *
 * <p>{@link #stop()} takes the server off the network (connections are refused, as in an outage);
 * {@link #restart()} serves again on the same port. {@link #close()} stops it for good and deletes
 * the repositories.
 *
 * <pre>{@code
 * try (GitHttpServer http = GitHttpServer.start("git", "s3cr3t"); GitWorkTree work = GitWorkTree.init()) {
 *   http.createBareRepo("profiles");
 *   work.write("seccomp/a.yaml", "...").commitAll("add a");
 *   work.push(http.pushUrl("profiles"), "main");   // or push to the bare repository's path
 *   // fetch http.url("profiles") with user "git" and password "s3cr3t"
 * }
 * }</pre>
 */
public final class GitHttpServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GitHttpServer.class);
  private static final Duration GIT_TIMEOUT = Duration.ofSeconds(60);
  private static final int BIND_ATTEMPTS = 50;
  /** Request bodies are buffered in memory: test repositories are small. */
  private static final int MAX_REQUEST_BODY = 64 * 1024 * 1024;

  private final Path basePath;
  private final Path backend;
  private final String user;
  private final String password;
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private int port;
  private HttpServer server;
  private ExecutorService executor;
  private boolean closed;

  private GitHttpServer(Path basePath, Path backend, String user, String password) {
    this.basePath = basePath;
    this.backend = backend;
    this.user = user;
    this.password = password;
  }

  /** Why {@code git http-backend} cannot run here, or empty. */
  public static Optional<String> unavailableReason() {
    if (Commands.find("git").isEmpty()) {
      return Optional.of("git is not installed (apt-get install git)");
    }
    try {
      backendPath();
    } catch (IOException e) {
      return Optional.of(e.getMessage());
    }
    return Optional.empty();
  }

  /**
   * Skips the calling test, with the reason, when {@code git http-backend} cannot run here; fails it
   * instead when the environment variable {@code CI} is set.
   */
  public static void assumeAvailable() {
    Commands.assumeOrFailInCi(unavailableReason());
  }

  /** A server that asks for no authentication. */
  public static GitHttpServer start() throws IOException {
    return start(null, null);
  }

  /**
   * A server on 127.0.0.1 and a free port that accepts only requests with HTTP Basic credentials
   * {@code user}:{@code password}; with a null user, it asks for none.
   */
  public static GitHttpServer start(String user, String password) throws IOException {
    if ((user == null) != (password == null)) {
      throw new IllegalArgumentException("give both a user and a password, or neither");
    }
    Path backend = backendPath();
    Path base = Files.createTempDirectory("profileops-git-http-");
    GitHttpServer server = new GitHttpServer(base, backend, user, password);
    try {
      server.bind(0);
    } catch (IOException | RuntimeException e) {
      Commands.deleteTree(base);
      throw e;
    }
    return server;
  }

  /** The directory served: {@code url(name)} is {@code basePath()/name.git}. */
  public Path basePath() {
    return basePath;
  }

  public int port() {
    return port;
  }

  /** The user that authenticates, or null when the server asks for no authentication. */
  public String user() {
    return user;
  }

  /** The password that authenticates, or null when the server asks for no authentication. */
  public String password() {
    return password;
  }

  /**
   * Creates the bare repository {@code name.git} (HEAD on {@code main}) that the server serves and
   * takes pushes to.
   *
   * @return the repository's directory, which a test can also push to directly
   */
  public Path createBareRepo(String name) throws IOException {
    return BareRepositories.create(basePath, name, "http.receivepack", "true");
  }

  /** {@code http://127.0.0.1:PORT/name.git}, without credentials. */
  public String url(String name) {
    return "http://127.0.0.1:" + port + "/" + BareRepositories.path(name);
  }

  /** {@link #url} with the credentials in it, for the git command line (which never prompts here). */
  public String pushUrl(String name) {
    if (user == null) {
      return url(name);
    }
    return "http://" + urlEncode(user) + ":" + urlEncode(password) + "@127.0.0.1:" + port + "/" + BareRepositories.path(name);
  }

  /**
   * Every request so far as {@code METHOD /path?query -> status}, oldest first; a request body's
   * content or transfer encoding shows in brackets: {@code POST /r.git/git-upload-pack [gzip] -> 200}.
   */
  public List<String> requests() {
    return List.copyOf(requests);
  }

  public synchronized boolean isRunning() {
    return server != null;
  }

  /** Takes the server off the network: new connections are refused until {@link #restart()}. */
  public synchronized void stop() {
    if (server == null) {
      return;
    }
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    server = null;
    executor = null;
    LOG.debug("git http server on 127.0.0.1:{} stopped", port);
  }

  /** Serves again, on the same port as before {@link #stop()}. */
  public synchronized void restart() throws IOException {
    if (closed) {
      throw new IllegalStateException("closed");
    }
    if (server == null) {
      bind(port);
    }
  }

  /** Stops the server for good and deletes its repositories. */
  @Override
  public synchronized void close() {
    stop();
    closed = true;
    Commands.deleteTree(basePath);
  }

  @Override
  public String toString() {
    return "GitHttpServer[127.0.0.1:" + port + ", " + basePath + (user == null ? "" : ", user " + user) + "]";
  }

  private synchronized void bind(int wantedPort) throws IOException {
    IOException last = null;
    for (int attempt = 1; attempt <= BIND_ATTEMPTS; attempt++) {
      try {
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), wantedPort), 50);
        ExecutorService pool = Executors.newCachedThreadPool(r -> {
          Thread t = new Thread(r, "git-http-backend");
          t.setDaemon(true);
          return t;
        });
        http.setExecutor(pool);
        http.createContext("/", this::handle);
        http.start();
        this.server = http;
        this.executor = pool;
        this.port = http.getAddress().getPort();
        LOG.debug("git http server serving {} on 127.0.0.1:{}", basePath, port);
        return;
      } catch (BindException e) {
        // The old socket of this port may linger a moment after stop(): try again.
        last = e;
        try {
          Thread.sleep(100);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while binding port " + wantedPort);
        }
      }
    }
    throw new IOException("cannot bind 127.0.0.1:" + wantedPort, last);
  }

  private void handle(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String rawPath = exchange.getRequestURI().getRawPath();
    String query = exchange.getRequestURI().getRawQuery();
    String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
    String chunked = exchange.getRequestHeaders().getFirst("Transfer-Encoding");
    String line = method + " " + rawPath + (query == null ? "" : "?" + query) + (encoding == null ? "" : " [" + encoding + "]")
        + (chunked == null ? "" : " [" + chunked + "]");
    int status = 500;
    try {
      String remoteUser = null;
      if (user != null) {
        remoteUser = authenticated(exchange.getRequestHeaders().getFirst("Authorization"));
        if (remoteUser == null) {
          status = 401;
          exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"git\"");
          exchange.getResponseHeaders().set("Content-Type", "text/plain");
          sendBody(exchange, 401, "authentication required\n".getBytes(StandardCharsets.US_ASCII));
          return;
        }
      }
      status = runBackend(exchange, method, exchange.getRequestURI().getPath(), query, remoteUser);
    } catch (IOException | RuntimeException e) {
      LOG.warn("{} failed: {}", line, e.toString());
      throw e;
    } finally {
      requests.add(line + " -> " + status);
      exchange.close();
    }
  }

  /** The user named by valid Basic credentials, or null. */
  private String authenticated(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      return null;
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      return null;
    }
    String givenUser = decoded.substring(0, colon);
    String givenPassword = decoded.substring(colon + 1);
    return user.equals(givenUser) && password.equals(givenPassword) ? givenUser : null;
  }

  /** Runs {@code git http-backend} for one request; returns the HTTP status sent. */
  private int runBackend(HttpExchange exchange, String method, String path, String query, String remoteUser)
      throws IOException {
    Path in = Files.createTempFile("profileops-cgi-", ".in");
    Path out = Files.createTempFile("profileops-cgi-", ".out");
    Path err = Files.createTempFile("profileops-cgi-", ".err");
    try {
      long length;
      try (InputStream body = exchange.getRequestBody(); OutputStream file = Files.newOutputStream(in)) {
        length = copy(body, file);
      }
      ProcessBuilder pb = new ProcessBuilder(backend.toString());
      Map<String, String> env = pb.environment();
      env.putAll(GitWorkTree.hermeticEnv());
      env.put("GIT_PROJECT_ROOT", basePath.toString());
      env.put("GIT_HTTP_EXPORT_ALL", "1");
      env.put("GATEWAY_INTERFACE", "CGI/1.1");
      env.put("SERVER_PROTOCOL", exchange.getProtocol());
      env.put("SERVER_SOFTWARE", "profileops-test-support");
      env.put("SERVER_NAME", "127.0.0.1");
      env.put("SERVER_PORT", Integer.toString(port));
      env.put("REQUEST_METHOD", method);
      env.put("PATH_INFO", path);
      env.put("QUERY_STRING", query == null ? "" : query);
      env.put("REMOTE_ADDR", exchange.getRemoteAddress().getAddress().getHostAddress());
      if (remoteUser != null) {
        env.put("REMOTE_USER", remoteUser);
        env.put("AUTH_TYPE", "Basic");
      }
      String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
      if (contentType != null) {
        env.put("CONTENT_TYPE", contentType);
      }
      // The whole body is at hand (de-chunked), so its length is known even when the client streamed it.
      env.put("CONTENT_LENGTH", Long.toString(length));
      // git http-backend inflates gzip bodies itself when told so.
      String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
      if (encoding != null) {
        env.put("HTTP_CONTENT_ENCODING", encoding);
      }
      String protocol = exchange.getRequestHeaders().getFirst("Git-Protocol");
      if (protocol != null) {
        env.put("GIT_PROTOCOL", protocol);
      }
      pb.redirectInput(in.toFile());
      pb.redirectOutput(out.toFile());
      pb.redirectError(err.toFile());
      Process process = pb.start();
      boolean finished;
      try {
        finished = process.waitFor(GIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Commands.destroyTree(process.toHandle());
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while running git http-backend");
      }
      if (!finished) {
        Commands.destroyTree(process.toHandle());
        sendBody(exchange, 504, "git http-backend timed out\n".getBytes(StandardCharsets.US_ASCII));
        return 504;
      }
      String stderr = Files.readString(err, StandardCharsets.UTF_8).strip();
      if (!stderr.isEmpty()) {
        LOG.debug("git http-backend {} {}: {}", method, path, stderr);
      }
      return respond(exchange, Files.readAllBytes(out), process.exitValue(), stderr);
    } finally {
      Files.deleteIfExists(in);
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /** Sends a CGI response: header lines up to an empty line ({@code Status:} sets the code), then the body. */
  private static int respond(HttpExchange exchange, byte[] cgi, int exitCode, String stderr) throws IOException {
    int status = 200;
    int pos = 0;
    boolean headerEnded = false;
    while (pos < cgi.length) {
      int eol = indexOf(cgi, (byte) '\n', pos);
      if (eol < 0) {
        break;
      }
      int end = eol > pos && cgi[eol - 1] == '\r' ? eol - 1 : eol;
      String header = new String(cgi, pos, end - pos, StandardCharsets.ISO_8859_1);
      pos = eol + 1;
      if (header.isEmpty()) {
        headerEnded = true;
        break;
      }
      int colon = header.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      String name = header.substring(0, colon).trim();
      String value = header.substring(colon + 1).trim();
      if (name.equalsIgnoreCase("Status")) {
        status = Integer.parseInt(value.split(" ", 2)[0]);
      } else if (!name.toLowerCase(Locale.ROOT).equals("content-length")) {
        exchange.getResponseHeaders().add(name, value);
      }
    }
    if (!headerEnded) {
      String message = "git http-backend exited " + exitCode + " without a CGI response"
          + (stderr.isEmpty() ? "" : ": " + stderr) + "\n";
      exchange.getResponseHeaders().set("Content-Type", "text/plain");
      sendBody(exchange, 502, message.getBytes(StandardCharsets.UTF_8));
      return 502;
    }
    byte[] body = new byte[cgi.length - pos];
    System.arraycopy(cgi, pos, body, 0, body.length);
    sendBody(exchange, status, body);
    return status;
  }

  private static void sendBody(HttpExchange exchange, int status, byte[] body) throws IOException {
    // For HttpServer, 0 means "chunked" and -1 means "no body".
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream os = exchange.getResponseBody()) {
        os.write(body);
      }
    }
  }

  private static long copy(InputStream in, OutputStream out) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    long total = 0;
    try (InputStream buffered = new BufferedInputStream(in)) {
      int n;
      while ((n = buffered.read(buffer)) > 0) {
        total += n;
        if (total > MAX_REQUEST_BODY) {
          throw new IOException("request body larger than " + MAX_REQUEST_BODY + " bytes");
        }
        out.write(buffer, 0, n);
      }
    }
    return total;
  }

  private static int indexOf(byte[] data, byte b, int from) {
    for (int i = from; i < data.length; i++) {
      if (data[i] == b) {
        return i;
      }
    }
    return -1;
  }

  private static String urlEncode(String s) {
    return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static Path backendPath() throws IOException {
    return LoopbackServers.gitProgram("git-http-backend", "http-backend");
  }

}
