package dev.profileops.nodedaemon.enricher;

import dev.profileops.nodedaemon.enricher.output.EnrichedEvent;
import dev.profileops.nodedaemon.enricher.output.EnrichedSink;
import dev.profileops.nodedaemon.enricher.parse.AuditEvent;
import dev.profileops.nodedaemon.enricher.parse.AuditEventAssembler;
import dev.profileops.nodedaemon.enricher.parse.ParseStats;
import dev.profileops.nodedaemon.enricher.resolve.PodContainer;
import dev.profileops.nodedaemon.enricher.resolve.ProcessResolution;
import dev.profileops.nodedaemon.enricher.resolve.ProcessResolver;
import dev.profileops.nodedaemon.enricher.resolve.SyscallNames;
import dev.profileops.nodedaemon.enricher.source.LineSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a log source, parses its audit lines, finds the pod container behind each event's pid and
 * hands the enriched events to a sink. Events of a container whose pod the node's pods do not show
 * yet wait in a bounded backlog and are tried again on each poll, for at most {@code backlogWait};
 * then, or when the backlog is full (oldest first), they go out without a pod. A process that exited
 * before it was looked up goes out at once, without container or pod. One thread runs it.
 */
public final class LogEnricher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LogEnricher.class);

  private final LineSource source;
  private final ProcessResolver resolver;
  private final SyscallNames syscallNames;
  private final String node;
  private final EnrichedSink sink;
  private final EnricherMetrics metrics;
  private final LongSupplier nanos;
  private final boolean waitForPods;
  private final int maxBacklog;
  private final long backlogWaitNanos;
  private final AuditEventAssembler assembler;
  private final Deque<Waiting> backlog = new ArrayDeque<>();
  private long lastMalformed;
  private long backlogOverflow;
  private volatile boolean stopped;

  public LogEnricher(LineSource source, ProcessResolver resolver, SyscallNames syscallNames, String node, EnrichedSink sink,
      EnricherMetrics metrics, LongSupplier nanos, boolean waitForPods, int maxBacklog, Duration backlogWait) {
    this.source = source;
    this.resolver = resolver;
    this.syscallNames = syscallNames;
    this.node = node;
    this.sink = sink;
    this.metrics = metrics;
    this.nanos = nanos;
    this.waitForPods = waitForPods;
    this.maxBacklog = maxBacklog;
    this.backlogWaitNanos = backlogWait.toNanos();
    this.assembler = new AuditEventAssembler(this::enrich, new ParseStats());
  }

  /** Reads what the source has now; false when it had nothing and nothing is waiting. */
  public boolean pollOnce() throws IOException {
    boolean read;
    try {
      read = source.poll(assembler::accept);
      if (!read) {
        assembler.flush(); // idle: AVCs still waiting for a SYSCALL record will not get one
      }
      retryBacklog(false);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    ParseStats stats = assembler.stats();
    while (lastMalformed < stats.malformed()) {
      lastMalformed++;
      metrics.malformed();
      LOG.debug("skipped a malformed audit line: {}", stats.lastMalformed());
    }
    sink.flush();
    return read || !backlog.isEmpty();
  }

  /** Polls until {@link #stop()}, pausing {@code idle} when there was nothing to read. */
  public void run(Duration idle) throws IOException, InterruptedException {
    while (!stopped) {
      if (!pollOnce()) {
        Thread.sleep(idle.toMillis());
      }
    }
  }

  /** Sends out everything still waiting (at the end of a one-off read). */
  public void drain() throws IOException {
    assembler.flush();
    retryBacklog(true);
    sink.flush();
  }

  public void stop() {
    stopped = true;
  }

  public ParseStats stats() {
    return assembler.stats();
  }

  public long backlogOverflow() {
    return backlogOverflow;
  }

  @Override
  public void close() throws IOException {
    source.close();
  }

  private void enrich(AuditEvent event) {
    ProcessResolution resolution = resolver.resolve(event.pid());
    if (waitForPods && resolution.awaitsPod()) {
      if (backlog.size() >= maxBacklog) {
        backlogOverflow++;
        Waiting oldest = backlog.removeFirst();
        emit(oldest.event, oldest.containerId, null);
      }
      backlog.addLast(new Waiting(event, resolution.containerId(), nanos.getAsLong()));
      return;
    }
    emit(event, resolution.containerId(), resolution.pod());
  }

  private void retryBacklog(boolean giveUp) {
    long now = nanos.getAsLong();
    int count = backlog.size();
    for (int i = 0; i < count; i++) {
      Waiting waiting = backlog.removeFirst();
      Optional<PodContainer> pod = resolver.pod(waiting.containerId);
      if (pod.isPresent() || giveUp || now - waiting.since >= backlogWaitNanos) {
        emit(waiting.event, waiting.containerId, pod.orElse(null));
      } else {
        backlog.addLast(waiting);
      }
    }
  }

  private void emit(AuditEvent event, String containerId, PodContainer pod) {
    String arch = "";
    String syscall = "";
    if (event instanceof AuditEvent.Seccomp seccomp) {
      arch = SyscallNames.architecture(seccomp.arch());
      syscall = syscallNames.name(seccomp.arch(), seccomp.syscall());
    } else if (event instanceof AuditEvent.Selinux avc && avc.syscall() >= 0) {
      arch = SyscallNames.architecture(avc.arch());
      syscall = syscallNames.name(avc.arch(), avc.syscall());
    }
    EnrichedEvent enriched = new EnrichedEvent(event, node, containerId, pod, arch, syscall);
    metrics.count(enriched);
    try {
      sink.accept(enriched);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private record Waiting(AuditEvent event, String containerId, long since) {}
}
