package dev.profileops.host.bpf;

import dev.profileops.host.seccomp.SyscallTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Starts the real BPF recorder, or hands back the unsupported one saying exactly why it cannot run
 * here: not Linux, not root, no kernel BTF, kernel lockdown, a kernel older than 5.12, libseccomp or
 * libbpf missing, or the kernel refusing the program.
 */
public final class SyscallRecorders {
  /** tp_btf programs and bpf_get_current_task_btf (5.11), BPF atomic or (5.12). */
  static final int[] MINIMUM_KERNEL = {5, 12};

  private final Path sys;
  private final ProcNamespaces proc;

  SyscallRecorders(Path sys, ProcNamespaces proc) {
    this.sys = sys;
    this.proc = proc;
  }

  public static SyscallRecorders system() {
    return new SyscallRecorders(Path.of("/sys"), ProcNamespaces.system());
  }

  /** A started recorder (see {@link SyscallRecorder#start}), or the unsupported one with the reason. */
  public SyscallRecorder start(SyscallTable syscalls, boolean trackedOnly) {
    Optional<String> reason = unsupportedReason(syscalls);
    if (reason.isPresent()) {
      return new UnsupportedSyscallRecorder(reason.get());
    }
    Libbpf lib;
    try {
      lib = LibbpfSyscallRecorder.loadLibrary();
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      return new UnsupportedSyscallRecorder("libbpf.so.1 could not be loaded (install the libbpf1 package): " + e.getMessage());
    }
    LibbpfSyscallRecorder recorder = null;
    try {
      recorder = LibbpfSyscallRecorder.load(lib, settings());
      recorder.start(trackedOnly);
      return recorder;
    } catch (RuntimeException e) {
      if (recorder != null) {
        recorder.close();
      }
      return new UnsupportedSyscallRecorder(e.getMessage());
    }
  }

  /** libbpf's version, e.g. {@code libbpf 1.1}, or why the library cannot be loaded. */
  public static String libbpfVersion() {
    try {
      Libbpf lib = LibbpfSyscallRecorder.loadLibrary();
      return "libbpf " + lib.libbpf_major_version() + "." + lib.libbpf_minor_version();
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      return "libbpf unavailable (libbpf.so.1 could not be loaded; install the libbpf1 package)";
    }
  }

  /** What the kernel program is told: the namespaces never recorded. */
  public LibbpfSyscallRecorder.RecorderSettings settings() {
    return new LibbpfSyscallRecorder.RecorderSettings(
        proc.hostMountNamespace().orElseThrow(() -> new IllegalStateException("cannot read /proc/self/ns/mnt")),
        proc.ownMountNamespace().orElseThrow(() -> new IllegalStateException("cannot read /proc/self/ns/mnt")));
  }

  /** Why the BPF recorder cannot run here, or empty when it may. */
  public Optional<String> unsupportedReason(SyscallTable syscalls) {
    String os = System.getProperty("os.name", "");
    if (!os.toLowerCase().contains("linux")) {
      return Optional.of("BPF recording needs Linux, this is " + os);
    }
    OptionalLong uid = effectiveUid();
    if (uid.isEmpty() || uid.getAsLong() != 0) {
      return Optional.of("BPF recording needs root, this runs as uid "
          + (uid.isPresent() ? Long.toString(uid.getAsLong()) : "unknown"));
    }
    Path btf = sys.resolve("kernel/btf/vmlinux");
    if (!Files.isReadable(btf)) {
      return Optional.of("the kernel has no BTF (" + btf + " is missing; it needs CONFIG_DEBUG_INFO_BTF=y)");
    }
    Optional<String> lockdown = lockdown();
    if (lockdown.isPresent()) {
      return lockdown;
    }
    String release = System.getProperty("os.version", "");
    if (!atLeast(release, MINIMUM_KERNEL)) {
      return Optional.of("kernel " + release + " is older than " + MINIMUM_KERNEL[0] + "." + MINIMUM_KERNEL[1]
          + " (tp_btf programs and BPF atomics)");
    }
    if (!syscalls.available()) {
      return Optional.of("syscall numbers cannot be named: libseccomp " + syscalls.version());
    }
    if (proc.ownMountNamespace().isEmpty()) {
      return Optional.of("cannot read /proc/self/ns/mnt (is /proc mounted?)");
    }
    return Optional.empty();
  }

  /** Under lockdown=confidentiality the kernel refuses BPF programs that read kernel memory. */
  private Optional<String> lockdown() {
    Path file = sys.resolve("kernel/security/lockdown");
    try {
      String modes = Files.readString(file).strip();
      if (modes.contains("[confidentiality]")) {
        return Optional.of("the kernel is locked down (" + file + ": " + modes + "), which forbids BPF reading kernel memory");
      }
    } catch (IOException e) {
      // no securityfs or no lockdown LSM: nothing locks BPF down
    }
    return Optional.empty();
  }

  static boolean atLeast(String release, int[] minimum) {
    Matcher m = Pattern.compile("^(\\d+)\\.(\\d+)").matcher(release);
    if (!m.find()) {
      return false;
    }
    int major = Integer.parseInt(m.group(1));
    int minor = Integer.parseInt(m.group(2));
    return major > minimum[0] || (major == minimum[0] && minor >= minimum[1]);
  }

  private static OptionalLong effectiveUid() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          return OptionalLong.of(Long.parseLong(line.substring(4).trim().split("\\s+")[1]));
        }
      }
    } catch (IOException | RuntimeException e) {
      // fall through: unknown
    }
    return OptionalLong.empty();
  }
}
