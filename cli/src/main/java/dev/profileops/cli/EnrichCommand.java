package dev.profileops.cli;

import dev.profileops.host.seccomp.SyscallTable;
import dev.profileops.nodedaemon.enricher.EnricherMetrics;
import dev.profileops.nodedaemon.enricher.LogEnricher;
import dev.profileops.nodedaemon.enricher.output.Deduplicator;
import dev.profileops.nodedaemon.enricher.output.EnrichedSink;
import dev.profileops.nodedaemon.enricher.output.JsonLinesWriter;
import dev.profileops.nodedaemon.enricher.resolve.PodDirectory;
import dev.profileops.nodedaemon.enricher.resolve.ProcFsProcessTable;
import dev.profileops.nodedaemon.enricher.resolve.ProcessResolver;
import dev.profileops.nodedaemon.enricher.resolve.SyscallNames;
import dev.profileops.nodedaemon.enricher.source.LineSource;
import dev.profileops.nodedaemon.enricher.source.SourceDetector;
import dev.profileops.nodedaemon.enricher.source.SourceKind;
import dev.profileops.syncer.profilesource.Durations;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/**
 * Local mode of the log enricher: prints this machine's seccomp, SELinux and AppArmor audit lines as
 * JSON, one object per line, with the container id from {@code /proc} (pod fields stay empty without
 * a cluster).
 */
@Command(name = "enrich", description = {
    "Print this machine's seccomp, SELinux and AppArmor audit lines as JSON lines, with the process's container.",
    "Without --follow: what the log holds now, then exit. With --follow: new lines as they come."})
final class EnrichCommand implements Callable<Integer> {

  @Option(names = "--source", defaultValue = "auto", converter = SourceConverter.class,
      description = "auto (auditd's log if auditd runs, else /dev/kmsg, else syslog), auditd, kmsg or syslog (default: auto)")
  SourceKind source;

  @Option(names = "--follow", description = "Keep reading new lines (from the end of the log) until interrupted")
  boolean follow;

  @Option(names = "--output", description = "Write the JSON lines to this file instead of stdout")
  Path output;

  @Option(names = "--dedupe", converter = DurationConverter.class,
      description = "Print each distinct (container, syscall or permission) once per window, e.g. 30s or 5m")
  Duration dedupe;

  @Option(names = "--log-file", description = "Read this file as the auditd or syslog source (default: /var/log/audit/audit.log, /var/log/syslog ...)")
  Path logFile;

  @Option(names = "--node-name", defaultValue = "${env:NODE_NAME}", description = "Node name in the output (default: $NODE_NAME or the host name)")
  String nodeName;

  @Override
  public Integer call() throws Exception {
    SourceDetector detector = logFile == null ? SourceDetector.system()
        : new SourceDetector(Path.of("/proc"), logFile, List.of(logFile), Path.of("/dev/kmsg"));
    SourceKind kind = source == SourceKind.AUTO ? detector.detect() : source;
    SyscallTable table = Syscalls.load(System.err);
    String node = nodeName != null && !nodeName.isBlank() ? nodeName : InetAddress.getLocalHost().getHostName();
    OutputStream out = output == null ? System.out : new BufferedOutputStream(new FileOutputStream(output.toFile(), true));
    LineSource lines;
    try {
      lines = detector.open(kind, !follow);
    } catch (IOException e) {
      System.err.println("error: cannot read the " + kind.name().toLowerCase() + " log: " + e.getMessage());
      return 1;
    }
    System.err.println("reading " + lines.describe() + (follow ? ", following" : ""));
    JsonLinesWriter writer = new JsonLinesWriter(out);
    EnrichedSink sink = dedupe == null ? writer : new Deduplicator(writer, dedupe, System::nanoTime, 100_000);
    try (LogEnricher enricher = new LogEnricher(lines, ProcessResolver.withDefaults(ProcFsProcessTable.system(), PodDirectory.NONE),
        new SyscallNames(table), node, sink, new EnricherMetrics(new SimpleMeterRegistry(), node, 1000), System::nanoTime,
        false, 0, Duration.ZERO)) {
      if (follow) {
        Runtime.getRuntime().addShutdownHook(new Thread(enricher::stop));
        enricher.run(Duration.ofMillis(100));
      } else {
        while (enricher.pollOnce()) {
          // read everything the log holds now
        }
      }
      enricher.drain();
      if (enricher.stats().malformed() > 0) {
        System.err.println("skipped " + enricher.stats().malformed() + " malformed audit lines, the last: "
            + enricher.stats().lastMalformed());
      }
    } finally {
      out.flush();
      if (output != null) {
        out.close();
      }
    }
    return 0;
  }

  static final class SourceConverter implements ITypeConverter<SourceKind> {
    @Override
    public SourceKind convert(String value) {
      return SourceKind.parse(value);
    }
  }

  /** {@code 30s}, {@code 5m}, {@code 1h} (as the sync intervals, {@link Durations}), or ISO-8601 ({@code PT30S}). */
  static final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      String text = value.trim().toLowerCase();
      try {
        // Blank is no duration here (Durations would hand back the fallback).
        return text.startsWith("pt") ? Duration.parse(text.toUpperCase()) : Objects.requireNonNull(Durations.parse(text, null));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("not a duration: '" + value + "' (e.g. 30s, 5m, 1h)");
      }
    }
  }
}
