package dev.profileops.nodedaemon.apparmor;

import dev.profileops.api.apparmor.AppArmorAbstract;
import dev.profileops.api.apparmor.AppArmorMode;
import dev.profileops.api.apparmor.AppArmorProfileSpec;
import dev.profileops.api.apparmor.AppArmorRules;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders an AppArmorProfile as the text {@code apparmor_parser} reads. The structured
 * {@code abstract} becomes one profile named after the resource with the base abstraction, per
 * section: executables {@code rix}, libraries {@code mr}, read-only {@code r}, write-only
 * {@code wlk}, read-write {@code rwlk}, the network families and capabilities listed. A section left
 * out places no restriction of its kind ({@code file,}, {@code network,}, {@code capability,}), so
 * a profile that only lists capabilities does not also forbid every file. In enforce mode, writes
 * under /proc and access to sysrq-trigger, kcore, /dev/mem, /dev/kmem and the EFI variables are
 * denied explicitly, whatever the sections allow. Every path is checked again here, so hostile text
 * never reaches a file even when validation was skipped.
 *
 * <p>An older file's raw {@code policy} is passed through as it is; it must declare a profile.
 */
public final class AppArmorProfileText {
  private static final Pattern DECLARED = Pattern.compile("(?m)^\\s*profile\\s+([^\\s{]+)");

  private AppArmorProfileText() {}

  /** @throws IllegalArgumentException for a path, capability or name the rules refuse */
  public static String render(String name, AppArmorProfileSpec spec) {
    AppArmorRules.nameProblem(name).ifPresent(p -> {
      throw new IllegalArgumentException(p);
    });
    if (spec.getAbstractPolicy() == null && spec.getPolicy() != null && !spec.getPolicy().isBlank()) {
      return raw(spec.getPolicy());
    }
    AppArmorAbstract policy = spec.getAbstractPolicy() == null ? new AppArmorAbstract() : spec.getAbstractPolicy();
    boolean enforce = spec.getMode() != AppArmorMode.Complain;
    List<String> rules = new ArrayList<>();
    AppArmorAbstract.Executable executable = policy.getExecutable();
    AppArmorAbstract.Filesystem filesystem = policy.getFilesystem();
    if (executable == null && filesystem == null) {
      rules.add("file,");
    } else {
      if (executable != null) {
        paths(executable.getAllowedExecutables(), "rix", rules);
        paths(executable.getAllowedLibraries(), "mr", rules);
      }
      if (filesystem != null) {
        paths(filesystem.getReadOnlyPaths(), "r", rules);
        paths(filesystem.getWriteOnlyPaths(), "wlk", rules);
        paths(filesystem.getReadWritePaths(), "rwlk", rules);
      }
    }
    network(policy.getNetwork(), rules);
    capabilities(policy.getCapability(), rules);
    if (enforce) {
      rules.add("deny @{PROC}/** w,");
      rules.add("deny @{PROC}/sysrq-trigger rwklx,");
      rules.add("deny @{PROC}/kcore rwklx,");
      rules.add("deny /dev/mem rwklx,");
      rules.add("deny /dev/kmem rwklx,");
      rules.add("deny /sys/firmware/efi/efivars/** rwklx,");
    }
    StringBuilder text = new StringBuilder("#include <tunables/global>\n\n");
    text.append("profile ").append(name).append(" flags=(").append(enforce ? "enforce" : "complain")
        .append(",attach_disconnected,mediate_deleted) {\n");
    text.append("  #include <abstractions/base>\n\n");
    for (String rule : rules) {
      text.append("  ").append(rule).append('\n');
    }
    return text.append("}\n").toString();
  }

  /** The profile names the text declares (the kernel knows a profile by these). */
  public static List<String> declaredProfiles(String text) {
    List<String> names = new ArrayList<>();
    Matcher m = DECLARED.matcher(text);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  private static String raw(String policy) {
    if (policy.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("policy contains a NUL character");
    }
    if (policy.getBytes(StandardCharsets.UTF_8).length > 1_000_000) {
      throw new IllegalArgumentException("policy is larger than 1 MB");
    }
    if (declaredProfiles(policy).isEmpty()) {
      throw new IllegalArgumentException("policy declares no profile (expected a line \"profile <name> ... {\")");
    }
    return policy.endsWith("\n") ? policy : policy + "\n";
  }

  private static void paths(List<String> paths, String permissions, List<String> rules) {
    Set<String> unique = new LinkedHashSet<>(paths == null ? List.of() : paths);
    for (String path : unique) {
      AppArmorRules.pathProblem(path).ifPresent(p -> {
        throw new IllegalArgumentException(p);
      });
      rules.add(path + " " + permissions + ",");
    }
  }

  private static void network(AppArmorAbstract.Network network, List<String> rules) {
    if (network == null) {
      rules.add("network,");
      return;
    }
    if (Boolean.TRUE.equals(network.getAllowRaw())) {
      rules.add("network raw,");
    }
    AppArmorAbstract.Protocols protocols = network.getAllowedProtocols();
    if (protocols != null && Boolean.TRUE.equals(protocols.getAllowTcp())) {
      rules.add("network inet tcp,");
      rules.add("network inet6 tcp,");
    }
    if (protocols != null && Boolean.TRUE.equals(protocols.getAllowUdp())) {
      rules.add("network inet udp,");
      rules.add("network inet6 udp,");
    }
  }

  private static void capabilities(AppArmorAbstract.Capability capability, List<String> rules) {
    if (capability == null) {
      rules.add("capability,");
      return;
    }
    Set<String> names = new java.util.TreeSet<>();
    for (String cap : capability.getAllowedCapabilities()) {
      AppArmorRules.capabilityProblem(cap).ifPresent(p -> {
        throw new IllegalArgumentException(p);
      });
      names.add(AppArmorRules.capabilityName(cap));
    }
    for (String cap : names) {
      rules.add("capability " + cap + ",");
    }
  }
}
