package dev.profileops.benchmarks;

import static dev.profileops.benchmarks.BenchSupport.positive;
import static dev.profileops.benchmarks.BenchSupport.value;

import dev.profileops.api.seccomp.SeccompProfile;
import dev.profileops.api.seccomp.SyscallRule;
import dev.profileops.api.source.ProfileSource;
import dev.profileops.benchmarks.BenchSupport.MockCluster;
import dev.profileops.benchmarks.BenchSupport.Profile;
import dev.profileops.benchmarks.BenchSupport.RevisionWatch;
import dev.profileops.host.seccomp.SyscallTable;
import dev.profileops.host.seccomp.SyscallTables;
import dev.profileops.syncer.cluster.ObjectWriter;
import dev.profileops.syncer.git.FetchRepositoryCommand;
import dev.profileops.syncer.git.RemoteHeadCommand;
import dev.profileops.syncer.profilesource.SyncerController;
import dev.profileops.testsupport.GitDaemonServer;
import dev.profileops.testsupport.GitWorkTree;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import jdk.jfr.Recording;

/**
 * Full sync of a 5,000-profile repository against a one-file change after it.
 *
 * <p>A real {@code git daemon} serves a generated repository (10 bases with ~60 syscalls, the other profiles
 * ~40 syscalls each, every other one built on a base, in 50 team folders). fabric8's CRUD mock API server
 * (https, loopback, the CRDs of {@code manifests/crds}) stands in for the cluster; the {@link SyncerController}
 * runs in this JVM without leader election and with {@link ObjectWriter#createOrReplace()} (the mock has no
 * server-side apply). Measured:
 *
 * <ul>
 *   <li>full: from creating the ProfileSource (interval 1h) to a watch event showing
 *       {@code status.lastAppliedRevision} at the pushed commit;
 *   <li>one file: after the controller is idle, one profile's {@code errnoRet} changes, is committed and pushed
 *       (not timed); from the JSON merge patch of {@code profileops.dev/requestedAt} to the watch event showing
 *       the new commit applied. Repeated {@code --changes} times (a different file each time); the median counts.
 * </ul>
 *
 * <p>Each is split into its parts: from the trigger to the start of the sync (JOSDK's event, whose start is the
 * sync's end less the duration the controller's {@code profileops_sync_duration} timer recorded), the sync with
 * the time its object writes waited on the API server (every request of the controller's client is logged), the
 * Event and status patch after it, and the watch delivery. After each one-file change the controller is left to
 * go idle, then the sync's git steps are timed once more on a clone of the benchmark's own. CPU of this JVM, of the
 * git daemon and of the rest of the machine is reported per step: on a shared machine that last one is the noise.
 *
 * <p>Note that the mock stores objects in a map it scans on every create, so the full sync's 5,000 creates cost
 * it time proportional to the square of the count; the last line gives the ratio with those writes taken out.
 *
 * <p>Every run checks what it measured: no file errors, the whole inventory, every profile in the mock, the
 * changed profile's new value. A benchmark, not a test: run it with {@code benchmarks/sync.sh}.
 */
public final class SyncBenchmark {
  static final double TARGET_RATIO = 30.0;
  static final String NAMESPACE = "bench";
  static final String SOURCE = "profiles";

  public static void main(String[] args) {
    BenchSupport.quietLogs();
    Optional<Options> options = BenchSupport.parseOptions(args, Options::parse, o -> o.help, Options.USAGE);
    if (options.isPresent()) {
      BenchSupport.runAndExit(() -> run(options.get()));
    }
  }

