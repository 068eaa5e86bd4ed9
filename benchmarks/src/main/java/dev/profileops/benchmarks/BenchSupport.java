package dev.profileops.benchmarks;

import dev.profileops.api.source.GitRef;
import dev.profileops.api.source.ProfileSource;
import dev.profileops.api.source.ProfileSourceSpec;
import dev.profileops.host.files.FileTrees;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/** What the benchmarks share: the mock cluster, profiles, waiting, statistics, the machine's CPU use and description. */
final class BenchSupport {
  /** Held so the setting sticks (JUL keeps loggers weakly): the mock logs every request at INFO. */
  private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  /** Real x86_64 syscalls the generated profiles draw from (NodeDaemonBenchmark's pool too). */
  static final List<String> SYSCALLS = List.of(
      "accept", "accept4", "access", "arch_prctl", "bind", "brk", "capget", "capset", "chdir", "chmod",
      "chown", "clock_getres", "clock_gettime", "clock_nanosleep", "clone", "clone3", "close",
      "close_range", "connect", "copy_file_range", "dup", "dup2", "dup3", "epoll_create", "epoll_create1",
      "epoll_ctl", "epoll_pwait", "epoll_wait", "eventfd", "eventfd2", "execve", "execveat", "exit",
      "exit_group", "faccessat", "faccessat2", "fadvise64", "fallocate", "fchdir", "fchmod", "fchmodat",
      "fchown", "fchownat", "fcntl", "fdatasync", "fgetxattr", "flock", "fork", "fstat", "fstatfs",
      "fsync", "ftruncate", "futex", "getcwd", "getdents", "getdents64", "getegid", "geteuid", "getgid",
      "getgroups", "getitimer", "getpeername", "getpgid", "getpgrp", "getpid", "getppid", "getpriority",
      "getrandom", "getresgid", "getresuid", "getrlimit", "getrusage", "getsid", "getsockname",
      "getsockopt", "gettid", "gettimeofday", "getuid", "getxattr", "inotify_add_watch",
      "inotify_init1", "inotify_rm_watch", "ioctl", "kill", "lchown", "lgetxattr", "link", "linkat",
      "listen", "lseek", "lstat", "madvise", "membarrier", "memfd_create", "mincore", "mkdir", "mkdirat",
      "mlock", "mmap", "mprotect", "mremap", "msync", "munlock", "munmap", "nanosleep", "newfstatat",
      "open", "openat", "openat2", "pause", "pipe", "pipe2", "poll", "ppoll", "prctl", "pread64",
      "preadv", "prlimit64", "pselect6", "pwrite64", "pwritev", "read", "readlink", "readlinkat", "readv",
      "recvfrom", "recvmmsg", "recvmsg", "rename", "renameat", "renameat2", "restart_syscall", "rmdir",
      "rseq", "rt_sigaction", "rt_sigpending", "rt_sigprocmask", "rt_sigqueueinfo", "rt_sigreturn",
      "rt_sigsuspend", "rt_sigtimedwait", "sched_getaffinity", "sched_yield", "select", "sendfile",
      "sendmmsg", "sendmsg", "sendto", "set_robust_list", "set_tid_address", "setgid", "setgroups",
      "setitimer", "setpgid", "setsid", "setsockopt", "setuid", "shutdown", "sigaltstack", "socket",
      "socketpair", "splice", "stat", "statfs", "statx", "symlink", "symlinkat", "sysinfo", "tgkill",
      "timerfd_create", "timerfd_settime", "tkill", "truncate", "umask", "uname", "unlink", "unlinkat",
      "utimensat", "vfork", "wait4", "waitid", "write", "writev");

  private BenchSupport() {}

  /** Quiet logs: slf4j-simple at warn, the mock's per-request INFO lines off. Call first in main. */
  static void quietLogs() {
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
  }

