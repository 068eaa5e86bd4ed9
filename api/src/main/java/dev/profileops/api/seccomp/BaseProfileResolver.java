package dev.profileops.api.seccomp;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Flattens a SeccompProfile and its chain of {@code baseProfileName}s into one spec, the way SPO does:
 * syscalls are the union, and for one syscall name the less restrictive action wins. The profile's own
 * default action, errno and listener stay; architectures and flags are the union.
 */
public final class BaseProfileResolver {
  /** SPO's limit on the length of a base profile chain. */
  public static final int MAX_DEPTH = 15;
  public static final String OCI_PREFIX = "oci://";

  private final Function<String, SeccompProfileSpec> lookup;

  /** @param lookup finds a profile's spec by name, or null when there is none */
  public BaseProfileResolver(Function<String, SeccompProfileSpec> lookup) {
    this.lookup = lookup;
  }

  public static BaseProfileResolver over(Map<String, SeccompProfileSpec> specsByName) {
    return new BaseProfileResolver(specsByName::get);
  }

  /** The flattened spec, or why the chain cannot be resolved. */
  public Result resolve(String name, SeccompProfileSpec spec) {
    List<SeccompProfileSpec> chain = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    seen.add(name);
    chain.add(spec);
    SeccompProfileSpec current = spec;
    while (current.getBaseProfileName() != null && !current.getBaseProfileName().isBlank()) {
      String base = current.getBaseProfileName();
      if (base.startsWith(OCI_PREFIX)) {
        return Result.failure("base profile " + base + " is an OCI artifact; pulling OCI base profiles is not supported yet");
      }
      if (!seen.add(base)) {
        return Result.failure("base profiles form a cycle: " + String.join(" -> ", seen) + " -> " + base);
      }
      if (chain.size() > MAX_DEPTH) {
        return Result.failure("base profile chain is deeper than " + MAX_DEPTH + " levels: " + String.join(" -> ", seen));
      }
      SeccompProfileSpec next = lookup.apply(base);
      if (next == null) {
        return Result.failure("base profile " + base + " does not exist");
      }
      chain.add(next);
      current = next;
    }
    return Result.success(chain.size() == 1 ? spec : merge(chain));
  }

  private static SeccompProfileSpec merge(List<SeccompProfileSpec> chain) {
    SeccompProfileSpec own = chain.get(0);
    SeccompProfileSpec merged = new SeccompProfileSpec();
    merged.setState(own.getState());
    merged.setDefaultAction(own.getDefaultAction());
    merged.setDefaultErrnoRet(own.getDefaultErrnoRet());
    merged.setListenerPath(own.getListenerPath());
    merged.setListenerMetadata(own.getListenerMetadata());
    Set<SeccompArch> arches = new LinkedHashSet<>();
    Set<SeccompFlag> flags = new LinkedHashSet<>();
    // Plain rules: one action per name. Rules with argument conditions are kept as they are.
    Map<String, SyscallRule> byName = new TreeMap<>();
    List<SyscallRule> conditional = new ArrayList<>();
    for (int i = chain.size() - 1; i >= 0; i--) {
      SeccompProfileSpec s = chain.get(i);
      arches.addAll(s.getArchitectures());
      flags.addAll(s.getFlags());
      for (SyscallRule rule : s.getSyscalls()) {
        if (rule.getAction() == null || rule.getNames() == null) {
          continue; // an invalid rule: validation reports it, merging cannot use it
        }
        if (!rule.getArgs().isEmpty()) {
          conditional.add(rule);
          continue;
        }
        for (String name : rule.getNames()) {
          SyscallRule previous = byName.get(name);
          if (previous == null || SeccompAction.lessRestrictive(previous.getAction(), rule.getAction()) != previous.getAction()
              || previous.getAction() == rule.getAction()) {
            byName.put(name, rule);
          }
        }
      }
    }
    merged.setArchitectures(new ArrayList<>(arches));
    merged.setFlags(new ArrayList<>(flags));
    merged.setSyscalls(group(byName, conditional));
    return merged;
  }

  /** One rule per (action, errno), names sorted, in a stable order. */
  private static List<SyscallRule> group(Map<String, SyscallRule> byName, List<SyscallRule> conditional) {
    Map<String, SyscallRule> groups = new TreeMap<>();
    for (Map.Entry<String, SyscallRule> e : byName.entrySet()) {
      SyscallRule source = e.getValue();
      String key = source.getAction() + "/" + Objects.toString(source.getErrnoRet(), "");
      groups.computeIfAbsent(key, k -> {
        SyscallRule r = new SyscallRule(List.of(), source.getAction());
        r.setErrnoRet(source.getErrnoRet());
        return r;
      }).getNames().add(e.getKey());
    }
    List<SyscallRule> rules = new ArrayList<>(groups.values());
    rules.sort(Comparator.comparing((SyscallRule r) -> r.getAction().ordinal()).reversed());
    rules.addAll(conditional);
    return rules;
  }

  /** Either a flattened spec or an error message. */
  public record Result(SeccompProfileSpec spec, String error) {
    static Result success(SeccompProfileSpec spec) {
      return new Result(spec, null);
    }

    static Result failure(String error) {
      return new Result(null, error);
    }

    public boolean ok() {
      return error == null;
    }
  }
}