  static int run(Options o) throws Exception {
    GitDaemonServer.unavailableReason().ifPresent(reason -> {
      throw new IllegalStateException(reason);
    });
    SyscallTable syscalls = SyscallTables.system();
    System.out.println("# SyncBenchmark: " + BenchSupport.machine());
    System.out.printf(Locale.ROOT, "# profiles=%d bases=%d syscalls~%d changes=%d libseccomp=%s%n", o.profiles, o.bases,
        o.syscalls, o.changes, syscalls.available() ? syscalls.version() : "unavailable (names not checked)");
    Path work = o.workDir != null ? Files.createDirectories(o.workDir) : Files.createTempDirectory("profileops-sync-bench-");
    try (GitDaemonServer git = GitDaemonServer.start();
        GitWorkTree tree = GitWorkTree.init(work.resolve("worktree"));
        MockCluster cluster = new MockCluster(o.crds)) {
      git.createBareRepo("profiles");
      String url = git.url("profiles");

      long genStart = System.nanoTime();
      List<Profile> profiles = generate(o.profiles, o.bases, o.syscalls);
      for (Profile p : profiles) {
        tree.write(pathOf(p), p.yaml());
      }
      String commit1 = tree.commitAll("5,000 profiles");
      tree.push(url, "main");
      long repoBytes;
      try (var files = Files.walk(tree.dir().resolve("profiles"))) {
        repoBytes = files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
      }
      System.out.printf(Locale.ROOT, "# repository: %d files, %.1f MiB of YAML, generated and pushed in %d ms%n",
          profiles.size(), repoBytes / 1048576.0, ms(System.nanoTime() - genStart));

      BenchSupport.RequestLog requests = new BenchSupport.RequestLog();
      KubernetesClient controllerClient = cluster.newClient(requests);
      KubernetesClient client = cluster.newClient();
      System.out.println("# API client: " + controllerClient.getHttpClient().getClass().getName() + ", request timeout "
          + controllerClient.getConfiguration().getRequestTimeout() + " ms; quiet period before each change "
          + o.quiet.toMillis() + " ms");
      SimpleMeterRegistry metrics = new SimpleMeterRegistry();
      SyncerController controller = new SyncerController(controllerClient, syscalls, ObjectWriter.createOrReplace(),
          Files.createDirectories(work.resolve("syncer")), metrics, null);
      controller.start();
      try (RevisionWatch watch = new RevisionWatch(client, NAMESPACE, SOURCE)) {
        // Full sync.
        Recording jfr = BenchSupport.startJfr(o.jfrDir);
        String quiet = quietMachine(o);
        int requestsBefore = cluster.requests();
        BenchSupport.CpuMeter cpu = new BenchSupport.CpuMeter(git.basePath());
        long t0 = System.nanoTime();
        client.resource(BenchSupport.source(NAMESPACE, SOURCE, url, "profiles")).create();
        long fullAppliedAt = watch.await(commit1, o.timeout, attemptedButNotApplied(commit1));
        long fullNanos = fullAppliedAt - t0;
        String fullCpu = cpu.since();
        int fullRequests = cluster.requests() - requestsBefore;
        long fullWriteMs = requests.since(t0).stream().filter(e -> e.sent() <= fullAppliedAt && isObjectWrite(e))
            .mapToLong(BenchSupport.RequestLog.Entry::millis).sum();
        String fullBreakdown = breakdown(requests.since(t0), t0, fullAppliedAt,
            BenchSupport.syncCount(metrics) == 1 ? syncTotalMs(metrics) : Double.NaN);
        BenchSupport.dumpJfr(jfr, o.jfrDir, "full");
        checkFull(client, watch.last(), o.profiles);
        System.out.printf(Locale.ROOT, "full: %d ms (%d API requests, %d profiles in the mock; %s%s)%n  %s%n",
            ms(fullNanos), fullRequests, o.profiles, fullCpu, quiet, fullBreakdown);
        long syncsAtFull = BenchSupport.syncCount(metrics);
        // A clone of our own, to time the sync's git steps alone after each change.
        Path replayClone = work.resolve("replay");
        new FetchRepositoryCommand(url, "main", replayClone).depth(1).call();
        long idle = BenchSupport.awaitIdle(metrics, cluster, o.quiet, o.timeout);
        System.out.printf(Locale.ROOT, "  idle after %d ms more; syncs so far: %d (%d after the full one: watch events of"
            + " the objects it applied wake the source)%n", idle, BenchSupport.syncCount(metrics),
            BenchSupport.syncCount(metrics) - syncsAtFull);

        // One-file changes.
        jfr = BenchSupport.startJfr(o.jfrDir);
        List<Long> oneFile = new ArrayList<>();
        List<Integer> picks = new ArrayList<>();
        for (int i = o.bases; i < profiles.size(); i++) {
          picks.add(i);
        }
        Collections.shuffle(picks, new Random(7)); // derived and standalone profiles, never the same one twice
        for (int i = 1; i <= o.changes; i++) {
          Profile before = profiles.get(picks.get(i - 1));
          Profile after = before.withErrnoRet(100 + i);
          profiles.set(profiles.indexOf(before), after);
          tree.write(pathOf(after), after.yaml());
          String commit = tree.commitAll("change " + after.name());
          tree.push(url, "main");

          long syncs = BenchSupport.syncCount(metrics);
          double syncMsBefore = syncTotalMs(metrics);
          quiet = quietMachine(o);
          int requestsBefore1 = cluster.requests();
          cpu.start();
          t0 = System.nanoTime();
          BenchSupport.requestSync(client, NAMESPACE, SOURCE);
          long appliedAt = watch.await(commit, o.timeout, attemptedButNotApplied(commit));
          long nanos = appliedAt - t0;
          String changeCpu = cpu.since();
          int apiRequests = cluster.requests() - requestsBefore1;
          long syncsBetween = BenchSupport.syncCount(metrics) - syncs;
          double syncMs = syncTotalMs(metrics) - syncMsBefore;
          checkChanged(client, after);
          String breakdown = breakdown(requests.since(t0), t0, appliedAt, syncsBetween == 1 ? syncMs : Double.NaN);
          idle = BenchSupport.awaitIdle(metrics, cluster, o.quiet, o.timeout);
          // The sync's git steps once more, on a clone of our own, while the controller is idle.
          long g0 = System.nanoTime();
          new RemoteHeadCommand(url, "main").call();
          long g1 = System.nanoTime();
          new FetchRepositoryCommand(url, "main", replayClone).depth(1).call();
          long g2 = System.nanoTime();
          oneFile.add(nanos);
          System.out.printf(Locale.ROOT, "one file #%d: %d ms (%s errnoRet -> %d; %d API requests, %d sync(s) finished"
              + " meanwhile, idle %d ms later after %d sync(s) in all; %s%s)%n", i, ms(nanos), after.name(),
              after.errnoRet(), apiRequests, syncsBetween, idle, BenchSupport.syncCount(metrics) - syncs, changeCpu, quiet);
          System.out.printf(Locale.ROOT, "  %s; git replayed alone: ls-remote %d ms, fetch+checkout %d ms%n", breakdown,
              ms(g1 - g0), ms(g2 - g1));
        }
        BenchSupport.dumpJfr(jfr, o.jfrDir, "one-file");

        double medianMs = BenchSupport.median(oneFile) / 1e6;
        double ratio = (fullNanos / 1e6) / medianMs;
        System.out.printf(Locale.ROOT, "full_ms=%d one_file_ms=%.0f ratio=%.1f (one_file runs: %s)%n", ms(fullNanos), medianMs,
            ratio, oneFile.stream().map(n -> Long.toString(ms(n))).toList());
        System.out.printf(Locale.ROOT, "target: ratio >= %.0fx: %s%n", TARGET_RATIO, ratio >= TARGET_RATIO ? "MET" : "MISSED");
        // The mock server scans every stored object on each create, so the full sync's writes grow with the square
        // of the profile count; this is the ratio with the time the sync waited on them taken out.
        System.out.printf(Locale.ROOT, "  full sync's %d object writes waited %d ms on the mock in all; without them:"
            + " full_ms=%d ratio=%.1f%n", o.profiles, fullWriteMs, ms(fullNanos) - fullWriteMs,
            (ms(fullNanos) - fullWriteMs) / medianMs);
        if (o.jfrDir != null) {
          for (String phase : List.of("full", "one-file")) {
            System.out.println("# " + phase + ":");
            System.out.print(BenchSupport.jfrSummary(o.jfrDir.resolve(phase + ".jfr"), o.jfrTop));
          }
        }
        return 0;
      } finally {
        controller.stop();
      }
    } finally {
      if (!o.keep) {
        BenchSupport.deleteTree(work);
      } else {
        System.out.println("# kept " + work);
      }
    }
  }

