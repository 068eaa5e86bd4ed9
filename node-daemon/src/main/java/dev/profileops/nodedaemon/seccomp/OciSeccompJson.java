package dev.profileops.nodedaemon.seccomp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.profileops.api.seccomp.SeccompArch;
import dev.profileops.api.seccomp.SeccompFlag;
import dev.profileops.api.seccomp.SeccompProfileSpec;
import dev.profileops.api.seccomp.SyscallArg;
import dev.profileops.api.seccomp.SyscallRule;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * Renders a resolved SeccompProfileSpec as the OCI seccomp JSON runc reads (runtime-spec
 * {@code linux.seccomp}). The output only depends on the spec: fields in the runtime-spec's order,
 * lists in the spec's order, two-space indentation, {@code \n} line ends and a trailing newline, so
 * equal specs give equal bytes and the installer can tell "unchanged" by comparing bytes.
 */
public final class OciSeccompJson {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final ObjectWriter WRITER = new ObjectMapper().writer(prettyPrinter());

  private OciSeccompJson() {}

  /** @throws IllegalArgumentException when the spec still names a base profile or lacks what runc needs */
  public static byte[] render(SeccompProfileSpec spec) {
    if (spec.getBaseProfileName() != null && !spec.getBaseProfileName().isBlank()) {
      throw new IllegalArgumentException("resolve base profile " + spec.getBaseProfileName() + " before rendering");
    }
    if (spec.getDefaultAction() == null) {
      throw new IllegalArgumentException("defaultAction is required");
    }
    ObjectNode root = NODES.objectNode();
    root.put("defaultAction", spec.getDefaultAction().name());
    if (spec.getDefaultErrnoRet() != null) {
      root.put("defaultErrnoRet", errno(spec.getDefaultErrnoRet(), "defaultErrnoRet"));
    }
    ArrayNode architectures = NODES.arrayNode();
    for (SeccompArch arch : spec.getArchitectures()) {
      // runc has no SCMP_ARCH_NATIVE: libseccomp always includes the native architecture in a filter,
      // so dropping the entry keeps its meaning (an empty list means "native only" to runc).
      if (arch != SeccompArch.SCMP_ARCH_NATIVE && !contains(architectures, arch.name())) {
        architectures.add(arch.name());
      }
    }
    if (!architectures.isEmpty()) {
      root.set("architectures", architectures);
    }
    ArrayNode flags = NODES.arrayNode();
    for (SeccompFlag flag : spec.getFlags()) {
      flags.add(flag.name());
    }
    if (!flags.isEmpty()) {
      root.set("flags", flags);
    }
    if (spec.getListenerPath() != null) {
      root.put("listenerPath", spec.getListenerPath());
    }
    if (spec.getListenerMetadata() != null) {
      root.put("listenerMetadata", spec.getListenerMetadata());
    }
    ArrayNode syscalls = NODES.arrayNode();
    for (SyscallRule rule : spec.getSyscalls()) {
      syscalls.add(syscall(rule));
    }
    if (!syscalls.isEmpty()) {
      root.set("syscalls", syscalls);
    }
    try {
      return (WRITER.writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a JSON tree", e);
    }
  }

  private static ObjectNode syscall(SyscallRule rule) {
    if (rule.getNames().isEmpty()) {
      throw new IllegalArgumentException("a syscalls entry needs at least one name");
    }
    if (rule.getAction() == null) {
      throw new IllegalArgumentException("syscalls entry " + rule.getNames() + " has no action");
    }
    ObjectNode node = NODES.objectNode();
    ArrayNode names = node.putArray("names");
    rule.getNames().forEach(names::add);
    node.put("action", rule.getAction().name());
    if (rule.getErrnoRet() != null) {
      node.put("errnoRet", errno(rule.getErrnoRet(), "errnoRet of " + rule.getNames()));
    }
    if (!rule.getArgs().isEmpty()) {
      ArrayNode args = node.putArray("args");
      for (SyscallArg arg : rule.getArgs()) {
        if (arg.getOp() == null) {
          throw new IllegalArgumentException("argument " + arg.getIndex() + " of " + rule.getNames() + " has no op");
        }
        ObjectNode a = args.addObject();
        a.put("index", arg.getIndex());
        // runc reads value and valueTwo as uint64; Java's long holds the same bits, so print them unsigned.
        a.put("value", unsigned(arg.getValue()));
        a.put("valueTwo", unsigned(arg.getValueTwo()));
        a.put("op", arg.getOp().name());
      }
    }
    return node;
  }

  private static long errno(long value, String what) {
    if (value < 0) {
      throw new IllegalArgumentException(what + " must be >= 0, was " + value);
    }
    return value;
  }

  private static BigInteger unsigned(long value) {
    return new BigInteger(Long.toUnsignedString(value));
  }

  private static boolean contains(ArrayNode array, String text) {
    for (var element : array) {
      if (element.asText().equals(text)) {
        return true;
      }
    }
    return false;
  }

  private static DefaultPrettyPrinter prettyPrinter() {
    // Fixed "\n" instead of the platform line separator, and "key": value without a space before ':'.
    DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
    DefaultPrettyPrinter printer = new DefaultPrettyPrinter(
        Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER));
    printer.indentObjectsWith(indenter);
    printer.indentArraysWith(indenter);
    return printer;
  }
}
