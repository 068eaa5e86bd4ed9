package dev.profileops.cli.metrics;

import dev.profileops.cli.tls.ServerTls;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine.Option;

/**
 * How a component serves {@code /metrics}: the options the controller and the node daemon share (each
 * has its own {@code --metrics-port}, their defaults differ), and starting the server they describe.
 */
public final class MetricsOptions {

  @Option(names = "--insecure-metrics", description = "Serve /metrics over plain HTTP to anyone (development only); "
      + "otherwise over TLS to clients whose bearer token may get /metrics (TokenReview + SubjectAccessReview)")
  boolean insecure;

  @Option(names = "--metrics-cert-file", description = "PEM certificate (chain) of the metrics endpoint; default: self-signed, made at start")
  Path certFile;

  @Option(names = "--metrics-key-file", description = "PEM private key of --metrics-cert-file")
  Path keyFile;

  public boolean insecure() {
    return insecure;
  }

  /**
   * Starts the endpoint on {@code port}; a self-signed certificate names {@code serviceName} (the
   * metrics Service's DNS name) and localhost.
   */
  public MetricsServer start(int port, KubernetesClient client, String serviceName, Supplier<String> scrape)
      throws IOException, GeneralSecurityException {
    InetSocketAddress address = new InetSocketAddress(port);
    if (insecure) {
      return MetricsServer.insecure(address, scrape);
    }
    ServerTls tls = certFile != null
        ? ServerTls.fromPem(certFile, keyFile != null ? keyFile : certFile)
        : ServerTls.selfSigned(List.of(serviceName, "localhost"));
    return MetricsServer.secure(address, tls, new MetricsAccessReview(client, MetricsServer.PATH), scrape);
  }

  /** The DNS name of Service {@code name} in this pod's namespace ($POD_NAMESPACE, else profileops). */
  public static String serviceName(String name) {
    return name + "." + System.getenv().getOrDefault("POD_NAMESPACE", "profileops") + ".svc";
  }
}
