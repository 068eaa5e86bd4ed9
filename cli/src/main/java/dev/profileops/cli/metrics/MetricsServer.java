package dev.profileops.cli.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.profileops.cli.tls.ServerTls;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * {@code /metrics} in the Prometheus text format: over TLS to clients the API server authorises
 * ({@link MetricsAccessReview}), or, with {@code --insecure-metrics} for development, over plain HTTP
 * to anyone.
 */
public final class MetricsServer implements AutoCloseable {
  public static final String PATH = "/metrics";

  private final HttpServer server;

  private MetricsServer(HttpServer server) {
    this.server = server;
  }

  public static MetricsServer secure(InetSocketAddress address, ServerTls tls, MetricsAccessReview access,
      Supplier<String> scrape) throws IOException {
    HttpsServer server = HttpsServer.create(address, 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls.context()));
    server.createContext(PATH, exchange -> {
      MetricsAccessReview.Decision decision = access.review(exchange.getRequestHeaders().getFirst("Authorization"));
      if (decision.allowed()) {
        serve(exchange, scrape);
      } else {
        if (decision.httpStatus() == 401) {
          exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
        }
        respond(exchange, decision.httpStatus(), "text/plain; charset=utf-8", decision.reason() + "\n");
      }
    });
    server.start();
    return new MetricsServer(server);
  }

  public static MetricsServer insecure(InetSocketAddress address, Supplier<String> scrape) throws IOException {
    HttpServer server = HttpServer.create(address, 0);
    server.createContext(PATH, exchange -> serve(exchange, scrape));
    server.start();
    return new MetricsServer(server);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void serve(HttpExchange exchange, Supplier<String> scrape) throws IOException {
    respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", scrape.get());
  }

  private static void respond(HttpExchange exchange, int status, String type, String text) throws IOException {
    try (exchange) {
      byte[] body = text.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", type);
      exchange.sendResponseHeaders(status, body.length);
      exchange.getResponseBody().write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