  /** With --wait-idle: waits for a quiet second on the machine; says when none came. */
  private static String quietMachine(Options o) throws InterruptedException {
    if (o.waitIdleSeconds <= 0) {
      return "";
    }
    return BenchSupport.awaitQuietMachine(o.waitIdleSeconds) ? ", machine quiet before" : ", machine NOT quiet before";
  }

  private static double syncTotalMs(MeterRegistry registry) {
    Timer timer = registry.find("profileops_sync_duration").timer();
    return timer == null ? 0 : timer.totalTime(TimeUnit.MILLISECONDS);
  }

  /**
   * Splits trigger-to-applied: until the sync started (trigger patch, watch event to the controller, JOSDK
   * dispatch), the sync itself (its API writes apart), the Event and the status patch after it, and the watch
   * event that brought the new status to this benchmark. The sync's end is taken as the moment its first
   * request after the object writes (the Event) was sent.
   */
  static String breakdown(List<BenchSupport.RequestLog.Entry> entries, long t0, long appliedAt, double syncMs) {
    List<BenchSupport.RequestLog.Entry> before = entries.stream().filter(e -> e.sent() <= appliedAt).toList();
    List<BenchSupport.RequestLog.Entry> writes = before.stream().filter(SyncBenchmark::isObjectWrite).toList();
    BenchSupport.RequestLog.Entry event = before.stream().filter(e -> e.path().contains("/events")).findFirst().orElse(null);
    BenchSupport.RequestLog.Entry status = before.stream()
        .filter(e -> e.path().contains("/profilesources/") && e.path().endsWith("/status")).findFirst().orElse(null);
    if (status == null || Double.isNaN(syncMs)) {
      return "breakdown n/a (requests: " + before.stream().map(e -> e.method() + " " + e.path()).toList() + ")";
    }
    long syncEnd = event != null ? event.sent() : status.sent();
    long syncStart = syncEnd - (long) (syncMs * 1e6);
    long writeMs = writes.stream().mapToLong(BenchSupport.RequestLog.Entry::millis).sum();
    return String.format(Locale.ROOT, "trigger->sync start %d ms, sync %.0f ms (%d object write(s) %d ms), event+status"
        + " patch %d ms (status patch %d ms, body %d chars), watch delivery %d ms", ms(syncStart - t0), syncMs, writes.size(),
        writeMs, ms(status.answered() - syncEnd), status.millis(), status.bodyChars(), ms(appliedAt - status.answered()));
  }