  /** One SeccompProfile file: an ALLOW rule and an ERRNO rule, as recorded profiles tend to look. */
  record Profile(String name, String base, List<String> allowed, List<String> denied, long errnoRet) {
    String yaml() {
      StringBuilder y = new StringBuilder();
      y.append("apiVersion: security-profiles-operator.x-k8s.io/v1\nkind: SeccompProfile\nmetadata:\n  name: ")
          .append(name).append("\n  labels:\n    app.kubernetes.io/part-of: benchmark\nspec:\n");
      if (base != null) {
        y.append("  baseProfileName: ").append(base).append('\n');
      }
      y.append("  defaultAction: SCMP_ACT_ERRNO\n  architectures: [SCMP_ARCH_X86_64, SCMP_ARCH_X86, SCMP_ARCH_X32]\n");
      y.append("  syscalls:\n    - action: SCMP_ACT_ALLOW\n      names:\n");
      for (String s : allowed) {
        y.append("        - ").append(s).append('\n');
      }
      if (!denied.isEmpty()) {
        y.append("    - action: SCMP_ACT_ERRNO\n      errnoRet: ").append(errnoRet).append("\n      names: [")
            .append(String.join(", ", denied)).append("]\n");
      }
      return y.toString();
    }

    Profile withErrnoRet(long value) {
      return new Profile(name, base, allowed, denied, value);
    }
  }

  /** The mock API server (CRUD, https on loopback) with the CRDs of {@code manifests/crds}. */
  static final class MockCluster implements AutoCloseable {
    final KubernetesMockServer server;
    private final List<KubernetesClient> clients = new ArrayList<>();

    MockCluster(Path crdDir) throws IOException {
      server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
          new KubernetesCrudDispatcher(), true);
      server.init(InetAddress.getLoopbackAddress(), 0);
      try {
        KubernetesClient client = newClient();
        List<Path> manifests;
        try (Stream<Path> files = Files.list(crdDir)) {
          manifests = files.filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml")).sorted().toList();
        }
        if (manifests.isEmpty()) {
          throw new IOException("no CRD manifests in " + crdDir);
        }
        for (Path manifest : manifests) {
          CustomResourceDefinition crd = Serialization.unmarshal(Files.readString(manifest), CustomResourceDefinition.class);
          client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
        }
      } catch (IOException | RuntimeException e) {
        close();
        throw e;
      }
    }

    /**
     * A client of its own (own connection pool), with the 10 s request timeout the tests use, on Vert.x: the
     * HTTP client the shaded CLI picks (it holds the JDK one too, through JOSDK; benchmarks/pom.xml leaves that out).
     */
    KubernetesClient newClient() {
      return newClient(null);
    }

    /** As {@link #newClient()}, recording every request in {@code log} when it is not null. */
    KubernetesClient newClient(RequestLog log) {
      KubernetesClient client = server.createClient(b -> {
        b.withHttpClientFactory(new VertxHttpClientFactory()).editOrNewConfig().withRequestTimeout(10_000).endConfig();
        if (log != null) {
          b.withHttpClientBuilderConsumer(h -> h.addOrReplaceInterceptor("benchmark-request-log", log));
        }
      });
      clients.add(client);
      return client;
    }

    int requests() {
      return server.getRequestCount();
    }

