package dev.profileops.syncer.source.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Docker's seccomp profile format (moby's {@code profiles/seccomp/default.json} and the files
 * given to {@code docker run --security-opt seccomp=FILE}) resolved into a plain OCI runtime-spec
 * {@code linux.seccomp} object, the way the Docker engine does it for one container.
 *
 * <p>Docker's format is a template: on top of the OCI fields it has
 *
 * <ul>
 *   <li>{@code archMap}: native architecture to its sub-architectures, instead of {@code
 *       architectures};
 *   <li>per rule {@code includes} / {@code excludes} with {@code arches}, {@code caps} and {@code
 *       minKernel};
 *   <li>per rule {@code comment}, and the legacy single {@code name}.
 * </ul>
 *
 * <p>runc and the other OCI runtimes do not read these: Go's JSON decoding skips the unknown
 * fields, so a template given raw loads without error but with every conditional rule in force
 * (for example the {@code CAP_SYS_ADMIN} group allowing {@code mount} and {@code unshare}), and
 * with only the native architecture filtered.
 *
 * <p>The resolution follows moby's {@code setupSeccomp}:
 *
 * <ul>
 *   <li>{@code architectures} = the {@code archMap} entry whose {@code architecture} is the native
 *       one ({@code SCMP_ARCH_X86_64} for x86_64) followed by its {@code subArchitectures}; none
 *       (libseccomp then filters the native architecture only) when the map has no such entry;
 *   <li>a rule is dropped when {@code excludes.arches} names the native architecture, when any of
 *       {@code excludes.caps} is held, or when the kernel is at least {@code excludes.minKernel};
 *   <li>a rule is dropped when {@code includes.arches} does not name the native architecture, when
 *       one of {@code includes.caps} is not held, or when the kernel is older than {@code
 *       includes.minKernel};
 *   <li>the architecture names in {@code arches} are Docker's (Go's) names: {@code amd64}, {@code
 *       arm64}, {@code x86}, {@code arm}, {@code x32}, {@code ppc64le}, {@code s390x}, {@code
 *       riscv64}; only the native one ever matches (an {@code arches: [x86]} rule is not taken on
 *       amd64 even though x86 is one of its sub-architectures);
 *   <li>kernel versions compare on kernel and major revision only (see {@link KernelVersion});
 *   <li>{@code comment}, {@code includes}, {@code excludes} go; {@code name} becomes {@code names};
 *       every other field (OCI's {@code defaultErrnoRet}, {@code flags}, {@code listenerPath},
 *       {@code errnoRet}, {@code args}, ...) is kept as it is, rules in their order.
 * </ul>
 */
public final class DockerSeccompTemplate {

  /**
   * The capabilities a Docker container has by default (moby's {@code
   * oci/caps.DefaultCapabilities}), spelled as the template's {@code caps} spell them.
   */
  public static final Set<String> DEFAULT_CAPABILITIES =
      Set.of(
          "CAP_CHOWN",
          "CAP_DAC_OVERRIDE",
          "CAP_FSETID",
          "CAP_FOWNER",
          "CAP_MKNOD",
          "CAP_NET_RAW",
          "CAP_SETGID",
          "CAP_SETUID",
          "CAP_SETFCAP",
          "CAP_SETPCAP",
          "CAP_NET_BIND_SERVICE",
          "CAP_SYS_CHROOT",
          "CAP_KILL",
          "CAP_AUDIT_WRITE");

  /** libseccomp's architecture name to the name Docker uses in {@code includes/excludes.arches}. */
  private static final Map<String, String> DOCKER_ARCH_NAMES =
      Map.of("x86_64", "amd64", "aarch64", "arm64", "mipsel", "mipsle");

  /** Other spellings accepted for {@code nativeArch}, to libseccomp's name. */
  private static final Map<String, String> ARCH_ALIASES =
      Map.of("amd64", "x86_64", "arm64", "aarch64", "386", "x86", "i386", "x86", "i686", "x86");

  private DockerSeccompTemplate() {}