  private static boolean isObjectWrite(BenchSupport.RequestLog.Entry e) {
    return e.path().contains("/seccompprofiles") && !e.method().equals("GET");
  }

  /** The sync of this commit ran and did not apply it: waiting longer will not help. */
  private static Predicate<ProfileSource> attemptedButNotApplied(String commit) {
    return s -> s.getStatus() != null && commit.equals(s.getStatus().getLastAttemptedRevision())
        && !commit.equals(s.getStatus().getLastAppliedRevision());
  }

  private static void checkFull(KubernetesClient client, ProfileSource source, int expected) {
    if (!source.getStatus().getErrors().isEmpty()) {
      throw new IllegalStateException("the full sync reported file errors: "
          + source.getStatus().getErrors().get(0).getMessage());
    }
    if (source.getStatus().getInventory().size() != expected) {
      throw new IllegalStateException("inventory holds " + source.getStatus().getInventory().size() + ", not " + expected);
    }
    int stored = client.resources(SeccompProfile.class).list().getItems().size();
    if (stored != expected) {
      throw new IllegalStateException("the mock holds " + stored + " SeccompProfiles, not " + expected);
    }
  }

  private static void checkChanged(KubernetesClient client, Profile changed) {
    SeccompProfile inCluster = client.resources(SeccompProfile.class).withName(changed.name()).get();
    List<SyscallRule> rules = inCluster == null ? List.of() : inCluster.getSpec().getSyscalls();
    if (rules.size() < 2 || !Objects.equals(rules.get(1).getErrnoRet(), changed.errnoRet())) {
      throw new IllegalStateException("applied, but " + changed.name() + " does not have errnoRet " + changed.errnoRet());
    }
  }

  /** Bases with ~60 syscalls; the rest with {@code syscalls} each, every other one built on a base. Deterministic. */
  static List<Profile> generate(int count, int bases, int syscalls) {
    Random random = new Random(42);
    List<String> pool = new ArrayList<>(BenchSupport.SYSCALLS);
    List<Profile> profiles = new ArrayList<>();
    for (int b = 0; b < bases; b++) {
      Collections.shuffle(pool, random);
      profiles.add(new Profile(String.format(Locale.ROOT, "runtime-base-%02d", b), null,
          List.copyOf(pool.subList(0, 58)), List.copyOf(pool.subList(58, 60)), 1));
    }
    for (int i = bases; i < count; i++) {
      Collections.shuffle(pool, random);
      String base = i % 2 == 0 ? String.format(Locale.ROOT, "runtime-base-%02d", i % bases) : null;
      profiles.add(new Profile(String.format(Locale.ROOT, "app-%05d", i), base,
          List.copyOf(pool.subList(0, syscalls - 2)), List.copyOf(pool.subList(syscalls - 2, syscalls)), 1));
    }
    return profiles;
  }

