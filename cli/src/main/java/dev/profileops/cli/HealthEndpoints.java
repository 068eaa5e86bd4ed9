package dev.profileops.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.profileops.cli.profiling.JfrProfiling;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The kubelet's probes: {@code /healthz} answers 200 while the process serves requests (liveness; the
 * startup probe of the controller too), {@code /readyz} answers 200 once the component does its job and
 * 503 with the reason before (readiness; the node daemon's startup probe: its profiles are installed).
 * On a port of its own, so that probes never wait behind a slow metrics scrape or webhook.
 */
final class HealthEndpoints implements AutoCloseable {
  private final HttpServer server;

  private HealthEndpoints(HttpServer server) {
    this.server = server;
  }

  /**
   * @param notReady why the component is not ready yet; empty when it is
   */
  static HealthEndpoints start(InetSocketAddress address, Supplier<Optional<String>> notReady) throws IOException {
    return start(address, notReady, null);
  }

  /**
   * With {@code /debug/jfr} too: the JFR recording of {@code profiling} while the spod's
   * {@code enableProfiling} is on, 404 with the reason while it is off.
   */
  static HealthEndpoints start(InetSocketAddress address, Supplier<Optional<String>> notReady, JfrProfiling profiling) throws IOException {
    HttpServer server = HttpServer.create(address, 0);
    if (profiling != null) {
      server.createContext("/debug/jfr", exchange -> serveRecording(exchange, profiling));
    }
    server.createContext("/healthz", exchange -> respond(exchange, 200, "ok"));
    server.createContext("/readyz", exchange -> {
      Optional<String> reason;
      try {
        reason = notReady.get();
      } catch (RuntimeException e) {
        reason = Optional.of("readiness check failed: " + e);
      }
      respond(exchange, reason.isEmpty() ? 200 : 503, reason.map(r -> "not ready: " + r).orElse("ok"));
    });
    // One thread: probes are rare and tiny, and a second probe waits rather than piling up threads.
    server.setExecutor(Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "health-endpoints");
      t.setDaemon(true);
      return t;
    }));
    server.start();
    return new HealthEndpoints(server);
  }

  int port() {
    return server.getAddress().getPort();
  }

  private static void serveRecording(HttpExchange exchange, JfrProfiling profiling) throws IOException {
    if (!"GET".equals(exchange.getRequestMethod())) {
      respond(exchange, 405, "GET only");
      return;
    }
    if (!profiling.enabled()) {
      respond(exchange, 404, "profiling is off: set spec.enableProfiling: true in the SecurityProfilesOperatorDaemon spod");
      return;
    }
    // Streamed (chunked) from the dumped file: a recording may be tens of MB, more than the heap should hold.
    try (exchange) {
      exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
      exchange.getResponseHeaders().set("Content-Disposition", "attachment; filename=\"profileops.jfr\"");
      exchange.sendResponseHeaders(200, 0);
      profiling.dump(exchange.getResponseBody());
    }
  }

  private static void respond(HttpExchange exchange, int status, String text) throws IOException {
    try (exchange) {
      if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] body = (text + "\n").getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
      exchange.sendResponseHeaders(status, "HEAD".equals(exchange.getRequestMethod()) ? -1 : body.length);
      if (!"HEAD".equals(exchange.getRequestMethod())) {
        exchange.getResponseBody().write(body);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
