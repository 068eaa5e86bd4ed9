package dev.profileops.benchmarks;

import dev.profileops.host.bpf.LibbpfSyscallRecorder;
import dev.profileops.host.bpf.MountNamespaceRecording;
import dev.profileops.host.bpf.ProcNamespaces;
import dev.profileops.host.bpf.SyscallRecorder;
import dev.profileops.host.bpf.SyscallRecorders;
import dev.profileops.host.bpf.UnsupportedSyscallRecorder;
import dev.profileops.host.seccomp.SyscallTable;
import dev.profileops.host.seccomp.SyscallTables;
import dev.profileops.testsupport.RuncContainer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the BPF recorder costs a syscall-heavy container: {@code dd if=/dev/zero of=/dev/null bs=1
 * count=2000000} (two syscalls per byte) in a busybox container under runc, dd's CPU time (user +
 * system, from busybox's {@code time} inside the container: on a shared machine CPU time varies less
 * than wall time) with nothing attached (plain), with a program that does nothing
 * on sys_enter (the floor: what any BPF program there costs), with the recorder recording that
 * container, with a bpftrace count-by-syscall one-liner, and, on a tenth of the count, under
 * {@code strace -f}. Rounds interleave the modes; medians are reported. Not a test.
 *
 * <p>Arguments: {@code [--rounds N] [--count N]}.
 */
public final class SyscallRecorderBenchmark {
  private static final String BPFTRACE = "tracepoint:raw_syscalls:sys_enter { @[args->id] = count(); }";

  private final RuncContainer containers;
  private final SyscallTable syscalls;
  private final long count;

  private SyscallRecorderBenchmark(RuncContainer containers, SyscallTable syscalls, long count) {
    this.containers = containers;
    this.syscalls = syscalls;
    this.count = count;
  }

