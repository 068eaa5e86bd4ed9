package dev.profileops.benchmarks;

import dev.profileops.api.recording.MergeStrategy;
import dev.profileops.api.seccomp.SeccompProfile;
import dev.profileops.benchmarks.BenchSupport.Profile;
import dev.profileops.host.seccomp.SyscallTables;
import dev.profileops.recorder.RecordingMetadata;
import dev.profileops.recorder.merge.MergeResult;
import dev.profileops.recorder.merge.PartialProfileMerger;
import dev.profileops.recorder.merge.ReplicaProfile;
import dev.profileops.recorder.publish.PublishRequest;
import dev.profileops.recorder.publish.PublishResult;
import dev.profileops.recorder.publish.PublishTimings;
import dev.profileops.recorder.publish.RecordingPublisher;
import dev.profileops.recorder.seccomp.RecordedSeccompProfile;
import dev.profileops.recorder.seccomp.SeccompRecordedKind;
import dev.profileops.testsupport.GitDaemonServer;
import dev.profileops.testsupport.GitWorkTree;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * From a recorded container's exit to its branch on the git server: the per-replica profiles merged
 * ({@code mergeStrategy: Containers}), the repository fetched (shallow; the publisher's clone is kept
 * between runs, as in a running recorder), the profile's file found among {@code --profiles} others and
 * rewritten, committed, and {@code profileops/recording/<recording>-<container>} force-pushed to a real
 * {@code git daemon} on loopback. No forge API call (that is one HTTP round trip to a remote service).
 *
 * <p>The first publish clones the repository and is reported on its own; then {@code --warmup} runs,
 * then {@code --runs} measured ones, each with a different syscall set so every run commits and pushes.
 *
 * <p>A benchmark, not a test: run it with {@code benchmarks/recording-publish.sh}.
 */
public final class RecordingPublishBenchmark {
  static final long TARGET_P95_MS = 2_000;
  static final String RECORDING = "bench";
  static final String CONTAINER = "app";