  /**
   * True when the profile uses any field of Docker's format that an OCI runtime would silently
   * ignore: {@code archMap}, a rule's {@code includes} or {@code excludes}, or a rule's single
   * {@code name}. A plain OCI profile (with or without {@code comment}s) is not a template.
   */
  public static boolean isTemplate(JsonNode profile) {
    if (profile == null || !profile.isObject()) {
      return false;
    }
    if (present(profile.get("archMap"))) {
      return true;
    }
    JsonNode syscalls = profile.get("syscalls");
    if (syscalls == null || !syscalls.isArray()) {
      return false;
    }
    for (JsonNode rule : syscalls) {
      if (rule.isObject()
          && (present(rule.get("includes"))
              || present(rule.get("excludes"))
              || present(rule.get("name")))) {
        return true;
      }
    }
    return false;
  }

  /** {@link #toOci(JsonNode, String, KernelVersion, Set)} with {@link #DEFAULT_CAPABILITIES}. */
  public static ObjectNode toOci(JsonNode template, String nativeArch, KernelVersion kernel) {
    return toOci(template, nativeArch, kernel, DEFAULT_CAPABILITIES);
  }

  /**
   * Resolves a Docker seccomp template into the OCI {@code linux.seccomp} object Docker would give
   * runc for a container on {@code nativeArch} and {@code kernel} whose bounding set is {@code
   * capabilities}. A plain OCI profile comes back as an equal copy.
   *
   * @param template the profile as parsed JSON; it is not modified
   * @param nativeArch libseccomp's name of the node's architecture ({@code x86_64}, {@code
   *     aarch64}, ...); {@code amd64}, {@code arm64} and {@code SCMP_ARCH_X86_64} are accepted too
   * @param kernel the node's kernel version
   * @param capabilities capability names, with or without {@code CAP_}, in any case
   * @throws IllegalArgumentException on what Docker rejects too: both {@code architectures} and
   *     {@code archMap}, a rule with both or neither of {@code name} and {@code names}, a {@code
   *     minKernel} that is not {@code N.N}
   */
  public static ObjectNode toOci(
      JsonNode template, String nativeArch, KernelVersion kernel, Set<String> capabilities) {
    if (template == null || !template.isObject()) {
      throw new IllegalArgumentException("a seccomp profile must be a JSON object");
    }
    String arch = libseccompArch(nativeArch);
    String dockerArch = DOCKER_ARCH_NAMES.getOrDefault(arch, arch);
    String scmpArch = "SCMP_ARCH_" + arch.toUpperCase(Locale.ROOT);
    Set<String> caps =
        capabilities.stream().map(DockerSeccompTemplate::capability).collect(Collectors.toSet());

    JsonNode archMap = template.get("archMap");
    if (present(archMap) && nonEmptyArray(template.get("architectures")) && archMap.size() > 0) {
      throw new IllegalArgumentException(
          "'architectures' and 'archMap' were both given; use either 'architectures' or 'archMap'");
    }

    ObjectNode out = JsonNodeFactory.instance.objectNode();
    for (Map.Entry<String, JsonNode> field : template.properties()) {
      switch (field.getKey()) {
        case "archMap" -> {
          ArrayNode architectures = architecturesFor(field.getValue(), scmpArch);
          if (!architectures.isEmpty()) {
            out.set("architectures", architectures);
          }
        }
        case "syscalls" -> out.set("syscalls", rules(field.getValue(), dockerArch, kernel, caps));
        default -> out.set(field.getKey(), field.getValue().deepCopy());
      }
    }
    return out;
  }

  private static ArrayNode architecturesFor(JsonNode archMap, String scmpArch) {
    ArrayNode architectures = JsonNodeFactory.instance.arrayNode();
    if (!present(archMap)) {
      return architectures;
    }
    if (!archMap.isArray()) {
      throw new IllegalArgumentException("'archMap' must be an array");
    }
    for (JsonNode entry : archMap) {
      if (scmpArch.equals(entry.path("architecture").asText(null))) {
        Set<String> names = new LinkedHashSet<>();
        names.add(scmpArch);
        JsonNode subs = entry.get("subArchitectures");
        if (present(subs)) {
          subs.forEach(sub -> names.add(sub.asText()));
        }
        names.forEach(architectures::add);
        break;
      }
    }
    return architectures;
  }

