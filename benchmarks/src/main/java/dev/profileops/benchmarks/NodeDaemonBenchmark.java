package dev.profileops.benchmarks;

import static dev.profileops.benchmarks.BenchSupport.positive;
import static dev.profileops.benchmarks.BenchSupport.value;

import dev.profileops.api.nodestatus.SecurityProfileNodeStatus;
import dev.profileops.api.seccomp.SeccompAction;
import dev.profileops.api.seccomp.SeccompArch;
import dev.profileops.api.seccomp.SeccompProfile;
import dev.profileops.api.seccomp.SeccompProfileSpec;
import dev.profileops.api.seccomp.SyscallRule;
import dev.profileops.host.files.FileTrees;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Start-up time and resident memory of the node daemon ({@code profileops.jar node-daemon}) with 1,000
 * SeccompProfiles in fabric8's CRUD mock API server.
 *
 * <p>For every JVM flag set: a fresh mock server on loopback (https, self-signed), the CRDs from
 * {@code manifests/crds}, 1,000 profiles (10 bases, half of the others built on one of them, ~40 syscalls
 * each), a kubeconfig for it; then the daemon as its own JVM. Measured: the time from launching the
 * JVM to its "ready:" line (every profile installed on the node and its status written), and VmRSS of
 * the daemon sampled after ready. The files in the kubelet directory are checked before a run counts.
 * Flag sets are run in rounds (A B C, A B C, ...), one daemon at a time.
 *
 * <p>A benchmark, not a test: run it with {@code benchmarks/node-daemon.sh}. Options: see {@link #usage()}.
 */
public final class NodeDaemonBenchmark {
  static final long TARGET_READY_MS = 3_000;
  static final double TARGET_RSS_MIB = 160;
  static final String READY_LINE = "ready: profiles of node ";
  /** Printed once every profile's node status and profile status are written too. */
  static final String REPORTED_LINE = "reported: statuses of node ";
  static final String NODE = "bench-node-1";
  static final String APPCDS = "@appcds";
  static final String ENV_PREFIX = "ENV:";

  /** The JVM flag sets run by default: the JVM's defaults, the two big levers, and the chosen set. */
  static final Map<String, String> DEFAULT_FLAG_SETS = new LinkedHashMap<>();
  /** Further sets, run with {@code --all} (or picked with {@code --only}): one change at a time. */
  static final Map<String, String> EXTRA_FLAG_SETS = new LinkedHashMap<>();

  static {
    String serial = "-XX:+UseSerialGC -Xms16m -Xmx64m -Xss512k";
    String c1 = " -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1";
    String lean = " -XX:MaxMetaspaceSize=80m -XX:-UsePerfData -XX:TrimNativeHeapInterval=5000"
        + " -Dio.netty.allocator.type=unpooled ENV:MALLOC_ARENA_MAX=2";
    DEFAULT_FLAG_SETS.put("jvm-defaults", "");
    DEFAULT_FLAG_SETS.put("serial-64m-c1", serial + c1);
    // The chosen one: 48m of heap holds 1,000 profiles with ~25 MB live after GC; see docs/benchmarks.md.
    DEFAULT_FLAG_SETS.put("daemonset", (serial + c1 + lean + " " + APPCDS).replace("-Xmx64m", "-Xmx48m"));
    EXTRA_FLAG_SETS.put("serial-64m", serial);
    EXTRA_FLAG_SETS.put("serial-64m-c1-xshare-off", serial + c1 + " -Xshare:off");
    EXTRA_FLAG_SETS.put("serial-64m-c1-appcds", serial + c1 + " " + APPCDS);
    EXTRA_FLAG_SETS.put("daemonset-64m", serial + c1 + lean + " " + APPCDS);
    EXTRA_FLAG_SETS.put("daemonset-no-appcds", (serial + c1 + lean).replace("-Xmx64m", "-Xmx48m"));
  }

  // Real x86_64 syscalls, the pool the generated profiles draw from.
  private static final List<String> SYSCALLS = BenchSupport.SYSCALLS;

  private final Options options;

  private NodeDaemonBenchmark(Options options) {
    this.options = options;
  }

  public static void main(String[] args) throws Exception {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    BenchSupport.quietLogs();
    Optional<Options> options = BenchSupport.parseOptions(args, Options::parse, o -> o.help, usage());
    if (options.isEmpty()) {
      return;
    }
    int failures = new NodeDaemonBenchmark(options.get()).run();
    System.exit(failures == 0 ? 0 : 1);
  }

  static String usage() {
    return String.join("\n",
        "usage: NodeDaemonBenchmark [options]",
        "  --jar PATH            the shaded CLI jar (default cli/target/profileops.jar)",
        "  --crds DIR            CRD manifests to create in the mock (default manifests/crds)",
        "  --java PATH           java launcher for the daemon (default: this JVM's)",
        "  --profiles N          SeccompProfiles in the mock (default 1000; 10 of them are bases)",
        "  --syscalls N          syscalls per profile (default 40)",
        "  --repeat N            runs per flag set, in rounds (default 2)",
        "  --sample-seconds S    how long RSS is sampled after ready (default 10)",
        "  --sample-ms MS        RSS sampling interval (default 200)",
        "  --timeout-seconds S   give up on a daemon that is not ready by then (default 60)",
        "  --flags LABEL=FLAGS   a JVM flag set (repeatable; replaces the defaults). In FLAGS, '" + APPCDS + "'",
        "                        means a dynamic AppCDS archive made by a training run with the same flags,",
        "                        and ENV:NAME=VALUE sets an environment variable of the daemon",
        "  --all                 run the extra flag sets too (see below; about twice as long)",
        "  --only LABEL[,LABEL]  run only these of the default and extra flag sets",
        "  --wait-idle S         before each run, wait up to S s for a second in which the rest of the",
        "                        machine used < 1/3 core (default 0: don't wait); others_cpu_s shows the noise",
        "  --work-dir DIR        where kubelet dirs, kubeconfigs and archives go (default: a temp dir)",
        "  --keep                keep the work dir",
        "",
        "default flag sets:",
        describe(DEFAULT_FLAG_SETS),
        "extra flag sets (--all):",
        describe(EXTRA_FLAG_SETS));
  }

  private static String describe(Map<String, String> sets) {
    return sets.entrySet().stream().map(e -> "  " + e.getKey() + " = " + (e.getValue().isEmpty() ? "(none)" : e.getValue()))
        .collect(Collectors.joining("\n"));
  }

  /** Returns the number of runs that failed. */
  int run() throws Exception {
    if (!Files.isRegularFile(options.jar)) {
      throw new IllegalStateException("no daemon jar at " + options.jar.toAbsolutePath() + " (build with mvn -pl benchmarks -am install)");
    }
    Path work = options.workDir != null
        ? Files.createTempDirectory(Files.createDirectories(options.workDir), "profileops-bench-")
        : Files.createTempDirectory("profileops-bench-");
    System.out.println("# node daemon benchmark: " + options.profiles + " SeccompProfiles, node " + NODE);
    System.out.println("# machine: " + machine());
    System.out.println("# daemon jar: " + options.jar.toAbsolutePath() + " (" + Files.size(options.jar) / (1024 * 1024) + " MiB)");
    System.out.println("# work dir: " + work + " (" + Files.getFileStore(work).type() + ")");
    System.out.println("# targets: ready <= " + TARGET_READY_MS + " ms, RSS <= " + (int) TARGET_RSS_MIB + " MiB;"
        + " RSS sampled every " + options.sampleMs + " ms for " + options.sampleSeconds + " s after ready");

    List<FlagSet> sets = options.flagSets.entrySet().stream().map(e -> FlagSet.parse(e.getKey(), e.getValue())).toList();
    Map<String, List<Result>> results = new LinkedHashMap<>();
    Map<String, String> broken = new LinkedHashMap<>();
    int failures = 0;

    // Training runs for the AppCDS archives; they also warm up the mock server's JVM (this one).
    for (FlagSet set : sets) {
      if (set.appCds) {
        Path archive = work.resolve("appcds-" + set.label + ".jsa");
        Files.deleteIfExists(archive);
        try {
          Result training = runOnce(set, work, List.of("-XX:ArchiveClassesAtExit=" + archive), false);
          if (!Files.isRegularFile(archive)) {
            throw new IllegalStateException("the training run wrote no archive at " + archive);
          }
          set.archive = archive;
          System.out.printf(Locale.ROOT, "# training %s: ready_ms=%d, archive %d MiB%n", set.label, training.readyMs,
              Files.size(archive) / (1024 * 1024));
        } catch (Exception e) {
          broken.put(set.label, "AppCDS training failed: " + e.getMessage());
          System.out.println("FAILED training " + set.label + ": " + e.getMessage());
          failures++;
        }
      }
    }
    if (sets.stream().noneMatch(s -> s.appCds)) {
      // Warm-up, not reported: the mock server (in this JVM) would otherwise be cold in the first run only.
      try {
        Result warmup = runOnce(sets.get(0), work, List.of(), false);
        System.out.printf(Locale.ROOT, "# warm-up (%s, not counted): ready_ms=%d%n", sets.get(0).label, warmup.readyMs);
      } catch (Exception e) {
        System.out.println("# warm-up failed: " + e.getMessage());
      }
    }

    System.out.println();
    for (int round = 1; round <= options.repeat; round++) {
      for (FlagSet set : sets) {
        if (broken.containsKey(set.label)) {
          continue;
        }
        try {
          Result result = runOnce(set, work, List.of(), true);
          results.computeIfAbsent(set.label, k -> new ArrayList<>()).add(result);
          System.out.println(result.line(set, round));
          System.out.println("#   daemon CPU s by thread at ready: " + result.cpuByThread.entrySet().stream().limit(6)
              .map(e -> String.format(Locale.ROOT, "%s=%.1f", e.getKey().replace(' ', '_'), e.getValue()))
              .collect(Collectors.joining(" ")));
        } catch (Exception e) {
          failures++;
          System.out.println("FAILED set=" + set.label + " run=" + round + ": " + e.getMessage());
        }
      }
    }

    System.out.println();
    System.out.println("# summary: per flag set, best–worst of " + options.repeat + " runs; ratios of the worst run to the targets (<= 1.00 meets it)");
    System.out.println("| flag set | ready ms | ready / 3 s | statuses written ms | RSS max MiB | RSS last MiB | RSS / 160 MiB | VmHWM MiB | daemon CPU s to ready | mock CPU s to ready | other processes' CPU s | API requests to ready | targets |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (FlagSet set : sets) {
      List<Result> rs = results.getOrDefault(set.label, List.of());
      if (rs.isEmpty()) {
        System.out.println("| " + set.label + " | " + broken.getOrDefault(set.label, "no successful run") + " ||||||||||||");
        continue;
      }
      long readyMin = rs.stream().mapToLong(r -> r.readyMs).min().orElseThrow();
      long readyMax = rs.stream().mapToLong(r -> r.readyMs).max().orElseThrow();
      long reportedMin = rs.stream().mapToLong(r -> r.reportedMs).min().orElseThrow();
      long reportedMax = rs.stream().mapToLong(r -> r.reportedMs).max().orElseThrow();
      double rssMin = rs.stream().mapToDouble(r -> r.rssMaxMib).min().orElseThrow();
      double rssMax = rs.stream().mapToDouble(r -> r.rssMaxMib).max().orElseThrow();
      double lastMin = rs.stream().mapToDouble(r -> r.rssLastMib).min().orElseThrow();
      double lastMax = rs.stream().mapToDouble(r -> r.rssLastMib).max().orElseThrow();
      double hwmMax = rs.stream().mapToDouble(r -> r.hwmMib).max().orElseThrow();
      double cpuMin = rs.stream().mapToDouble(r -> r.daemonCpuS).min().orElseThrow();
      double cpuMax = rs.stream().mapToDouble(r -> r.daemonCpuS).max().orElseThrow();
      double mockMin = rs.stream().mapToDouble(r -> r.mockCpuS).min().orElseThrow();
      double mockMax = rs.stream().mapToDouble(r -> r.mockCpuS).max().orElseThrow();
      double othersMin = rs.stream().mapToDouble(r -> r.othersCpuS).min().orElseThrow();
      double othersMax = rs.stream().mapToDouble(r -> r.othersCpuS).max().orElseThrow();
      long requestsMin = rs.stream().mapToLong(r -> r.requests).min().orElseThrow();
      long requestsMax = rs.stream().mapToLong(r -> r.requests).max().orElseThrow();
      boolean readyMet = readyMax <= TARGET_READY_MS;
      boolean rssMet = rssMax <= TARGET_RSS_MIB;
      System.out.printf(Locale.ROOT, "| %s | %d–%d | %.2f | %d–%d | %.0f–%.0f | %.0f–%.0f | %.2f | %.0f | %.1f–%.1f | %.1f–%.1f | %.1f–%.1f | %d–%d | %s |%n",
          set.label, readyMin, readyMax, readyMax / (double) TARGET_READY_MS, reportedMin, reportedMax, rssMin, rssMax, lastMin, lastMax,
          rssMax / TARGET_RSS_MIB, hwmMax, cpuMin, cpuMax, mockMin, mockMax, othersMin, othersMax, requestsMin, requestsMax,
          (readyMet ? "ready met" : "ready MISSED") + ", " + (rssMet ? "RSS met" : "RSS MISSED"));
    }
    System.out.println();
    for (FlagSet set : sets) {
      System.out.println("# " + set.label + ": " + (set.spec.isEmpty() ? "(JVM defaults)" : set.spec));
    }
    if (!options.keep) {
      FileTrees.delete(work);
    }
    return failures;
  }

  /** One daemon JVM against a fresh mock server. */
  private Result runOnce(FlagSet set, Path work, List<String> extraJvmArgs, boolean sampleRss) throws Exception {
    boolean quiet = BenchSupport.awaitQuietMachine(options.waitIdleSeconds);
    Path runDir = Files.createTempDirectory(work, "run-");
    Path kubeletDir = Files.createDirectories(runDir.resolve("kubelet"));
    try (Fixture fixture = Fixture.start(options, runDir)) {
      List<String> command = new ArrayList<>();
      command.add(options.java);
      command.addAll(set.jvmArgs);
      if (set.archive != null) {
        // -Xshare:on: a JVM that cannot map the archive stops instead of quietly running without it.
        // In a pod, -Xshare:auto (the default) is the safer choice.
        command.add("-XX:SharedArchiveFile=" + set.archive);
        command.add("-Xshare:on");
      }
      command.addAll(extraJvmArgs);
      command.addAll(List.of("-jar", options.jar.toAbsolutePath().toString(),
          "node-daemon", "--node-name", NODE, "--kubelet-dir", kubeletDir.toString()));
      ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE);
      builder.environment().put("KUBECONFIG", fixture.kubeconfig.toString());
      builder.environment().remove("KUBERNETES_SERVICE_HOST");
      builder.environment().remove("JAVA_TOOL_OPTIONS");
      builder.environment().remove("JDK_JAVA_OPTIONS");
      builder.environment().putAll(set.env);

      int requestsBefore = fixture.server.getRequestCount();
      double load1 = BenchSupport.loadAverage();
      double machineBusyBefore = BenchSupport.machineBusySeconds();
      long mockCpuBefore = BenchSupport.processCpuNanos();
      long started = System.nanoTime();
      Process daemon = builder.start();
      OutputWatcher stderr = new OutputWatcher(daemon.getErrorStream(), started);
      OutputWatcher stdout = new OutputWatcher(daemon.getInputStream(), started);
      try {
        long deadline = started + TimeUnit.SECONDS.toNanos(options.timeoutSeconds);
        Long readyAt = stderr.awaitLine(READY_LINE, deadline, daemon);
        if (readyAt == null) {
          throw new IllegalStateException((daemon.isAlive() ? "not ready after " + options.timeoutSeconds + " s"
              : "the daemon exited with " + daemon.exitValue() + " before ready") + "; its last output:\n"
              + stderr.tail() + stdout.tail());
        }
        Result result = new Result();
        result.readyMs = TimeUnit.NANOSECONDS.toMillis(readyAt - started);
        Long bannerAt = stderr.firstLineAt("profileops node-daemon ");
        result.bannerMs = bannerAt == null ? -1 : TimeUnit.NANOSECONDS.toMillis(bannerAt - started);
        Long firstInstallAt = stderr.firstLineAt("Installed seccomp profile ");
        result.firstInstallMs = firstInstallAt == null ? -1 : TimeUnit.NANOSECONDS.toMillis(firstInstallAt - started);
        result.setupMs = fixture.setupMs;
        result.requests = fixture.server.getRequestCount() - requestsBefore;
        result.daemonCpuS = cpuSeconds(daemon.pid());
        result.cpuByThread = cpuByThreadGroup(daemon.pid());
        result.mockCpuS = (BenchSupport.processCpuNanos() - mockCpuBefore) / 1e9;
        // CPU the rest of the machine used meanwhile: on a shared machine this is the noise.
        result.othersCpuS = Math.max(0, BenchSupport.machineBusySeconds() - machineBusyBefore - result.daemonCpuS - result.mockCpuS);
        result.load1 = load1;
        result.quiet = quiet;
        // Statuses follow the files; measured from the same start, after the CPU figures to ready.
        Long reportedAt = stderr.awaitLine(REPORTED_LINE, deadline, daemon);
        result.reportedMs = reportedAt == null ? -1 : TimeUnit.NANOSECONDS.toMillis(reportedAt - started);
        result.requestsToReported = fixture.server.getRequestCount() - requestsBefore;
        result.installedLines = stderr.count("Installed seccomp profile ");
        result.files = verifyFiles(kubeletDir, fixture.profileNames, fixture.baseOnlySyscall);

        if (sampleRss) {
          List<Double> samples = new ArrayList<>();
          long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(options.sampleSeconds);
          while (System.nanoTime() < end) {
            if (!daemon.isAlive()) {
              throw new IllegalStateException("the daemon exited while sampling RSS:\n" + stderr.tail());
            }
            samples.add(statusKib(daemon.pid(), "VmRSS") / 1024.0);
            Thread.sleep(options.sampleMs);
          }
          result.rssMaxMib = Collections.max(samples);
          result.rssLastMib = samples.get(samples.size() - 1);
          result.samples = samples.size();
          result.hwmMib = statusKib(daemon.pid(), "VmHWM") / 1024.0;
          result.threads = (int) statusKib(daemon.pid(), "Threads");
        }
        return result;
      } finally {
        stop(daemon);
        stderr.join();
        stdout.join();
        FileTrees.delete(runDir);
      }
    }
  }

  private static void stop(Process daemon) throws InterruptedException {
    daemon.destroy(); // SIGTERM: the daemon's shutdown hook stops the operator (and an AppCDS dump runs)
    if (!daemon.waitFor(20, TimeUnit.SECONDS)) {
      daemon.destroyForcibly();
      daemon.waitFor(5, TimeUnit.SECONDS);
    }
  }

  /**
   * Every profile has its file, no more, no fewer; and a profile built on a base has the base's
   * syscalls merged in. Throws when not.
   */
  static int verifyFiles(Path kubeletDir, Set<String> expected, Map<String, String> baseOnlySyscall) throws IOException {
    Path dir = kubeletDir.resolve("seccomp/operator");
    Set<String> found = new TreeSet<>();
    if (Files.isDirectory(dir)) {
      try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
        for (Path file : files) {
          String name = file.getFileName().toString();
          if (!name.startsWith(".")) {
            found.add(name.substring(0, name.length() - ".json".length()));
          }
        }
      }
    }
    if (!found.equals(expected)) {
      Set<String> missing = new TreeSet<>(expected);
      missing.removeAll(found);
      Set<String> extra = new TreeSet<>(found);
      extra.removeAll(expected);
      throw new IllegalStateException("ready, but the kubelet dir " + dir + " has " + found.size() + " profile files instead of "
          + expected.size() + "; missing " + first(missing) + ", unexpected " + first(extra));
    }
    for (Map.Entry<String, String> e : baseOnlySyscall.entrySet()) {
      String json = Files.readString(dir.resolve(e.getKey() + ".json"));
      if (!json.contains("\"" + e.getValue() + "\"")) {
        throw new IllegalStateException(e.getKey() + ".json lacks " + e.getValue() + " from its base profile");
      }
    }
    return found.size();
  }

  private static String first(Set<String> names) {
    return names.size() <= 5 ? names.toString() : names.stream().limit(5).toList() + " and " + (names.size() - 5) + " more";
  }

  /** A value of /proc/PID/status, in kB for the Vm* lines. */
  static long statusKib(long pid, String key) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith(key + ":")) {
        return Long.parseLong(line.substring(key.length() + 1).trim().split("\\s+")[0]);
      }
    }
    throw new IllegalStateException("no " + key + " in /proc/" + pid + "/status");
  }

  /** User plus system CPU time of a process, from /proc/PID/stat (clock ticks of 1/100 s). */
  static double cpuSeconds(long pid) throws IOException {
    return cpuSecondsOf(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
  }

  /**
   * CPU seconds of the process's live threads, grouped by thread name with the digits masked
   * ("pool-#-thread-#" are JOSDK's reconcilers, "C1 CompilerThre" the JIT, "VM Thread" does the
   * Serial GC's collections), largest first. Threads that have ended are not counted.
   */
  static Map<String, Double> cpuByThreadGroup(long pid) {
    Map<String, Double> groups = new HashMap<>();
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path task : tasks) {
        try {
          String stat = Files.readString(task.resolve("stat"));
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("\\d+", "#");
          groups.merge(name, cpuSecondsOf(stat), Double::sum);
        } catch (IOException | RuntimeException e) {
          // the thread ended meanwhile
        }
      }
    } catch (IOException e) {
      return Map.of();
    }
    Map<String, Double> sorted = new LinkedHashMap<>();
    groups.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .forEach(e -> sorted.put(e.getKey(), e.getValue()));
    return sorted;
  }

  private static double cpuSecondsOf(String stat) {
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    // After "pid (comm) ": state is field 3, utime 14, stime 15 (1-based), so index 11 and 12 here.
    return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
  }

  static String machine() {
    return BenchSupport.hardwareAndJava() + " (" + System.getProperty("java.vm.name") + ")"
        + ", " + System.getProperty("os.name") + " " + System.getProperty("os.version");
  }

  /** The mock API server with the CRDs and the profiles, and a kubeconfig pointing at it. */
  static final class Fixture implements AutoCloseable {
    final KubernetesMockServer server;
    final KubernetesClient client;
    final Path kubeconfig;
    long setupMs;
    final Set<String> profileNames = new TreeSet<>();
    /** A few derived profiles and a syscall only their base allows: the merge must show in the file. */
    final Map<String, String> baseOnlySyscall = new LinkedHashMap<>();

    private Fixture(KubernetesMockServer server, KubernetesClient client, Path kubeconfig) {
      this.server = server;
      this.client = client;
      this.kubeconfig = kubeconfig;
    }

    static Fixture start(Options options, Path dir) throws Exception {
      long started = System.nanoTime();
      KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
          new KubernetesCrudDispatcher(), true);
      server.init(InetAddress.getLoopbackAddress(), 0);
      KubernetesClient client = server.createClient();
      Fixture fixture = null;
      try {
        Path kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(kubeconfig, kubeconfig("https://" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + server.getPort()));
        fixture = new Fixture(server, client, kubeconfig);
        fixture.createCrds(options.crds);
        fixture.createProfiles(options.profiles, options.syscalls);
        fixture.setupMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        return fixture;
      } catch (Exception | Error e) {
        if (fixture != null) {
          fixture.close();
        } else {
          client.close();
          server.destroy();
        }
        throw e;
      }
    }

    static String kubeconfig(String server) {
      return String.join("\n",
          "apiVersion: v1",
          "kind: Config",
          "clusters:",
          "- name: mock",
          "  cluster:",
          "    server: " + server,
          "    insecure-skip-tls-verify: true",
          "users:",
          "- name: bench",
          "  user:",
          "    token: benchmark",
          "contexts:",
          "- name: mock",
          "  context:",
          "    cluster: mock",
          "    user: bench",
          "current-context: mock",
          "");
    }

    private void createCrds(Path crdDir) throws IOException {
      List<Path> manifests;
      try (Stream<Path> files = Files.list(crdDir)) {
        manifests = files.filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml")).sorted().toList();
      }
      Set<String> kinds = new TreeSet<>();
      for (Path manifest : manifests) {
        CustomResourceDefinition crd = Serialization.unmarshal(Files.readString(manifest), CustomResourceDefinition.class);
        client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
        kinds.add(crd.getSpec().getNames().getKind());
      }
      // The daemon writes both kinds' status through the status subresource.
      for (String needed : List.of(SeccompProfile.KIND, new SecurityProfileNodeStatus().getKind())) {
        if (!kinds.contains(needed)) {
          throw new IllegalStateException("no CRD for " + needed + " in " + crdDir);
        }
      }
    }

    /**
     * {@code bases} base profiles with ~60 syscalls, the rest ~{@code syscalls} each, every other one
     * built on a base; deterministic, so every run and flag set sees the same objects.
     */
    private void createProfiles(int count, int syscalls) throws Exception {
      int bases = Math.min(10, Math.max(1, count / 100));
      Random random = new Random(42);
      List<String> pool = new ArrayList<>(SYSCALLS);
      List<SeccompProfile> profiles = new ArrayList<>();
      // Syscalls only the bases allow, so a merge is visible in a derived profile's file.
      List<String> baseOnly = List.of("mount", "umount2", "pivot_root", "sethostname", "setns", "unshare",
          "keyctl", "add_key", "request_key", "setdomainname");
      for (int b = 0; b < bases; b++) {
        Collections.shuffle(pool, random);
        List<String> names = new ArrayList<>(pool.subList(0, Math.min(60, pool.size())));
        names.add(baseOnly.get(b % baseOnly.size()));
        profiles.add(profile(String.format(Locale.ROOT, "runtime-base-%02d", b), names, null));
      }
      for (int i = bases; i < count; i++) {
        Collections.shuffle(pool, random);
        List<String> names = new ArrayList<>(pool.subList(0, Math.min(syscalls, pool.size())));
        String base = i % 2 == 0 ? String.format(Locale.ROOT, "runtime-base-%02d", i % bases) : null;
        String name = String.format(Locale.ROOT, "app-%04d", i);
        profiles.add(profile(name, names, base));
        if (base != null && baseOnlySyscall.size() < 5) {
          baseOnlySyscall.put(name, baseOnly.get((i % bases) % baseOnly.size()));
        }
      }
      ExecutorService pool4 = Executors.newFixedThreadPool(4);
      try {
        List<CompletableFuture<Void>> creates = new ArrayList<>();
        for (SeccompProfile p : profiles) {
          creates.add(CompletableFuture.runAsync(() -> client.resource(p).create(), pool4));
          profileNames.add(p.getMetadata().getName());
        }
        CompletableFuture.allOf(creates.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
      } finally {
        pool4.shutdownNow();
      }
      int stored = client.resources(SeccompProfile.class).list().getItems().size();
      if (stored != count) {
        throw new IllegalStateException("the mock holds " + stored + " SeccompProfiles, not " + count);
      }
    }

    private static SeccompProfile profile(String name, List<String> syscalls, String base) {
      SeccompProfile profile = new SeccompProfile();
      profile.setMetadata(new ObjectMetaBuilder().withName(name)
          .withLabels(Map.of("app.kubernetes.io/part-of", "benchmark")).build());
      SeccompProfileSpec spec = new SeccompProfileSpec();
      spec.setDefaultAction(SeccompAction.SCMP_ACT_ERRNO);
      spec.setArchitectures(new ArrayList<>(List.of(SeccompArch.SCMP_ARCH_X86_64, SeccompArch.SCMP_ARCH_X86, SeccompArch.SCMP_ARCH_X32)));
      List<SyscallRule> rules = new ArrayList<>();
      // Most syscalls allowed, two answered with EPERM, as recorded profiles tend to look.
      rules.add(new SyscallRule(new ArrayList<>(syscalls.subList(0, syscalls.size() - 2)), SeccompAction.SCMP_ACT_ALLOW));
      SyscallRule denied = new SyscallRule(new ArrayList<>(syscalls.subList(syscalls.size() - 2, syscalls.size())), SeccompAction.SCMP_ACT_ERRNO);
      denied.setErrnoRet(1L);
      rules.add(denied);
      spec.setSyscalls(rules);
      spec.setBaseProfileName(base);
      profile.setSpec(spec);
      return profile;
    }

    @Override
    public void close() {
      client.close();
      server.destroy();
    }
  }

  /** Reads a stream of the daemon's output line by line, remembering when interesting lines came. */
  static final class OutputWatcher {
    private final Thread thread;
    private final long started;
    private final Deque<String> tail = new ArrayDeque<>();
    private final Map<String, Long> firstSeen = new HashMap<>();
    private final Map<String, Integer> counts = new HashMap<>();
    private static final List<String> WATCHED = List.of(READY_LINE, REPORTED_LINE, "profileops node-daemon ", "Installed seccomp profile ");

    OutputWatcher(InputStream stream, long started) {
      this.started = started;
      this.thread = new Thread(() -> read(stream), "daemon-output");
      thread.setDaemon(true);
      thread.start();
    }

    private void read(InputStream stream) {
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
        String line;
        while ((line = reader.readLine()) != null) {
          long now = System.nanoTime();
          synchronized (this) {
            for (String key : WATCHED) {
              if (line.contains(key)) {
                firstSeen.putIfAbsent(key, now);
                counts.merge(key, 1, Integer::sum);
              }
            }
            tail.addLast(line);
            if (tail.size() > 30) {
              tail.removeFirst();
            }
            notifyAll();
          }
        }
      } catch (IOException e) {
        // the process went away
      }
    }

    /** When the first line containing {@code key} came, or null by the deadline or once the process died. */
    synchronized Long awaitLine(String key, long deadline, Process process) throws InterruptedException {
      while (!firstSeen.containsKey(key)) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || (!process.isAlive() && !thread.isAlive())) {
          return null;
        }
        wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 50)));
      }
      return firstSeen.get(key);
    }

    synchronized Long firstLineAt(String key) {
      return firstSeen.get(key);
    }

    synchronized int count(String key) {
      return counts.getOrDefault(key, 0);
    }

    synchronized String tail() {
      return tail.stream().map(l -> "    " + l + "\n").collect(Collectors.joining());
    }

    void join() throws InterruptedException {
      thread.join(5_000);
    }
  }

  /** A named set of JVM flags (and environment variables) for the daemon. */
  static final class FlagSet {
    final String label;
    final String spec;
    final List<String> jvmArgs = new ArrayList<>();
    final Map<String, String> env = new LinkedHashMap<>();
    final boolean appCds;
    Path archive;

    private FlagSet(String label, String spec, boolean appCds) {
      this.label = label;
      this.spec = spec;
      this.appCds = appCds;
    }

    static FlagSet parse(String label, String spec) {
      List<String> tokens = Arrays.stream(spec.trim().split("\\s+")).filter(t -> !t.isEmpty()).toList();
      FlagSet set = new FlagSet(label, spec.trim(), tokens.contains(APPCDS));
      for (String token : tokens) {
        if (token.equals(APPCDS)) {
          continue;
        }
        if (token.startsWith(ENV_PREFIX)) {
          String assignment = token.substring(ENV_PREFIX.length());
          int eq = assignment.indexOf('=');
          if (eq <= 0) {
            throw new IllegalArgumentException("expected ENV:NAME=VALUE, got " + token);
          }
          set.env.put(assignment.substring(0, eq), assignment.substring(eq + 1));
        } else {
          set.jvmArgs.add(token);
        }
      }
      return set;
    }
  }

  /** What one run measured. */
  static final class Result {
    long readyMs;
    long reportedMs;
    long requestsToReported;
    long bannerMs;
    long firstInstallMs;
    long setupMs;
    double rssMaxMib;
    double rssLastMib;
    double hwmMib;
    int samples;
    int threads;
    double daemonCpuS;
    double mockCpuS;
    double othersCpuS;
    Map<String, Double> cpuByThread = Map.of();
    double load1;
    boolean quiet;
    long requests;
    int installedLines;
    int files;

    String line(FlagSet set, int round) {
      return String.format(Locale.ROOT,
          "set=%s run=%d ready_ms=%d reported_ms=%d requests_to_reported=%d banner_ms=%d first_install_ms=%d rss_max_mib=%.1f rss_last_mib=%.1f hwm_mib=%.1f threads=%d"
              + " daemon_cpu_s=%.1f mock_cpu_s=%.1f others_cpu_s=%.1f load1=%.1f quiet_start=%s requests=%d installed_logged=%d files=%d"
              + " ready/3000ms=%.2f rss/160MiB=%.2f mock_setup_ms=%d flags=\"%s\"",
          set.label, round, readyMs, reportedMs, requestsToReported, bannerMs, firstInstallMs, rssMaxMib, rssLastMib, hwmMib, threads, daemonCpuS, mockCpuS, othersCpuS, load1, quiet ? "yes" : "no", requests,
          installedLines, files, readyMs / (double) TARGET_READY_MS, rssMaxMib / TARGET_RSS_MIB, setupMs, set.spec);
    }
  }

  /** Command-line options. */
  static final class Options {
    Path jar = Path.of("cli/target/profileops.jar");
    Path crds = Path.of("manifests/crds");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    int profiles = 1000;
    int syscalls = 40;
    int repeat = 2;
    int sampleSeconds = 10;
    int sampleMs = 200;
    int timeoutSeconds = 60;
    int waitIdleSeconds;
    Map<String, String> flagSets = new LinkedHashMap<>();
    Path workDir;
    boolean keep;
    boolean help;

    static Options parse(String[] args) {
      Options o = new Options();
      List<String> only = null;
      boolean all = false;
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        switch (arg) {
          case "--help", "-h" -> o.help = true;
          case "--keep" -> o.keep = true;
          case "--all" -> all = true;
          case "--jar" -> o.jar = Path.of(value(args, ++i, arg));
          case "--crds" -> o.crds = Path.of(value(args, ++i, arg));
          case "--java" -> o.java = value(args, ++i, arg);
          case "--work-dir" -> o.workDir = Path.of(value(args, ++i, arg));
          case "--profiles" -> o.profiles = positive(value(args, ++i, arg), arg);
          case "--syscalls" -> o.syscalls = positive(value(args, ++i, arg), arg);
          case "--repeat" -> o.repeat = positive(value(args, ++i, arg), arg);
          case "--sample-seconds" -> o.sampleSeconds = positive(value(args, ++i, arg), arg);
          case "--sample-ms" -> o.sampleMs = positive(value(args, ++i, arg), arg);
          case "--timeout-seconds" -> o.timeoutSeconds = positive(value(args, ++i, arg), arg);
          case "--wait-idle" -> o.waitIdleSeconds = Integer.parseInt(value(args, ++i, arg));
          case "--only" -> only = List.of(value(args, ++i, arg).split(","));
          case "--flags" -> {
            String v = value(args, ++i, arg);
            int eq = v.indexOf('=');
            if (eq <= 0) {
              throw new IllegalArgumentException("--flags wants LABEL=FLAGS, got " + v);
            }
            o.flagSets.put(v.substring(0, eq), v.substring(eq + 1));
          }
          default -> throw new IllegalArgumentException("unknown argument " + arg);
        }
      }
      if (o.syscalls < 3 || o.syscalls > SYSCALLS.size()) {
        throw new IllegalArgumentException("--syscalls must be between 3 and " + SYSCALLS.size());
      }
      if (o.flagSets.isEmpty()) {
        Map<String, String> known = new LinkedHashMap<>(DEFAULT_FLAG_SETS);
        known.putAll(EXTRA_FLAG_SETS);
        for (Map.Entry<String, String> e : known.entrySet()) {
          boolean wanted = only != null ? only.contains(e.getKey()) : all || DEFAULT_FLAG_SETS.containsKey(e.getKey());
          if (wanted) {
            o.flagSets.put(e.getKey(), e.getValue());
          }
        }
        if (only != null && o.flagSets.size() != only.size()) {
          throw new IllegalArgumentException("--only names a flag set that does not exist; known: " + known.keySet());
        }
      }
      return o;
    }
  }
}
