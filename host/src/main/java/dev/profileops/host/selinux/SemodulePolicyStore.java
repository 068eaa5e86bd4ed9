package dev.profileops.host.selinux;

import dev.profileops.host.files.FileTrees;
import dev.profileops.host.process.ToolRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A libsemanage store driven through {@code semodule}: several {@code -i} in one call are one
 * transaction (one policy build), so a batch costs about what a single module costs.
 *
 * <p>{@code root} is the policy root ({@code semodule -p}): {@code <root>/etc/selinux/semanage.conf}
 * and the store under {@code <root>/var/lib/selinux/<store>}; tests point it at a copy of a real store.
 * The kernel policy is reloaded after each transaction only when {@code reload} is set (a node with
 * SELinux enabled); a copied store is never loaded.
 */
public final class SemodulePolicyStore implements PolicyStore {
  /** Above the distribution's modules (100) and udica/container-selinux's templates (200). */
  public static final int DEFAULT_PRIORITY = 350;
  /** semodule names the module it was building in the path of its CIL: {@code .../modules/<prio>/<name>/cil:<line>}. */
  private static final Pattern FAILED_MODULE = Pattern.compile("/modules/\\d+/([^/\\s]+)/cil");
  private static final Pattern MODULE_NAME = Pattern.compile("[a-zA-Z][a-zA-Z0-9_.-]*");
  private static final Duration TIMEOUT = Duration.ofMinutes(5);

  private final Path semodule;
  private final Path root;
  private final String store;
  private final int priority;
  private final boolean reload;

  /**
   * @param root the policy root, {@code /} on a node
   * @param store the store name ({@code SELINUXTYPE} in {@code <root>/etc/selinux/config})
   */
  public SemodulePolicyStore(Path semodule, Path root, String store, int priority, boolean reload) {
    this.semodule = semodule;
    this.root = root.toAbsolutePath().normalize();
    this.store = store;
    this.priority = priority;
    this.reload = reload;
  }

  public int priority() {
    return priority;
  }

  @Override
  public Set<String> installed() throws IOException {
    return list(true);
  }

  @Override
  public Set<String> allModules() throws IOException {
    return list(false);
  }

  private Set<String> list(boolean ownPriorityOnly) throws IOException {
    ToolRun run = ToolRun.run(command("--list-modules=full"), TIMEOUT);
    if (!run.ok()) {
      throw new IOException("semodule could not list modules: " + run.output());
    }
    Set<String> names = new TreeSet<>();
    for (String line : run.stdout().split("\n")) {
      // "<priority> <name> <kind> [disabled]"
      String[] fields = line.trim().split("\\s+");
      if (fields.length >= 2 && (!ownPriorityOnly || fields[0].equals(Integer.toString(priority)))) {
        names.add(fields[1]);
      }
    }
    return names;
  }

  @Override
  public void install(Map<String, String> modules) throws IOException {
    if (modules.isEmpty()) {
      return;
    }
    Path dir = Files.createTempDirectory("profileops-cil-");
    try {
      List<String> args = new ArrayList<>();
      args.add("-X");
      args.add(Integer.toString(priority));
      for (Map.Entry<String, String> module : modules.entrySet()) {
        requireModuleName(module.getKey());
        // semodule takes the module name from the file name.
        Path file = dir.resolve(module.getKey() + ".cil");
        Files.writeString(file, module.getValue(), StandardCharsets.UTF_8);
        args.add("-i");
        args.add(file.toString());
      }
      ToolRun run = ToolRun.run(command(args.toArray(String[]::new)), TIMEOUT);
      if (!run.ok()) {
        String output = run.output();
        Matcher failed = FAILED_MODULE.matcher(output);
        String module = failed.find() && modules.containsKey(failed.group(1)) ? failed.group(1) : null;
        throw new PolicyStoreException(compilerMessage(output), module);
      }
    } finally {
      FileTrees.delete(dir);
    }
  }

  @Override
  public void remove(Collection<String> names) throws IOException {
    Set<String> present = installed();
    List<String> args = new ArrayList<>(List.of("-X", Integer.toString(priority)));
    for (String name : names) {
      if (present.contains(name)) {
        args.add("-r");
        args.add(name);
      }
    }
    if (args.size() == 2) {
      return;
    }
    ToolRun run = ToolRun.run(command(args.toArray(String[]::new)), TIMEOUT);
    if (!run.ok()) {
      throw new IOException("semodule could not remove " + names + ": " + compilerMessage(run.output()));
    }
  }

  private List<String> command(String... args) {
    List<String> command = new ArrayList<>(List.of(semodule.toString(), "-p", root.toString(), "-s", store));
    if (!reload) {
      command.add("-n");
    }
    command.addAll(List.of(args));
    return command;
  }

  /**
   * semodule's own lines without libsemanage's chatter about users (warnings printed on every
   * build when the store names users this host lacks).
   */
  private static String compilerMessage(String output) {
    return output.lines()
        .filter(l -> !l.startsWith("libsemanage.add_user"))
        .filter(l -> !l.isBlank())
        .reduce((a, b) -> a + "\n" + b)
        .orElse(output);
  }

  private static void requireModuleName(String name) {
    if (!MODULE_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("not a valid SELinux module name: " + name);
    }
  }
}