  private static ArrayNode rules(
      JsonNode syscalls, String dockerArch, KernelVersion kernel, Set<String> caps) {
    ArrayNode out = JsonNodeFactory.instance.arrayNode();
    if (!present(syscalls)) {
      return out;
    }
    if (!syscalls.isArray()) {
      throw new IllegalArgumentException("'syscalls' must be an array");
    }
    int index = 0;
    for (JsonNode rule : syscalls) {
      String where = "syscalls[" + index++ + "]";
      if (!rule.isObject()) {
        throw new IllegalArgumentException(where + " must be an object");
      }
      if (excluded(rule.get("excludes"), dockerArch, kernel, caps, where)
          || !included(rule.get("includes"), dockerArch, kernel, caps, where)) {
        continue;
      }
      out.add(plainRule(rule, where));
    }
    return out;
  }

  private static boolean excluded(
      JsonNode excludes, String dockerArch, KernelVersion kernel, Set<String> caps, String where) {
    if (!present(excludes)) {
      return false;
    }
    JsonNode arches = excludes.get("arches");
    if (nonEmptyArray(arches) && contains(arches, dockerArch)) {
      return true;
    }
    JsonNode excludedCaps = excludes.get("caps");
    if (nonEmptyArray(excludedCaps)) {
      for (JsonNode cap : excludedCaps) {
        if (caps.contains(capability(cap.asText()))) {
          return true;
        }
      }
    }
    JsonNode minKernel = excludes.get("minKernel");
    return present(minKernel) && kernel.atLeast(minKernel(minKernel, where + ".excludes"));
  }

  private static boolean included(
      JsonNode includes, String dockerArch, KernelVersion kernel, Set<String> caps, String where) {
    if (!present(includes)) {
      return true;
    }
    JsonNode arches = includes.get("arches");
    if (nonEmptyArray(arches) && !contains(arches, dockerArch)) {
      return false;
    }
    JsonNode includedCaps = includes.get("caps");
    if (nonEmptyArray(includedCaps)) {
      for (JsonNode cap : includedCaps) {
        if (!caps.contains(capability(cap.asText()))) {
          return false;
        }
      }
    }
    JsonNode minKernel = includes.get("minKernel");
    return !present(minKernel) || kernel.atLeast(minKernel(minKernel, where + ".includes"));
  }

  private static ObjectNode plainRule(JsonNode rule, String where) {
    JsonNode name = rule.get("name");
    JsonNode names = rule.get("names");
    boolean hasName = present(name) && !name.asText().isEmpty();
    boolean hasNames = nonEmptyArray(names);
    if (hasName == hasNames) {
      throw new IllegalArgumentException(
          where + ": give either 'name' or 'names' (exactly one of them)");
    }
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    if (hasName) {
      out.putArray("names").add(name.asText());
    }
    for (Map.Entry<String, JsonNode> field : rule.properties()) {
      switch (field.getKey()) {
        case "name", "comment", "includes", "excludes" -> {}
        default -> out.set(field.getKey(), field.getValue().deepCopy());
      }
    }
    return out;
  }

  private static KernelVersion minKernel(JsonNode value, String where) {
    try {
      return KernelVersion.parse(value.asText());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ".minKernel: " + e.getMessage(), e);
    }
  }

  private static String libseccompArch(String nativeArch) {
    if (nativeArch == null || nativeArch.isBlank()) {
      throw new IllegalArgumentException("no native architecture given");
    }
    String arch = nativeArch.trim().toLowerCase(Locale.ROOT);
    if (arch.startsWith("scmp_arch_")) {
      arch = arch.substring("scmp_arch_".length());
    }
    return ARCH_ALIASES.getOrDefault(arch, arch);
  }

  private static String capability(String name) {
    String cap = name.trim().toUpperCase(Locale.ROOT);
    return cap.startsWith("CAP_") ? cap : "CAP_" + cap;
  }

  private static boolean contains(JsonNode array, String value) {
    for (JsonNode element : array) {
      if (value.equals(element.asText())) {
        return true;
      }
    }
    return false;
  }

  private static boolean present(JsonNode node) {
    return node != null && !node.isNull() && !node.isMissingNode();
  }

  private static boolean nonEmptyArray(JsonNode node) {
    return node != null && node.isArray() && !node.isEmpty();
  }
}
