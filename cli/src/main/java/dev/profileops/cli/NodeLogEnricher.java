package dev.profileops.cli;

import dev.profileops.host.proc.NetlinkProcessForks;
import dev.profileops.host.proc.ProcessForks;
import dev.profileops.host.seccomp.SyscallTable;
import dev.profileops.nodedaemon.enricher.EnricherMetrics;
import dev.profileops.nodedaemon.enricher.LogEnricher;
import dev.profileops.nodedaemon.enricher.output.EnrichedSinks;
import dev.profileops.nodedaemon.enricher.output.JsonLinesWriter;
import dev.profileops.nodedaemon.enricher.resolve.NodePodDirectory;
import dev.profileops.nodedaemon.enricher.resolve.ProcFsProcessTable;
import dev.profileops.nodedaemon.enricher.resolve.ProcessAncestry;
import dev.profileops.nodedaemon.enricher.resolve.ProcessResolver;
import dev.profileops.nodedaemon.enricher.resolve.SyscallNames;
import dev.profileops.nodedaemon.enricher.source.LineSource;
import dev.profileops.nodedaemon.enricher.source.SourceDetector;
import dev.profileops.nodedaemon.enricher.source.SourceKind;
import dev.profileops.nodedaemon.recording.LogRecordingReconciler;
import dev.profileops.nodedaemon.recording.LoggedAvcs;
import dev.profileops.nodedaemon.recording.LoggedSyscalls;
import dev.profileops.nodedaemon.recording.RecordedProfileWriter;
import dev.profileops.nodedaemon.recording.RecordingNamespaces;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * The node daemon's log enricher: the node's log (auto-detected), fork events, the node's pods; its
 * JSON lines go to stdout (the daemon's log stream) and the seccomp lines of recorded containers to
 * the log recording. Runs on its own thread.
 */
final class NodeLogEnricher implements AutoCloseable {
  private final LogEnricher enricher;
  private final NodePodDirectory pods;
  private final ProcessForks forks;
  private final LogRecordingReconciler recording;
  private final Thread thread;

  private NodeLogEnricher(LogEnricher enricher, NodePodDirectory pods, ProcessForks forks, LogRecordingReconciler recording) {
    this.enricher = enricher;
    this.pods = pods;
    this.forks = forks;
    this.recording = recording;
    this.thread = new Thread(this::run, "log-enricher");
    thread.setDaemon(true);
  }

  static NodeLogEnricher start(KubernetesClient client, String node, SourceKind source, SyscallTable syscalls, Path kubeletDir,
      MeterRegistry metrics) throws IOException {
    SourceDetector detector = SourceDetector.system();
    SourceKind kind = source == SourceKind.AUTO ? detector.detect() : source;
    LineSource lines = detector.open(kind, false);
    LogRecordingReconciler.installTraceProfile(kubeletDir);
    ProcessAncestry ancestry = new ProcessAncestry(65_536);
    ProcessForks forks = NetlinkProcessForks.start(ancestry);
    NodePodDirectory pods = NodePodDirectory.start(client, node);
    LoggedSyscalls logged = new LoggedSyscalls();
    LoggedAvcs avcs = new LoggedAvcs();
    LogEnricher enricher = new LogEnricher(lines, ProcessResolver.withDefaults(ProcFsProcessTable.system(), pods, ancestry),
        new SyscallNames(syscalls), node, EnrichedSinks.all(new JsonLinesWriter(System.out), logged, avcs),
        new EnricherMetrics(metrics, node, 2000), System::nanoTime, true, 10_000, Duration.ofSeconds(10));
    System.err.println("log enricher: reading " + lines.describe() + (forks.available() ? ", with fork events"
        : ", without fork events (" + forks.reason() + "): lines of processes gone before they are read have no pod"));
    LogRecordingReconciler recording = new LogRecordingReconciler(node, logged, avcs, RecordingNamespaces.labelled(client),
        new RecordedProfileWriter(client, node),
        syscalls.nativeArchitecture(), Clock.systemUTC());
    NodeLogEnricher started = new NodeLogEnricher(enricher, pods, forks, recording);
    started.thread.start();
    return started;
  }

  LogRecordingReconciler recording() {
    return recording;
  }

  private void run() {
    try {
      enricher.run(Duration.ofMillis(50));
    } catch (IOException e) {
      System.err.println("log enricher stopped: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    enricher.stop();
    try {
      thread.join(2000);
      enricher.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // closing a log file: nothing left to do
    }
    forks.close();
    pods.close();
  }
}
