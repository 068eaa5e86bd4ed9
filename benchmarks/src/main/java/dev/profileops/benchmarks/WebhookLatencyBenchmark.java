package dev.profileops.benchmarks;

import static dev.profileops.benchmarks.BenchSupport.positive;
import static dev.profileops.benchmarks.BenchSupport.value;

import dev.profileops.api.seccomp.BaseProfileResolver;
import dev.profileops.api.seccomp.SeccompAction;
import dev.profileops.api.seccomp.SeccompArch;
import dev.profileops.api.seccomp.SeccompProfileSpec;
import dev.profileops.api.seccomp.SyscallRule;
import dev.profileops.api.source.ProfileSource;
import dev.profileops.benchmarks.BenchSupport.MockCluster;
import dev.profileops.benchmarks.BenchSupport.Profile;
import dev.profileops.benchmarks.BenchSupport.RequestLog;
import dev.profileops.benchmarks.BenchSupport.RevisionWatch;
import dev.profileops.host.seccomp.SyscallTable;
import dev.profileops.host.seccomp.SyscallTables;
import dev.profileops.nodedaemon.NodeDaemon;
import dev.profileops.nodedaemon.seccomp.OciSeccompJson;
import dev.profileops.syncer.cluster.ObjectWriter;
import dev.profileops.syncer.profilesource.SourceTrigger;
import dev.profileops.syncer.profilesource.SyncerController;
import dev.profileops.syncer.webhook.WebhookReceiver;
import dev.profileops.testsupport.GitDaemonServer;
import dev.profileops.testsupport.GitWorkTree;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import jdk.jfr.Recording;

/**
 * From {@code git push} to the profile file on the node, through the push webhook.
 *
 * <p>All in this JVM against one fabric8 CRUD mock API server (https, loopback, the CRDs of
 * {@code manifests/crds}), each with a client of its own: the {@link SyncerController} (no leader election,
 * {@link ObjectWriter#createOrReplace()}) with a {@link WebhookReceiver} on 127.0.0.1 whose trigger is a
 * {@link SourceTrigger}, as {@code profileops controller --webhook-port} wires them; and a {@link NodeDaemon}
 * for node {@value #NODE} writing into a temporary kubelet directory. A real {@code git daemon} serves a small
 * repository (a base and a few profiles, two of them built on the base); one ProfileSource (interval 1h, so
 * only the webhook makes it sync) follows it.
 *
 * <p>Each push: one profile's {@code errnoRet} is bumped and committed (not timed); once the controller and
 * the daemon are idle, the clock starts just before {@code git push}, then a GitHub-style push event
 * ({@code X-GitHub-Event: push}, {@code X-Hub-Signature-256} = HMAC-SHA256 of the body with the shared secret,
 * {@code ref}, {@code after}, {@code repository.clone_url}) is POSTed, and the clock stops when
 * {@code <kubelet>/seccomp/operator/<name>.json} holds exactly the bytes the node daemon must write for the
 * new version (its own renderer, after base resolution), polled every {@code --poll-ms}.
 *
 * <p>A benchmark, not a test: run it with {@code benchmarks/webhook-latency.sh}.
 */
public final class WebhookLatencyBenchmark {
  static final long TARGET_P50_MS = 1_000;
  static final String NODE = "bench-node";
  static final String NAMESPACE = "bench";
  static final String SOURCE = "profiles";

  public static void main(String[] args) {
    BenchSupport.quietLogs();
    Optional<Options> options = BenchSupport.parseOptions(args, Options::parse, o -> o.help, Options.USAGE);
    if (options.isPresent()) {
      BenchSupport.runAndExit(() -> run(options.get()));
    }
  }

  /** What one push measured, in nanoseconds from just before {@code git push}. */
  record Push(int index, String profile, long pushed, long answered, long written, long installed) {
    long totalMs() {
      return TimeUnit.NANOSECONDS.toMillis(installed);
    }
  }

