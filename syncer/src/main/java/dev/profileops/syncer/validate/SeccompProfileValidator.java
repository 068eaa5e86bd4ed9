package dev.profileops.syncer.validate;

import dev.profileops.api.seccomp.SeccompArch;
import dev.profileops.api.seccomp.SeccompProfileSpec;
import dev.profileops.api.seccomp.SyscallArg;
import dev.profileops.api.seccomp.SyscallRule;
import dev.profileops.host.seccomp.SyscallTable;
import dev.profileops.syncer.source.LocatedDocument;
import java.util.ArrayList;
import java.util.List;

/** Checks one SeccompProfile spec on its own: actions, arguments, and syscall names libseccomp knows. */
public final class SeccompProfileValidator {
  /** Syscalls take at most six arguments. */
  public static final int MAX_ARGS = 6;

  private final SyscallTable syscalls;
  /** "arch/name" -> known; repositories repeat the same names thousands of times. */
  private final java.util.Map<String, Boolean> known = new java.util.concurrent.ConcurrentHashMap<>();

  public SeccompProfileValidator(SyscallTable syscalls) {
    this.syscalls = syscalls;
  }

  /**
   * @param specPointer where the spec sits in the document: {@code /spec} for a resource, empty for a
   *     plain OCI JSON file
   */
  public List<Problem> validate(SeccompProfileSpec spec, LocatedDocument doc, String specPointer, String file) {
    List<Problem> problems = new ArrayList<>();
    ProblemSink sink = (pointer, message) ->
        problems.add(Problem.error(file, doc.lineOf(specPointer + pointer), LocatedDocument.fieldOf(specPointer + pointer), message));
    if (spec.getDefaultAction() == null && !doc.lines().containsKey(specPointer + "/defaultAction")) {
      sink.add("/defaultAction", "defaultAction is required");
    }
    if (spec.getDefaultErrnoRet() != null && spec.getDefaultErrnoRet() < 0) {
      sink.add("/defaultErrnoRet", "must be >= 0");
    }
    List<String> arches = architecturesToCheck(spec);
    for (int i = 0; i < spec.getSyscalls().size(); i++) {
      checkRule(spec.getSyscalls().get(i), "/syscalls/" + i, arches, sink, p -> doc.lines().containsKey(specPointer + p));
    }
    return problems;
  }

  /** @param present whether a field was written (a bad value there is reported by the binder already) */
  private void checkRule(SyscallRule rule, String at, List<String> arches, ProblemSink sink, java.util.function.Predicate<String> present) {
    if (rule.getNames() == null || rule.getNames().isEmpty()) {
      sink.add(at + "/names", "at least one syscall name is required");
    }
    if (rule.getAction() == null && !present.test(at + "/action")) {
      sink.add(at + "/action", "action is required");
    }
    if (rule.getErrnoRet() != null && rule.getErrnoRet() < 0) {
      sink.add(at + "/errnoRet", "must be >= 0");
    }
    if (rule.getArgs().size() > MAX_ARGS) {
      sink.add(at + "/args", "at most " + MAX_ARGS + " argument conditions are allowed, found " + rule.getArgs().size());
    }
    for (int a = 0; a < rule.getArgs().size(); a++) {
      SyscallArg arg = rule.getArgs().get(a);
      if (arg.getIndex() < 0 || arg.getIndex() >= MAX_ARGS) {
        sink.add(at + "/args/" + a + "/index", "argument index must be between 0 and 5, found " + arg.getIndex());
      }
      if (arg.getOp() == null && !present.test(at + "/args/" + a + "/op")) {
        sink.add(at + "/args/" + a + "/op", "op is required");
      }
    }
    if (!syscalls.available() || rule.getNames() == null) {
      return;
    }
    for (int n = 0; n < rule.getNames().size(); n++) {
      String name = rule.getNames().get(n);
      if (arches.stream().noneMatch(arch -> known.computeIfAbsent(arch + "/" + name, k -> syscalls.knows(arch, name)))) {
        sink.add(at + "/names/" + n, "unknown syscall \"" + name + "\" for architectures " + String.join(", ", arches)
            + " (libseccomp " + syscalls.version() + ")");
      }
    }
  }

  /** libseccomp names of the listed architectures; the node's own when none (or NATIVE) is listed. */
  private List<String> architecturesToCheck(SeccompProfileSpec spec) {
    List<String> arches = new ArrayList<>();
    if (!syscalls.available()) {
      return arches;
    }
    for (SeccompArch arch : spec.getArchitectures()) {
      if (arch == null) {
        continue;
      }
      String name = arch == SeccompArch.SCMP_ARCH_NATIVE ? syscalls.nativeArchitecture() : arch.libseccompName();
      if (!arches.contains(name)) {
        arches.add(name);
      }
    }
    if (arches.isEmpty()) {
      arches.add(syscalls.nativeArchitecture());
    }
    return arches;
  }

  @FunctionalInterface
  private interface ProblemSink {
    void add(String pointer, String message);
  }
}