  public static void main(String[] args) throws Exception {
    BenchSupport.quietLogs();
    int profiles = 200;
    int runs = 20;
    int warmup = 3;
    int replicas = 3;
    boolean verbose = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--profiles" -> profiles = Integer.parseInt(args[++i]);
        case "--runs" -> runs = Integer.parseInt(args[++i]);
        case "--warmup" -> warmup = Integer.parseInt(args[++i]);
        case "--replicas" -> replicas = Integer.parseInt(args[++i]);
        case "--verbose" -> verbose = true;
        case "--help", "-h" -> {
          System.out.println("usage: RecordingPublishBenchmark [--profiles N (200)] [--runs N (20)] [--warmup N (3)]"
              + " [--replicas N (3)] [--verbose]");
          return;
        }
        default -> throw new IllegalArgumentException("unknown option " + args[i] + " (--help lists them)");
      }
    }
    Path work = Files.createTempDirectory("profileops-publish-bench-");
    try (GitDaemonServer git = GitDaemonServer.start(); GitWorkTree seed = GitWorkTree.init()) {
      git.createBareRepo("team/profiles");
      String url = git.url("team/profiles");
      for (int i = 0; i < profiles; i++) {
        String name = i == profiles / 2 ? RecordingMetadata.name(RECORDING, CONTAINER) : String.format(Locale.ROOT, "profile-%03d", i);
        seed.write("seccomp/" + name + ".yaml", new Profile(name, null, syscalls(i, 40), List.of("ptrace"), 1).yaml());
      }
      seed.commitAll(profiles + " profiles");
      seed.push(url, "main");
      RecordingPublisher publisher = new RecordingPublisher(work.resolve("clones"), SyscallTables.system());
      PartialProfileMerger merger = new PartialProfileMerger();

      System.out.printf(Locale.ROOT, "machine: %s%n", BenchSupport.machine());
      System.out.printf(Locale.ROOT, "repository: %d profiles on git://127.0.0.1 (git daemon), %d replicas merged per run%n",
          profiles, replicas);
      long first = publishOnce(publisher, merger, url, 0, replicas).ms();
      System.out.printf(Locale.ROOT, "first publish (clone): %d ms%n", first);
      for (int i = 1; i <= warmup; i++) {
        publishOnce(publisher, merger, url, i, replicas);
      }
      List<Long> measured = new ArrayList<>();
      List<Long> fetch = new ArrayList<>();
      List<Long> read = new ArrayList<>();
      List<Long> push = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        Run run = publishOnce(publisher, merger, url, warmup + 1 + i, replicas);
        measured.add(run.ms());
        fetch.add(run.timings().fetch().toMillis());
        read.add(run.timings().read().toMillis());
        push.add(run.timings().push().toMillis());
        if (verbose) {
          System.out.printf(Locale.ROOT, "run %2d: %d ms (fetch %d, read+write %d, commit+push %d)%n", i + 1, run.ms(),
              run.timings().fetch().toMillis(), run.timings().read().toMillis(), run.timings().push().toMillis());
        }
      }
      long p50 = BenchSupport.percentile(measured, 50);
      long p95 = BenchSupport.percentile(measured, 95);
      System.out.printf(Locale.ROOT, "exit -> branch pushed over %d runs: p50 %d ms, p95 %d ms, min %d ms, max %d ms"
          + " (target p95 <= %d ms: %s)%n", runs, p50, p95, measured.stream().min(Long::compare).orElse(0L),
          measured.stream().max(Long::compare).orElse(0L), TARGET_P95_MS, p95 <= TARGET_P95_MS ? "met" : "NOT met");
      System.out.printf(Locale.ROOT, "parts p50 / p95: fetch %d / %d ms, read+write %d / %d ms, commit+push %d / %d ms%n",
          BenchSupport.percentile(fetch, 50), BenchSupport.percentile(fetch, 95), BenchSupport.percentile(read, 50),
          BenchSupport.percentile(read, 95), BenchSupport.percentile(push, 50), BenchSupport.percentile(push, 95));
    } finally {
      BenchSupport.deleteTree(work);
    }
  }

  /** One publish: its wall time from the replicas' profiles to the pushed branch, and the publisher's parts. */
  private record Run(long ms, PublishTimings timings) {}

  private static Run publishOnce(RecordingPublisher publisher, PartialProfileMerger merger, String url, int run,
      int replicas) throws Exception {
    List<ReplicaProfile<SeccompProfile>> partials = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (int r = 0; r < replicas; r++) {
      String suffix = "r" + r;
      names.add(CONTAINER + "-" + suffix);
      partials.add(new ReplicaProfile<>(suffix, "node-" + (r % 2),
          RecordedSeccompProfile.build(RECORDING, CONTAINER, "x86_64", syscalls(run + r, 60))));
    }
    long start = System.nanoTime();
    MergeResult<SeccompProfile> merged = merger.merge(SeccompRecordedKind.INSTANCE, RECORDING, CONTAINER, partials, MergeStrategy.Containers);
    List<SeccompProfile> profiles = merged.profiles();
    PublishResult result = publisher.publish(PublishRequest.builder(url, RECORDING, CONTAINER)
        .profiles(profiles)
        .coverage(merged.coverage().orElseThrow())
        .replicas(names)
        .nodes(List.of("node-0", "node-1"))
        .window(Instant.now().minusSeconds(300), Instant.now())
        .build());
    long ms = (System.nanoTime() - start) / 1_000_000;
    if (result.upToDate()) {
      throw new IllegalStateException("run " + run + " pushed nothing: the syscall sets must differ between runs");
    }
    return new Run(ms, result.timings());
  }

  /** {@code count} syscalls of the pool, starting at a position that depends on {@code seed}. */
  private static List<String> syscalls(int seed, int count) {
    List<String> pool = BenchSupport.SYSCALLS;
    List<String> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(pool.get((seed * 7 + i) % pool.size()));
    }
    return out;
  }
}