  static int run(Options o) throws Exception {
    GitDaemonServer.unavailableReason().ifPresent(reason -> {
      throw new IllegalStateException(reason);
    });
    SyscallTable syscalls = SyscallTables.system();
    System.out.println("# WebhookLatencyBenchmark: " + BenchSupport.machine());
    System.out.printf(Locale.ROOT, "# profiles=%d pushes=%d warmup=%d poll=%d ms libseccomp=%s%n", o.profiles, o.pushes,
        o.warmup, o.pollMs, syscalls.available() ? syscalls.version() : "unavailable (names not checked)");
    if (System.getProperty(WebhookReceiver.JDK_MAX_REQUEST_TIME_PROPERTY) == null) {
      System.setProperty(WebhookReceiver.JDK_MAX_REQUEST_TIME_PROPERTY, "10"); // as the receiver asks; before any HttpServer
    }
    Path work = o.workDir != null ? Files.createDirectories(o.workDir) : Files.createTempDirectory("profileops-webhook-bench-");
    Path kubeletDir = Files.createDirectories(work.resolve("kubelet"));
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    try (GitDaemonServer git = GitDaemonServer.start();
        GitWorkTree tree = GitWorkTree.init(work.resolve("worktree"));
        MockCluster cluster = new MockCluster(o.crds)) {
      git.createBareRepo("profiles");
      String url = git.url("profiles");
      Map<String, Profile> profiles = generate(o.profiles);
      for (Profile p : profiles.values()) {
        tree.write("profiles/" + p.name() + ".yaml", p.yaml());
      }
      String commit = tree.commitAll("profiles");
      tree.push(url, "main");

      RequestLog syncerRequests = new RequestLog();
      KubernetesClient syncerClient = cluster.newClient(syncerRequests);
      KubernetesClient nodeClient = cluster.newClient();
      KubernetesClient client = cluster.newClient();
      SimpleMeterRegistry metrics = new SimpleMeterRegistry();
      SyncerController controller = new SyncerController(syncerClient, syscalls, ObjectWriter.createOrReplace(),
          Files.createDirectories(work.resolve("syncer")), metrics, null);
      WebhookReceiver receiver = new WebhookReceiver(new InetSocketAddress("127.0.0.1", 0), secret,
          new SourceTrigger(syncerClient, Clock.systemUTC()));
      NodeDaemon daemon = new NodeDaemon(nodeClient, NODE, kubeletDir);
      Path files = kubeletDir.resolve("seccomp/operator");
      try {
        daemon.start();
        controller.start();
        receiver.start();
        URI hook = URI.create("http://127.0.0.1:" + receiver.port() + "/hooks/github");
        System.out.println("# API client: " + syncerClient.getHttpClient().getClass().getName() + "; webhook " + hook);
        try (RevisionWatch watch = new RevisionWatch(client, NAMESPACE, SOURCE)) {
          long setup = System.nanoTime();
          client.resource(BenchSupport.source(NAMESPACE, SOURCE, url, "profiles")).create();
          watch.await(commit, o.timeout, s -> false);
          for (Profile p : profiles.values()) {
            awaitFile(files.resolve(p.name() + ".json"), expected(profiles, p.name()), o.timeout, o.pollMs);
          }
          System.out.printf(Locale.ROOT, "# first sync and install of %d profiles: %d ms%n", profiles.size(),
              ms(System.nanoTime() - setup));

          HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
              .connectTimeout(Duration.ofSeconds(5)).build();
          List<String> changeable = profiles.keySet().stream().filter(n -> !n.endsWith("-base")).toList();
          List<Push> measured = new ArrayList<>();
          List<Long> warm = new ArrayList<>();
          Recording jfr = null;
          BenchSupport.CpuMeter cpu = new BenchSupport.CpuMeter(git.basePath());
          String before = commit;
          int notQuiet = 0;
          BenchSupport.CpuMeter timedCpu = new BenchSupport.CpuMeter(git.basePath());
          double[] timedUse = new double[3];
          long timedMs = 0;
          for (int i = 0; i < o.warmup + o.pushes; i++) {
            if (i == o.warmup) {
              cpu.start();
              jfr = BenchSupport.startJfr(o.jfrDir);
            }
            String name = changeable.get(i % changeable.size());
            Profile changed = profiles.get(name).withErrnoRet(200 + i);
            profiles.put(name, changed);
            byte[] want = expected(profiles, name);
            tree.write("profiles/" + name + ".yaml", changed.yaml());
            String after = tree.commitAll("bump errnoRet of " + name);
            BenchSupport.awaitIdle(metrics, cluster, o.quiet, o.timeout);
            if (o.waitIdleSeconds > 0 && !BenchSupport.awaitQuietMachine(o.waitIdleSeconds) && i >= o.warmup) {
              notQuiet++;
            }

            timedCpu.start();
            long t0 = System.nanoTime();
            tree.push(url, "main");
            long pushed = System.nanoTime();
            byte[] body = payload(url, before, after, name).getBytes(StandardCharsets.UTF_8);
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(hook)
                .timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/json")
                .header("X-GitHub-Event", "push")
                .header("X-GitHub-Delivery", java.util.UUID.randomUUID().toString())
                .header("X-Hub-Signature-256", "sha256=" + hmacSha256Hex(secret, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
            long answered = System.nanoTime();
            if (response.statusCode() != 200 || !response.body().replace(" ", "").contains("\"triggered\":1")) {
              throw new IllegalStateException("webhook answered " + response.statusCode() + " " + response.body());
            }
            long installed = awaitFile(files.resolve(name + ".json"), want, o.timeout, o.pollMs);
            double[] used = timedCpu.delta();
            long written = syncerRequests.since(t0).stream()
                .filter(e -> e.path().endsWith("/seccompprofiles/" + name) && !e.method().equals("GET"))
                .mapToLong(RequestLog.Entry::answered).max().orElse(installed);
            Push push = new Push(i + 1, name, pushed - t0, answered - t0, Math.min(written, installed) - t0, installed - t0);
            if (i < o.warmup) {
              warm.add(push.totalMs());
            } else {
              measured.add(push);
              for (int k = 0; k < 3; k++) {
                timedUse[k] += used[k];
              }
              timedMs += push.totalMs();
              if (o.verbose) {
                System.out.printf(Locale.ROOT, "push %2d: %4d ms (%s; push %d, webhook %d, object written %d)%n", push.index(),
                    push.totalMs(), name, ms(push.pushed()), ms(push.answered()), ms(push.written()));
              }
            }
            before = after;
          }
          String cpuUse = String.format(Locale.ROOT, "cpu within the %d timed pushes (%.1f s in all): jvm %.2f s,"
              + " git daemon %.2f s, other processes %.2f s (the benchmark's own git push included); from the first"
              + " counted push to the last, idle waits included: %s", measured.size(), timedMs / 1000.0, timedUse[0],
              timedUse[1], timedUse[2], cpu.since());
          BenchSupport.dumpJfr(jfr, o.jfrDir, "pushes");
          String last = before;
          watch.await(last, o.timeout, s -> false);
          for (Profile p : profiles.values()) {
            if (!Arrays.equals(Files.readAllBytes(files.resolve(p.name() + ".json")), expected(profiles, p.name()))) {
              throw new IllegalStateException("after the last push, " + p.name() + ".json is not what it should be");
            }
          }
          report(measured, warm, cpuUse + (o.waitIdleSeconds > 0 ? "; pushes started on a busy machine: " + notQuiet : ""));
          if (o.jfrDir != null) {
            System.out.print(BenchSupport.jfrSummary(o.jfrDir.resolve("pushes.jfr"), 25));
          }
          return 0;
        }
      } finally {
        receiver.stop();
        controller.stop();
        daemon.stop();
      }
    } finally {
      if (!o.keep) {
        BenchSupport.deleteTree(work);
      } else {
        System.out.println("# kept " + work);
      }
    }
  }

  private static void report(List<Push> pushes, List<Long> warm, String cpu) {
    List<Long> total = pushes.stream().map(Push::totalMs).toList();
    List<Long> push = pushes.stream().map(p -> ms(p.pushed())).toList();
    List<Long> hook = pushes.stream().map(p -> ms(p.answered() - p.pushed())).toList();
    List<Long> sync = pushes.stream().map(p -> ms(p.written() - p.answered())).toList();
    List<Long> node = pushes.stream().map(p -> ms(p.installed() - p.written())).toList();
    if (!warm.isEmpty()) {
      System.out.println("warm-up pushes (not counted): " + warm + " ms");
    }
    System.out.println("pushes (ms, in order): " + total);
    System.out.printf(Locale.ROOT, "  parts, p50 / p95 / max: git push %s; webhook POST (until 200) %s; sync until the"
            + " SeccompProfile was written %s; node daemon until the file was right %s%n",
        parts(push), parts(hook), parts(sync), parts(node));
    System.out.println("  " + cpu);
    long p50 = BenchSupport.percentile(total, 50);
    System.out.printf(Locale.ROOT, "p50_ms=%d p95_ms=%d max_ms=%d mean_ms=%.0f pushes=%d%n", p50,
        BenchSupport.percentile(total, 95), total.stream().mapToLong(Long::longValue).max().orElse(0),
        total.stream().mapToLong(Long::longValue).average().orElse(0), total.size());
    System.out.printf(Locale.ROOT, "target: p50 <= %d ms: %s%n", TARGET_P50_MS, p50 <= TARGET_P50_MS ? "MET" : "MISSED");
  }

  private static String parts(List<Long> values) {
    return BenchSupport.percentile(values, 50) + " / " + BenchSupport.percentile(values, 95) + " / "
        + values.stream().mapToLong(Long::longValue).max().orElse(0);
  }

  /** Polls until the file holds exactly {@code want}; returns System.nanoTime() at that moment. */
  static long awaitFile(Path file, byte[] want, Duration timeout, int pollMs) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    byte[] have = null;
    while (true) {
      try {
        have = Files.readAllBytes(file);
        if (Arrays.equals(have, want)) {
          return System.nanoTime();
        }
      } catch (NoSuchFileException e) {
        have = null;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(file + " does not hold the expected profile after " + timeout + "; expected:\n"
            + new String(want, StandardCharsets.UTF_8) + "found:\n"
            + (have == null ? "(no file)" : new String(have, StandardCharsets.UTF_8)));
      }
      Thread.sleep(pollMs);
    }
  }

  /** The bytes the node daemon writes for {@code name}: its base merged in, rendered by the daemon's renderer. */
  static byte[] expected(Map<String, Profile> profiles, String name) {
    Map<String, SeccompProfileSpec> specs = new LinkedHashMap<>();
    profiles.forEach((n, p) -> specs.put(n, spec(p)));
    BaseProfileResolver.Result resolved = BaseProfileResolver.over(specs).resolve(name, specs.get(name));
    if (!resolved.ok()) {
      throw new IllegalStateException("cannot resolve " + name + ": " + resolved.error());
    }
    return OciSeccompJson.render(resolved.spec());
  }

  /** The spec {@link Profile#yaml()} describes. */
  static SeccompProfileSpec spec(Profile p) {
    SeccompProfileSpec spec = new SeccompProfileSpec();
    spec.setDefaultAction(SeccompAction.SCMP_ACT_ERRNO);
    spec.setArchitectures(new ArrayList<>(
        List.of(SeccompArch.SCMP_ARCH_X86_64, SeccompArch.SCMP_ARCH_X86, SeccompArch.SCMP_ARCH_X32)));
    List<SyscallRule> rules = new ArrayList<>();
    rules.add(new SyscallRule(p.allowed(), SeccompAction.SCMP_ACT_ALLOW));
    if (!p.denied().isEmpty()) {
      SyscallRule denied = new SyscallRule(p.denied(), SeccompAction.SCMP_ACT_ERRNO);
      denied.setErrnoRet(p.errnoRet());
      rules.add(denied);
    }
    spec.setSyscalls(rules);
    spec.setBaseProfileName(p.base());
    return spec;
  }

  /** A base and {@code count - 1} profiles, every other one built on the base; ~40 syscalls each. */
  static Map<String, Profile> generate(int count) {
    List<Profile> all = SyncBenchmark.generate(count + 1, 1, 40); // one base, then app-00001...
    Map<String, Profile> profiles = new LinkedHashMap<>();
    Profile base = all.get(0);
    profiles.put("web-base", new Profile("web-base", null, base.allowed(), base.denied(), base.errnoRet()));
    for (Profile p : all.subList(1, count)) {
      profiles.put(p.name(), new Profile(p.name(), p.base() == null ? null : "web-base", p.allowed(), p.denied(), p.errnoRet()));
    }
    return profiles;
  }

  /** A GitHub push event, trimmed to what a push carries (the receiver reads ref, after and the repository URLs). */
  static String payload(String cloneUrl, String before, String after, String changed) {
    return "{\"ref\":\"refs/heads/main\",\"before\":\"" + before + "\",\"after\":\"" + after + "\","
        + "\"created\":false,\"deleted\":false,\"forced\":false,"
        + "\"repository\":{\"name\":\"profiles\",\"full_name\":\"bench/profiles\",\"private\":true,"
        + "\"html_url\":\"https://forge.invalid/bench/profiles\",\"clone_url\":\"" + cloneUrl + "\","
        + "\"default_branch\":\"main\"},"
        + "\"pusher\":{\"name\":\"bench\",\"email\":\"bench@profileops.invalid\"},"
        + "\"head_commit\":{\"id\":\"" + after + "\",\"message\":\"bump errnoRet of " + changed + "\","
        + "\"modified\":[\"profiles/" + changed + ".yaml\"]}}";
  }

  static String hmacSha256Hex(byte[] secret, byte[] body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret, "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(body));
  }

  private static long ms(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }

  /** Command-line options. */
  static final class Options {
    static final String USAGE = String.join("\n",
        "usage: WebhookLatencyBenchmark [options]",
        "  --crds DIR            CRD manifests to create in the mock (default manifests/crds)",
        "  --profiles N          profiles in the repository, a base included (default 5)",
        "  --pushes N            pushes measured (default 50)",
        "  --warmup N            pushes before those, not counted (default 5)",
        "  --poll-ms MS          how often the node file is read (default 5)",
        "  --quiet-ms MS         how long the controller must be idle before a push (default 500)",
        "  --timeout-seconds S   give up on one push after this long (default 60)",
        "  --wait-idle S         before each push, wait up to S seconds for a second in which other processes use",
        "                        less than a third of a core (default 0: do not wait; CPU of others is reported)",
        "  --jfr DIR             record the counted pushes with JFR (profile settings) into DIR/pushes.jfr",
        "  --verbose             one line per push",
        "  --work-dir DIR        where the work tree, the syncer's clone and the kubelet dir go (default: a temp dir)",
        "  --keep                keep the work dir");

    Path crds = Path.of("manifests/crds");
    int profiles = 5;
    int pushes = 50;
    int warmup = 5;
    int pollMs = 5;
    Duration quiet = Duration.ofMillis(500);
    Duration timeout = Duration.ofSeconds(60);
    int waitIdleSeconds;
    Path jfrDir;
    boolean verbose;
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
          case "--verbose" -> o.verbose = true;
          case "--crds" -> o.crds = Path.of(value(args, ++i, arg));
          case "--profiles" -> o.profiles = positive(value(args, ++i, arg), arg);
          case "--pushes" -> o.pushes = positive(value(args, ++i, arg), arg);
          case "--warmup" -> o.warmup = Integer.parseInt(value(args, ++i, arg));
          case "--poll-ms" -> o.pollMs = positive(value(args, ++i, arg), arg);
          case "--quiet-ms" -> o.quiet = Duration.ofMillis(positive(value(args, ++i, arg), arg));
          case "--timeout-seconds" -> o.timeout = Duration.ofSeconds(positive(value(args, ++i, arg), arg));
          case "--wait-idle" -> o.waitIdleSeconds = Integer.parseInt(value(args, ++i, arg));
          case "--jfr" -> o.jfrDir = Path.of(value(args, ++i, arg));
          case "--work-dir" -> o.workDir = Path.of(value(args, ++i, arg));
          default -> throw new IllegalArgumentException("unknown argument " + arg);
        }
      }
      if (o.profiles < 2) {
        throw new IllegalArgumentException("--profiles must be at least 2 (a base and a profile)");
      }
      if (o.warmup < 0) {
        throw new IllegalArgumentException("--warmup must not be negative");
      }
      return o;
    }
  }
}
