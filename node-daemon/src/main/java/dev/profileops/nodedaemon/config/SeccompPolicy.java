package dev.profileops.nodedaemon.config;

import dev.profileops.api.daemon.DaemonSpec;
import dev.profileops.api.daemon.SecurityProfilesOperatorDaemon;
import dev.profileops.api.seccomp.SeccompAction;
import dev.profileops.api.seccomp.SeccompProfileSpec;
import dev.profileops.api.seccomp.SyscallRule;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the daemon config {@code spod} lets a node install, checked on the resolved profile (base
 * profiles merged in): {@code security.allowedSyscalls} lists every syscall that may get an allowing
 * action (ALLOW, LOG, TRACE, NOTIFY), {@code security.allowedSeccompActions} every action a profile may
 * use, the default action included. An empty or absent list restricts nothing.
 */
public record SeccompPolicy(Set<String> allowedSyscalls, Set<String> allowedActions) {
  public static final SeccompPolicy UNRESTRICTED = new SeccompPolicy(Set.of(), Set.of());
  private static final Set<SeccompAction> ALLOWING = Set.of(SeccompAction.SCMP_ACT_ALLOW, SeccompAction.SCMP_ACT_LOG,
      SeccompAction.SCMP_ACT_TRACE, SeccompAction.SCMP_ACT_NOTIFY);

  public SeccompPolicy {
    allowedSyscalls = Set.copyOf(allowedSyscalls);
    allowedActions = Set.copyOf(allowedActions);
  }

  /** The policy of a daemon config; unrestricted without one. */
  public static SeccompPolicy of(SecurityProfilesOperatorDaemon config) {
    DaemonSpec.Security security = config == null || config.getSpec() == null ? null : config.getSpec().getSecurity();
    if (security == null) {
      return UNRESTRICTED;
    }
    return new SeccompPolicy(Set.copyOf(orEmpty(security.getAllowedSyscalls())), Set.copyOf(orEmpty(security.getAllowedSeccompActions())));
  }

  /** Why the profile may not be installed here, naming the syscalls and actions at fault; empty when it may. */
  public Optional<String> violation(SeccompProfileSpec resolved) {
    Set<String> actions = new TreeSet<>();
    Set<String> syscalls = new TreeSet<>();
    if (!allowedActions.isEmpty() && resolved.getDefaultAction() != null && !allowedActions.contains(resolved.getDefaultAction().name())) {
      actions.add(resolved.getDefaultAction().name());
    }
    for (SyscallRule rule : orEmpty(resolved.getSyscalls())) {
      if (rule.getAction() == null) {
        continue;
      }
      if (!allowedActions.isEmpty() && !allowedActions.contains(rule.getAction().name())) {
        actions.add(rule.getAction().name());
      }
      if (!allowedSyscalls.isEmpty() && ALLOWING.contains(rule.getAction())) {
        rule.getNames().stream().filter(n -> !allowedSyscalls.contains(n)).forEach(syscalls::add);
      }
    }
    if (actions.isEmpty() && syscalls.isEmpty()) {
      return Optional.empty();
    }
    StringBuilder why = new StringBuilder("refused by the daemon config spod:");
    if (!actions.isEmpty()) {
      why.append(" actions ").append(String.join(", ", actions)).append(" are not in security.allowedSeccompActions");
    }
    if (!syscalls.isEmpty()) {
      why.append(actions.isEmpty() ? " " : "; ").append("syscalls ").append(String.join(", ", syscalls))
          .append(" are allowed by the profile but not in security.allowedSyscalls");
    }
    return Optional.of(why.toString());
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}