    @Override
    public void close() {
      for (KubernetesClient c : clients) {
        try {
          c.close();
        } catch (RuntimeException e) {
          // best effort
        }
      }
      server.destroy();
    }
  }

  /**
   * Every API request of a client: method, path, body size, and when it was sent and its response headers came
   * back (System.nanoTime()), to split a sync's wall time into its API calls and the rest.
   */
  static final class RequestLog implements Interceptor {
    record Entry(String method, String path, int bodyChars, long sent, long answered) {
      long millis() {
        return TimeUnit.NANOSECONDS.toMillis(answered - sent);
      }
    }

    /** The request that {@code after} sees is rebuilt (a new id): a header of ours ties the two together. */
    private static final String HEADER = "X-Benchmark-Request";
    private final java.util.concurrent.atomic.AtomicLong ids = new java.util.concurrent.atomic.AtomicLong();
    private final Map<String, Entry> pending = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<Entry> done = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
      String id = Long.toString(ids.incrementAndGet());
      builder.setHeader(HEADER, id);
      String body = request.bodyString();
      String query = request.uri().getQuery();
      pending.put(id, new Entry(request.method(), request.uri().getPath() + (query == null ? "" : "?" + query),
          body == null ? 0 : body.length(), System.nanoTime(), 0));
    }

    @Override
    public void after(HttpRequest request, HttpResponse<?> response, AsyncBody.Consumer<List<ByteBuffer>> consumer) {
      String id = request.header(HEADER);
      Entry e = id == null ? null : pending.remove(id);
      if (e != null) {
        done.add(new Entry(e.method(), e.path(), e.bodyChars(), e.sent(), System.nanoTime()));
      }
    }

    /** Requests answered at or after {@code since}, in the order they were sent. */
    List<Entry> since(long since) {
      synchronized (done) {
        return done.stream().filter(e -> e.answered() >= since).sorted(Comparator.comparingLong(Entry::sent)).toList();
      }
    }
  }

  /** A ProfileSource on branch main that syncs again only after an hour (so only triggers sync it). */
  static ProfileSource source(String namespace, String name, String url, String path) {
    ProfileSource source = new ProfileSource();
    source.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
    ProfileSourceSpec spec = new ProfileSourceSpec();
    spec.setUrl(url);
    GitRef ref = new GitRef();
    ref.setBranch("main");
    spec.setRef(ref);
    spec.setPath(path);
    spec.setInterval("1h");
    source.setSpec(spec);
    return source;
  }

  /** The manual trigger: a JSON merge patch of {@code profileops.dev/requestedAt} (no resourceVersion, no conflict). */
  static void requestSync(KubernetesClient client, String namespace, String name) {
    client.resources(ProfileSource.class).inNamespace(namespace).withName(name)
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"annotations\":{\""
            + ProfileSource.ANNOTATION_REQUESTED_AT + "\":\"" + Instant.now() + "-" + System.nanoTime() + "\"}}}");
  }

  /**
   * Watches one ProfileSource and remembers, per {@code status.lastAppliedRevision}, when an event first
   * showed it: the moment the status write that applied a revision reached a watcher.
   */
  static final class RevisionWatch implements AutoCloseable {
    private final Map<String, Long> firstSeen = new HashMap<>();
    private volatile ProfileSource last;
    private volatile long lastEventNanos = System.nanoTime();
    private final Watch watch;

    RevisionWatch(KubernetesClient client, String namespace, String name) {
      watch = client.resources(ProfileSource.class).inNamespace(namespace).withName(name).watch(new Watcher<>() {
        @Override
        public void eventReceived(Action action, ProfileSource resource) {
          long now = System.nanoTime();
          synchronized (RevisionWatch.this) {
            lastEventNanos = now;
            last = resource;
            String revision = resource.getStatus() == null ? null : resource.getStatus().getLastAppliedRevision();
            if (revision != null) {
              firstSeen.putIfAbsent(revision, now);
            }
            RevisionWatch.this.notifyAll();
          }
        }

        @Override
        public void onClose(WatcherException cause) {
          System.err.println("watch on " + namespace + "/" + name + " closed: " + cause);
        }
      });
    }

    /** System.nanoTime() at which {@code revision} was first seen applied; throws after the timeout. */
    synchronized long await(String revision, Duration timeout, Predicate<ProfileSource> failed) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!firstSeen.containsKey(revision)) {
        if (last != null && failed.test(last)) {
          throw new IllegalStateException("the source failed: " + Serialization.asYaml(last.getStatus()));
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new IllegalStateException("revision " + revision + " not applied within " + timeout + "; last status: "
              + (last == null ? "none" : Serialization.asYaml(last.getStatus())));
        }
        wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 100)));
      }
      return firstSeen.get(revision);
    }

    ProfileSource last() {
      return last;
    }

    long lastEventNanos() {
      return lastEventNanos;
    }

    @Override
    public void close() {
      watch.close();
    }
  }

  /** Syncs recorded by the controller's {@code profileops_sync_duration} timer so far. */
  static long syncCount(MeterRegistry registry) {
    Timer timer = registry.find("profileops_sync_duration").timer();
    return timer == null ? 0 : timer.count();
  }

  /**
   * Waits until the controller is idle: for {@code quietFor} in a row, no sync finished, the mock served no
   * request and this JVM (which hosts the controller and the mock) used less than 10% of one core. Returns the
   * time waited; throws after {@code max}.
   */
  static long awaitIdle(MeterRegistry registry, MockCluster cluster, Duration quietFor, Duration max)
      throws InterruptedException {
    long started = System.nanoTime();
    long deadline = started + max.toNanos();
    long step = Math.max(50, quietFor.toMillis() / 4);
    long quietSince = System.nanoTime();
    long syncs = syncCount(registry);
    int requests = cluster.requests();
    long cpu = processCpuNanos();
    while (true) {
      Thread.sleep(step);
      long now = System.nanoTime();
      long syncsNow = syncCount(registry);
      int requestsNow = cluster.requests();
      long cpuNow = processCpuNanos();
      boolean quiet = syncsNow == syncs && requestsNow == requests && (cpuNow - cpu) < step * 1_000_000L / 10;
      if (!quiet) {
        quietSince = now;
      } else if (now - quietSince >= quietFor.toNanos()) {
        return TimeUnit.NANOSECONDS.toMillis(now - started);
      }
      if (now > deadline) {
        throw new IllegalStateException("the controller was not idle for " + quietFor + " within " + max);
      }
      syncs = syncsNow;
      requests = requestsNow;
      cpu = cpuNow;
    }
  }

  /**
   * CPU use of one phase, split: this JVM (the controller, the mock, the benchmark), the git daemon with the
   * upload-pack processes it served, and everything else on the machine (on a shared machine, the noise).
   */
  static final class CpuMeter {
    private final long gitDaemonPid;
    private double machine;
    private double own;
    private double git;

    /** @param gitBasePath the git daemon's {@code --base-path}, to find its process; null for none */
    CpuMeter(Path gitBasePath) {
      this.gitDaemonPid = gitBasePath == null ? -1 : findProcess("--base-path=" + gitBasePath);
      start();
    }

    void start() {
      machine = machineBusySeconds();
      own = processCpuNanos() / 1e9;
      git = treeCpuSeconds(gitDaemonPid);
    }

    /** "cpu: jvm 1.2 s, git 0.1 s, others 0.3 s, load1 2.0" since {@link #start()}. */
    String since() {
      double[] d = delta();
      return String.format(Locale.ROOT, "cpu: jvm %.2f s, git daemon %.2f s, other processes %.2f s, load1 %.1f",
          d[0], d[1], d[2], loadAverage());
    }

    /**
     * CPU seconds since {@link #start()}: this JVM, the git daemon, everything else (which includes the git
     * commands this JVM runs itself, such as a push).
     */
    double[] delta() {
      double ownNow = processCpuNanos() / 1e9 - own;
      double gitNow = treeCpuSeconds(gitDaemonPid) - git;
      double others = Math.max(0, machineBusySeconds() - machine - ownNow - gitNow);
      return new double[] {ownNow, gitNow, others};
    }
  }

  /**
   * The pid of the process whose command line contains {@code needle}, or -1. Of several, the one started last:
   * {@code git daemon} runs {@code git-daemon} as its child, and that child forks the upload-packs.
   */
  static long findProcess(String needle) {
    long found = -1;
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        try {
          String cmdline = new String(Files.readAllBytes(proc.resolve("cmdline")), java.nio.charset.StandardCharsets.UTF_8)
              .replace('\0', ' ');
          long pid = Long.parseLong(proc.getFileName().toString());
          if (cmdline.contains(needle) && (found < 0 || startTicks(pid) >= startTicks(found))) {
            found = pid;
          }
        } catch (IOException e) {
          // gone meanwhile
        }
      }
    } catch (IOException e) {
      // not Linux
    }
    return found;
  }

  private static long startTicks(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[19]);
  }

  /** utime + stime + cutime + cstime of a process (children it has reaped included), in seconds; 0 when unknown. */
  static double treeCpuSeconds(long pid) {
    if (pid < 0) {
      return 0;
    }
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14])) / 100.0;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** CPU seconds all processes have used since boot, from /proc/stat (ticks of 1/100 s). */
  static double machineBusySeconds() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long busy = 0;
      for (int i = 1; i < f.length && i <= 8; i++) {
        if (i != 4 && i != 5) { // not idle, not iowait
          busy += Long.parseLong(f[i]);
        }
      }
      return busy / 100.0;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  static double loadAverage() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /**
   * Waits up to {@code maxSeconds} for a second in which the processes outside this JVM used less than a third
   * of a core; false if none came (or when not asked to wait).
   */
  static boolean awaitQuietMachine(int maxSeconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(maxSeconds);
    while (System.nanoTime() < deadline) {
      double busy = machineBusySeconds();
      long own = processCpuNanos();
      Thread.sleep(1_000);
      double others = machineBusySeconds() - busy - (processCpuNanos() - own) / 1e9;
      if (others < 0.33) {
        return true;
      }
    }
    return false;
  }

  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /** Nearest-rank percentile of the values (0 < p <= 100). */
  static long percentile(List<Long> values, double p) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }

  /** The median; the mean of the two middle values for an even count. */
  static double median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
  }

  static String machine() {
    return hardwareAndJava() + ", maxHeap=" + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB";
  }

  /** "nproc=2, MemTotal=7936 MiB, cpu=..., java 17.0.9+9": the start of each benchmark's machine line. */
  static String hardwareAndJava() {
    String memTotal = "?";
    String cpu = "?";
    try {
      memTotal = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
          .map(l -> Long.parseLong(l.replaceAll("\\D", "")) / 1024 + " MiB").findFirst().orElse("?");
      cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("?");
    } catch (IOException e) {
      // not Linux: leave the question marks
    }
    return "nproc=" + Runtime.getRuntime().availableProcessors() + ", MemTotal=" + memTotal + ", cpu=" + cpu
        + ", java " + System.getProperty("java.runtime.version");
  }

  static void deleteTree(Path root) {
    if (!FileTrees.deleteQuietly(root)) {
      System.err.println("could not delete all of " + root);
    }
  }

  /** A JFR recording with the {@code profile} settings, started; null when {@code dir} is (no --jfr). */
  static Recording startJfr(Path dir) throws IOException, ParseException {
    if (dir == null) {
      return null;
    }
    Recording recording = new Recording(Configuration.getConfiguration("profile"));
    recording.start();
    return recording;
  }

  /** Stops the recording of {@link #startJfr} and writes it to {@code dir/<phase>.jfr}; nothing when it is null. */
  static void dumpJfr(Recording recording, Path dir, String phase) throws IOException {
    if (recording == null) {
      return;
    }
    recording.stop();
    Files.createDirectories(dir);
    recording.dump(dir.resolve(phase + ".jfr"));
    recording.close();
  }

  /**
   * A short reading of a JFR recording: CPU samples per thread group, the hottest methods by own samples,
   * and the methods most often on the stack (inclusive), limited to frames worth naming.
   */
  static String jfrSummary(Path recording, int top) throws IOException {
    Map<String, Integer> byThread = new TreeMap<>();
    Map<String, Integer> self = new HashMap<>();
    Map<String, Integer> inclusive = new HashMap<>();
    int samples = 0;
    for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
      if (!event.getEventType().getName().equals("jdk.ExecutionSample")) {
        continue;
      }
      samples++;
      String thread = event.getThread("sampledThread") == null ? "?" : event.getThread("sampledThread").getJavaName();
      byThread.merge(threadGroup(thread), 1, Integer::sum);
      RecordedStackTrace stack = event.getStackTrace();
      if (stack == null || stack.getFrames().isEmpty()) {
        continue;
      }
      self.merge(frame(stack.getFrames().get(0)), 1, Integer::sum);
      java.util.Set<String> seen = new java.util.HashSet<>();
      for (RecordedFrame f : stack.getFrames()) {
        String name = frame(f);
        if (interesting(name) && seen.add(name)) {
          inclusive.merge(name, 1, Integer::sum);
        }
      }
    }
    int total = Math.max(1, samples);
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "  jfr: %d execution samples in %s%n  by thread group:%n", samples, recording));
    byThread.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .forEach(e -> out.append(String.format(Locale.ROOT, "    %5.1f%%  %s%n", 100.0 * e.getValue() / total, e.getKey())));
    out.append("  hottest methods (own samples):\n");
    self.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
        .forEach(e -> out.append(String.format(Locale.ROOT, "    %5.1f%%  %s%n", 100.0 * e.getValue() / total, e.getKey())));
    out.append("  on the stack (inclusive; dev.profileops, JGit, fabric8, JOSDK, mock server):\n");
    inclusive.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
        .forEach(e -> out.append(String.format(Locale.ROOT, "    %5.1f%%  %s%n", 100.0 * e.getValue() / total, e.getKey())));
    return out.toString();
  }

  private static String frame(RecordedFrame f) {
    return f.getMethod().getType().getName() + "." + f.getMethod().getName();
  }

  private static boolean interesting(String frame) {
    return frame.startsWith("dev.profileops.") || frame.startsWith("org.eclipse.jgit.")
        || frame.startsWith("io.fabric8.kubernetes.client.server.mock.") || frame.startsWith("io.fabric8.mockwebserver.")
        || frame.startsWith("io.javaoperatorsdk.") || frame.startsWith("io.fabric8.kubernetes.client.informers.")
        || frame.startsWith("io.fabric8.kubernetes.client.dsl.");
  }

  /** Thread names without their numbers: "ReconcilerExecutor-profilesource-97" becomes "ReconcilerExecutor-profilesource". */
  private static String threadGroup(String thread) {
    String group = thread.replaceAll("[-#_ ]?\\d+$", "").replaceAll("-\\d+-", "-N-");
    return group.isEmpty() ? thread : group;
  }

  /**
   * The options a benchmark's main() runs with. A usage error (IllegalArgumentException from {@code parse}) prints
   * "error: ..." and the usage to stderr and exits with 2; with --help the usage goes to stdout and this is empty.
   */
  static <O> Optional<O> parseOptions(String[] args, Function<String[], O> parse, Predicate<O> help, String usage) {
    O options;
    try {
      options = parse.apply(args);
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      System.err.println(usage);
      System.exit(2);
      return Optional.empty();
    }
    if (help.test(options)) {
      System.out.println(usage);
      return Optional.empty();
    }
    return Optional.of(options);
  }

  /** Runs a benchmark and exits with its status, 1 when it throws: JOSDK and Vert.x leave non-daemon threads behind. */
  static void runAndExit(Callable<Integer> run) {
    int status;
    try {
      status = run.call();
    } catch (Exception | Error e) {
      e.printStackTrace();
      status = 1;
    }
    System.exit(status);
  }

  /** The value after option {@code args[i - 1]}; the parsers' usage error when there is none. */
  static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }

  /** {@code value} as a number above zero; the parsers' usage error otherwise. */
  static int positive(String value, String option) {
    try {
      int n = Integer.parseInt(value);
      if (n <= 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " wants a positive number, got " + value);
    }
  }

  /** "a=1 b=2" for a log line. */
  static String pairs(Map<String, ?> values) {
    return values.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
  }
}
