package dev.profileops.benchmarks;

import dev.profileops.host.seccomp.SyscallTables;
import dev.profileops.nodedaemon.enricher.EnricherMetrics;
import dev.profileops.nodedaemon.enricher.LogEnricher;
import dev.profileops.nodedaemon.enricher.output.JsonLinesWriter;
import dev.profileops.nodedaemon.enricher.resolve.PodDirectory;
import dev.profileops.nodedaemon.enricher.resolve.ProcFsProcessTable;
import dev.profileops.nodedaemon.enricher.resolve.ProcessResolver;
import dev.profileops.nodedaemon.enricher.resolve.SyscallNames;
import dev.profileops.nodedaemon.enricher.source.FollowedFile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Lines per second the log enricher parses and enriches (pid looked up in /proc, syscall named, JSON
 * written to a discarded stream) on a generated audit log, against {@code ausearch -i --input} on the
 * same file in the same run. Run it on one core ({@code taskset -c 0}, see
 * {@code benchmarks/log-enricher.sh}). Not a test.
 *
 * <p>Arguments: {@code --lines N} (default 2,000,000), {@code --pids N} distinct pids (default
 * 1,000,000), {@code --runs N} measured runs after one warm-up (default 3), {@code --ausearch PATH}
 * (default {@code ausearch}; {@code none} skips it), {@code --file PATH} (default a temporary file).
 */
public final class LogEnricherBenchmark {
  private LogEnricherBenchmark() {}