  public static void main(String[] args) throws Exception {
    int rounds = 5;
    long count = 2_000_000;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--count" -> count = Long.parseLong(args[++i]);
        default -> {
          System.err.println("usage: SyscallRecorderBenchmark [--rounds N] [--count N]");
          System.exit(2);
        }
      }
    }
    RuncContainer.unavailableReason().ifPresent(reason -> {
      throw new IllegalStateException("runc containers cannot run here: " + reason);
    });
    SyscallTable syscalls = SyscallTables.system();
    SyscallRecorders.system().unsupportedReason(syscalls).ifPresent(reason -> {
      throw new IllegalStateException("BPF cannot run here: " + reason);
    });
    System.out.printf("%s, libseccomp %s, kernel %s, %d cpus; dd bs=1 count=%d, %d rounds%n",
        SyscallRecorders.libbpfVersion(), syscalls.version(), System.getProperty("os.version"),
        Runtime.getRuntime().availableProcessors(), count, rounds);
    RuncContainer containers = RuncContainer.create().withApplets("dd", "time").withTimeout(Duration.ofMinutes(5));
    new SyscallRecorderBenchmark(containers, syscalls, count).run(rounds);
  }

  private void run(int rounds) throws Exception {
    Map<String, List<Double>> seconds = new LinkedHashMap<>();
    for (String mode : List.of("plain", "floor", "recorder", "bpftrace", "plain-small", "strace-small")) {
      seconds.put(mode, new ArrayList<>());
    }
    long small = count / 10;
    for (int round = 1; round <= rounds; round++) {
      seconds.get("plain").add(plain(count));
      seconds.get("floor").add(floor());
      seconds.get("recorder").add(recorded());
      seconds.get("bpftrace").add(bpftrace());
      seconds.get("plain-small").add(plain(small));
      seconds.get("strace-small").add(strace(small));
      System.out.printf("round %d: %s%n", round, last(seconds));
    }
    double plain = median(seconds.get("plain"));
    double floor = median(seconds.get("floor"));
    double recorder = median(seconds.get("recorder"));
    double bpftrace = median(seconds.get("bpftrace"));
    double plainSmall = median(seconds.get("plain-small"));
    double straceSmall = median(seconds.get("strace-small"));
    double syscallsRun = 2.0 * count;
    System.out.println();
    System.out.println("| mode | median CPU s (user+sys) | ns per syscall | overhead ns per syscall |");
    System.out.println("|---|---|---|---|");
    row("plain", plain, syscallsRun, plain);
    row("floor (do-nothing program on sys_enter)", floor, syscallsRun, plain);
    row("recorder", recorder, syscallsRun, plain);
    row("bpftrace count by syscall", bpftrace, syscallsRun, plain);
    row("plain, count/10", plainSmall, syscallsRun / 10, plainSmall);
    row("strace -f, count/10", straceSmall, syscallsRun / 10, plainSmall);
    System.out.printf(Locale.ROOT, "%nratio (recorder - plain) / (floor - plain) = %.2f (target <= 1.2)%n",
        (recorder - plain) / (floor - plain));
    System.out.printf(Locale.ROOT, "ratio (bpftrace - plain) / (floor - plain) = %.2f%n", (bpftrace - plain) / (floor - plain));
  }

  private static void row(String mode, double seconds, double syscalls, double base) {
    System.out.printf(Locale.ROOT, "| %s | %.3f | %.0f | %.0f |%n", mode, seconds, seconds * 1e9 / syscalls,
        (seconds - base) * 1e9 / syscalls);
  }

  private static String last(Map<String, List<Double>> seconds) {
    StringBuilder line = new StringBuilder();
    seconds.forEach((mode, values) -> line.append(String.format(Locale.ROOT, "%s %.2fs  ", mode, values.get(values.size() - 1))));
    return line.toString().strip();
  }

  private double plain(long n) throws IOException {
    return storm("plain", n, null);
  }

  private double floor() throws IOException {
    try (LibbpfSyscallRecorder floor = LibbpfSyscallRecorder.loadFloor(LibbpfSyscallRecorder.loadLibrary(),
        SyscallRecorders.system().settings())) {
      floor.start(false);
      return storm("floor", count, null);
    }
  }

  /** The recorder recording the container (tracked-only, the way a node records one workload). */
  private double recorded() throws IOException {
    try (SyscallRecorder recorder = SyscallRecorders.system().start(syscalls, true)) {
      if (recorder instanceof UnsupportedSyscallRecorder u) {
        throw new IllegalStateException(u.reason());
      }
      AtomicLong namespace = new AtomicLong();
      AtomicLong pid = new AtomicLong();
      double elapsed = storm("recorded", count, initPid -> {
        pid.set(initPid);
        namespace.set(ProcNamespaces.system().mountNamespace(initPid).orElseThrow());
        recorder.track(namespace.get());
      });
      MountNamespaceRecording seen = recorder.recording(namespace.get(), pid.get())
          .orElseThrow(() -> new IllegalStateException("the recorder did not record the container"));
      int read = syscalls.number(syscalls.nativeArchitecture(), "read").orElseThrow();
      if (!seen.syscallNumbers().get(read)) {
        throw new IllegalStateException("the recording lacks read: " + seen);
      }
      return elapsed;
    }
  }

  private double bpftrace() throws IOException, InterruptedException {
    Process trace = new ProcessBuilder("bpftrace", "-e", BPFTRACE).redirectErrorStream(true).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(trace.getInputStream(), StandardCharsets.UTF_8));
      // bpftrace may warn first (e.g. about RLIMIT_MEMLOCK, which kernels since 5.11 do not need).
      StringBuilder said = new StringBuilder();
      String line;
      while ((line = out.readLine()) != null && !line.startsWith("Attaching")) {
        said.append(line).append('\n');
      }
      if (line == null) {
        throw new IllegalStateException("bpftrace did not attach: " + said);
      }
      return storm("bpftrace", count, null);
    } finally {
      trace.destroy(); // SIGTERM: bpftrace prints its map and exits
      if (!trace.waitFor(30, TimeUnit.SECONDS)) {
        trace.destroyForcibly();
      }
    }
  }

  private double strace(long n) throws IOException {
    return storm("strace", n, null, "strace", "-f", "-qq", "-o", "/dev/null");
  }

  private double storm(String label, long n, RuncContainer.CreatedListener listener, String... wrapper) throws IOException {
    String[] script = {"time -f 'cpu %U %S' dd if=/dev/zero of=/dev/null bs=1 count=" + n};
    RuncContainer.Result result = wrapper.length > 0
        ? containers.withRuntimeWrapper(wrapper).runObserved("storm-" + label, null, ignored -> {}, script)
        : containers.runObserved("storm-" + label, null, listener == null ? ignored -> {} : listener, script);
    if (!result.succeeded()) {
      throw new IllegalStateException(label + ": " + result);
    }
    for (String line : result.stderr().split("\n")) {
      if (line.startsWith("cpu ")) {
        String[] userSystem = line.substring("cpu ".length()).strip().split("\\s+");
        return Double.parseDouble(userSystem[0]) + Double.parseDouble(userSystem[1]);
      }
    }
    throw new IllegalStateException(label + ": no cpu time in " + result);
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