  static String pathOf(Profile p) {
    if (p.name().startsWith("runtime-base-")) {
      return "profiles/bases/" + p.name() + ".yaml";
    }
    int n = Integer.parseInt(p.name().substring(p.name().lastIndexOf('-') + 1));
    return String.format(Locale.ROOT, "profiles/team-%02d/%s.yaml", n % 50, p.name());
  }

  private static long ms(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }

  /** Command-line options. */
  static final class Options {
    static final String USAGE = String.join("\n",
        "usage: SyncBenchmark [options]",
        "  --crds DIR            CRD manifests to create in the mock (default manifests/crds)",
        "  --profiles N          SeccompProfiles in the repository (default 5000)",
        "  --bases N             base profiles among them (default 10)",
        "  --syscalls N          syscalls per profile (default 40)",
        "  --changes N           one-file changes, each timed; the median counts (default 5)",
        "  --quiet-ms MS         how long the controller must be idle before a change is timed (default 2000)",
        "  --timeout-seconds S   give up on one sync after this long (default 240)",
        "  --wait-idle S         before each timed step, wait up to S seconds for a second in which other processes",
        "                        use less than a third of a core (default 0: do not wait; CPU of others is reported)",
        "  --jfr DIR             record the full sync and the one-file changes with JFR (profile settings) into",
        "                        DIR/full.jfr and DIR/one-file.jfr, and print a summary of each",
        "  --jfr-top N           methods listed per summary (default 25)",
        "  --work-dir DIR        where the work tree and the syncer's clone go (default: a temp dir)",
        "  --keep                keep the work dir");

    Path crds = Path.of("manifests/crds");
    int profiles = 5000;
    int bases = 10;
    int syscalls = 40;
    int changes = 5;
    Duration quiet = Duration.ofMillis(2000);
    Duration timeout = Duration.ofSeconds(240);
    int waitIdleSeconds;
    Path jfrDir;
    int jfrTop = 25;
    Path workDir;
    boolean keep;
    boolean help;

    static Options parse(String[] args) {
      Options o = new Options();
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        switch (arg) {
          case "--help", "-h" -> o.help = true;
          case "--keep" -> o.keep = true;
          case "--crds" -> o.crds = Path.of(value(args, ++i, arg));
          case "--profiles" -> o.profiles = positive(value(args, ++i, arg), arg);
          case "--bases" -> o.bases = positive(value(args, ++i, arg), arg);
          case "--syscalls" -> o.syscalls = positive(value(args, ++i, arg), arg);
          case "--changes" -> o.changes = positive(value(args, ++i, arg), arg);
          case "--quiet-ms" -> o.quiet = Duration.ofMillis(positive(value(args, ++i, arg), arg));
          case "--timeout-seconds" -> o.timeout = Duration.ofSeconds(positive(value(args, ++i, arg), arg));
          case "--wait-idle" -> o.waitIdleSeconds = Integer.parseInt(value(args, ++i, arg));
          case "--jfr" -> o.jfrDir = Path.of(value(args, ++i, arg));
          case "--jfr-top" -> o.jfrTop = positive(value(args, ++i, arg), arg);
          case "--work-dir" -> o.workDir = Path.of(value(args, ++i, arg));
          default -> throw new IllegalArgumentException("unknown argument " + arg);
        }
      }
      if (o.syscalls < 3 || o.syscalls > 60) {
        throw new IllegalArgumentException("--syscalls must be between 3 and 60");
      }
      if (o.bases >= o.profiles) {
        throw new IllegalArgumentException("--bases must be fewer than --profiles");
      }
      if (o.changes > o.profiles - o.bases) {
        throw new IllegalArgumentException("--changes must not exceed the profiles that are no base");
      }
      return o;
    }
  }
}