  public static void main(String[] args) throws Exception {
    int lines = 2_000_000;
    int pids = 1_000_000;
    int runs = 3;
    String ausearch = "ausearch";
    Path file = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--lines" -> lines = Integer.parseInt(args[++i]);
        case "--pids" -> pids = Integer.parseInt(args[++i]);
        case "--runs" -> runs = Integer.parseInt(args[++i]);
        case "--ausearch" -> ausearch = args[++i];
        case "--file" -> file = Path.of(args[++i]);
        default -> {
          System.err.println("usage: LogEnricherBenchmark [--lines N] [--pids N] [--runs N] [--ausearch PATH|none] [--file PATH]");
          System.exit(2);
        }
      }
    }
    Path log = file != null ? file : Files.createTempFile("profileops-audit-", ".log");
    long bytes = generate(log, lines, pids);
    System.out.printf(Locale.ROOT, "file %s: %,d lines, %,d distinct pids, %.1f MiB%n", log, lines, pids, bytes / 1048576.0);
    System.out.printf(Locale.ROOT, "cpus visible to the JVM: %d%n", Runtime.getRuntime().availableProcessors());

    measure(log, lines); // warm-up
    List<Double> rates = new ArrayList<>();
    for (int run = 1; run <= runs; run++) {
      double rate = measure(log, lines);
      rates.add(rate);
      System.out.printf(Locale.ROOT, "enricher run %d: %,.0f lines/s%n", run, rate);
    }
    double best = rates.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    System.gc();
    long heap = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
    System.out.printf(Locale.ROOT, "enricher best: %,.0f lines/s; heap after GC %.1f MiB, RSS max %s%n", best, heap / 1048576.0, vmHwm());

    if (!ausearch.equals("none")) {
      long start = System.nanoTime();
      ProcessBuilder pb = new ProcessBuilder(ausearch, "-i", "--input", log.toString());
      pb.redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
      Process process = pb.start();
      if (!process.waitFor(30, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IllegalStateException("ausearch took more than 30 minutes");
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      double rate = lines / seconds;
      System.out.printf(Locale.ROOT, "ausearch -i --input: %.2f s, %,.0f lines/s (exit %d)%n", seconds, rate, process.exitValue());
      System.out.printf(Locale.ROOT, "ratio enricher/ausearch: %.1fx%n", best / rate);
    }
    if (file == null) {
      Files.delete(log);
    }
  }

  /** One pass over the whole file; returns lines per second. Checks the resolver cache stayed bounded. */
  private static double measure(Path log, int lines) throws IOException {
    ProcessResolver resolver = ProcessResolver.withDefaults(ProcFsProcessTable.system(), PodDirectory.NONE);
    OutputStream discard = new BufferedOutputStream(OutputStream.nullOutputStream(), 1 << 16);
    long start = System.nanoTime();
    try (LogEnricher enricher = new LogEnricher(new FollowedFile(log, true), resolver, new SyscallNames(SyscallTables.system()),
        "bench-node", new JsonLinesWriter(discard), new EnricherMetrics(new SimpleMeterRegistry(), "bench-node", 1000),
        System::nanoTime, false, 0, Duration.ZERO)) {
      while (enricher.pollOnce()) {
        // to the end of the file
      }
      enricher.drain();
      if (enricher.stats().lines() != lines) {
        throw new IllegalStateException("read " + enricher.stats().lines() + " lines of " + lines);
      }
      if (resolver.cached() > 8192) {
        throw new IllegalStateException("resolver cache grew to " + resolver.cached());
      }
    }
    return lines / ((System.nanoTime() - start) / 1e9);
  }

  /**
   * auditd-format lines: 70% SECCOMP, per 10% one SELinux event of AVC, SYSCALL, PROCTITLE and EOE
   * (4 lines), 8% AppArmor, the rest records the enricher skips (USER_START). Pids are drawn from
   * {@code pids} distinct values from 100,000 up, none running here (pid_max is 32768 to 4194304): /proc
   * lookups miss as for processes that exited before their lines were read (the costly case).
   */
  private static long generate(Path log, int lines, int pids) throws IOException {
    SplittableRandom random = new SplittableRandom(42);
    String[] exes = {"/usr/bin/nginx", "/bin/busybox", "/usr/local/bin/app", "/usr/bin/python3"};
    int[] syscalls = {0, 1, 2, 3, 9, 21, 56, 59, 83, 257, 262, 435};
    try (BufferedWriter out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
      long serial = 1;
      long millis = 1_700_000_000_000L;
      int written = 0;
      int pidIndex = 0;
      while (written < lines) {
        long pid = 100_000L + (pidIndex++ % pids);
        String stamp = "audit(" + (millis / 1000) + "." + String.format(Locale.ROOT, "%03d", millis % 1000) + ":" + serial + "): ";
        int kind = random.nextInt(100);
        String exe = exes[random.nextInt(exes.length)];
        if (kind < 70) {
          out.write("type=SECCOMP msg=" + stamp + "auid=4294967295 uid=0 gid=0 ses=4294967295 subj=unconfined pid=" + pid
              + " comm=\"worker\" exe=\"" + exe + "\" sig=0 arch=c000003e syscall=" + syscalls[random.nextInt(syscalls.length)]
              + " compat=0 ip=0x7f3a1c2b4d5e code=0x7ffc0000\n");
          written++;
        } else if (kind < 80 && written + 4 <= lines) {
          out.write("type=AVC msg=" + stamp + "avc:  denied  { read write } for  pid=" + pid
              + " comm=\"worker\" name=\"data\" dev=\"sda1\" ino=12345 scontext=system_u:system_r:container_t:s0:c1,c2"
              + " tcontext=system_u:object_r:var_lib_t:s0 tclass=file permissive=0\n");
          out.write("type=SYSCALL msg=" + stamp + "arch=c000003e syscall=257 success=no exit=-13 a0=ffffff9c a1=7ffd a2=2 a3=0"
              + " items=1 ppid=1 pid=" + pid + " auid=4294967295 uid=0 gid=0 comm=\"worker\" exe=\"" + exe
              + "\" subj=system_u:system_r:container_t:s0:c1,c2 key=(null)\n");
          out.write("type=PROCTITLE msg=" + stamp + "proctitle=776F726B6572002D2D636F6E666967\n");
          out.write("type=EOE msg=" + stamp + "\n");
          written += 4;
        } else if (kind < 88) {
          out.write("type=AVC msg=" + stamp + "apparmor=\"DENIED\" operation=\"open\" profile=\"k8s-app\" name=\"/etc/shadow\" pid=" + pid
              + " comm=\"worker\" requested_mask=\"r\" denied_mask=\"r\" fsuid=0 ouid=0\n");
          written++;
        } else {
          out.write("type=USER_START msg=" + stamp + "pid=" + pid + " uid=0 auid=0 ses=1 msg='op=PAM:session_open acct=\"root\""
              + " exe=\"/usr/sbin/sshd\" hostname=? addr=? terminal=ssh res=success'\n");
          written++;
        }
        serial++;
        millis += random.nextInt(3);
      }
    }
    return Files.size(log);
  }

  private static String vmHwm() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return line.substring(6).trim();
        }
      }
    } catch (IOException e) {
      return "unknown";
    }
    return "unknown";
  }
}
