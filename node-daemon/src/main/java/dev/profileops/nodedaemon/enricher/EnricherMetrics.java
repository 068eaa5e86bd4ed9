package dev.profileops.nodedaemon.enricher;

import dev.profileops.nodedaemon.enricher.output.EnrichedEvent;
import dev.profileops.nodedaemon.enricher.parse.AuditEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.HashSet;
import java.util.Set;

/**
 * SPO's audit counters ({@code security_profiles_operator_seccomp_profile_audit_total{node,namespace,
 * pod,container,syscall}}, {@code ..._selinux_profile_audit_total{...,scontext,tcontext}},
 * {@code ..._apparmor_profile_audit_total{...,profile,operation}}), plus malformed lines. Labels stay
 * bounded: never the executable or pid, and after {@code maxSeries} distinct label sets per counter
 * further ones count under {@code pod="other"} with the other labels emptied.
 */
public final class EnricherMetrics {
  static final String SECCOMP = "security_profiles_operator_seccomp_profile_audit";
  static final String SELINUX = "security_profiles_operator_selinux_profile_audit";
  static final String APPARMOR = "security_profiles_operator_apparmor_profile_audit";
  static final String MALFORMED = "profileops_enricher_malformed_lines";

  private final MeterRegistry registry;
  private final String node;
  private final int maxSeries;
  private final Set<Tags> seccompSeries = new HashSet<>();
  private final Set<Tags> selinuxSeries = new HashSet<>();
  private final Set<Tags> appArmorSeries = new HashSet<>();

  public EnricherMetrics(MeterRegistry registry, String node, int maxSeries) {
    this.registry = registry;
    this.node = node;
    this.maxSeries = maxSeries;
  }

  public void count(EnrichedEvent enriched) {
    AuditEvent event = enriched.event();
    Tags who = Tags.of("node", node,
        "namespace", enriched.pod() == null ? "" : enriched.pod().namespace(),
        "pod", enriched.pod() == null ? "" : enriched.pod().pod(),
        "container", enriched.pod() == null ? "" : enriched.pod().container());
    if (event instanceof AuditEvent.Seccomp) {
      increment(SECCOMP, "seccomp profile audit lines", seccompSeries, who.and("syscall", enriched.syscall()), "syscall");
    } else if (event instanceof AuditEvent.Selinux avc) {
      increment(SELINUX, "SELinux AVC lines", selinuxSeries, who.and("scontext", avc.scontext(), "tcontext", avc.tcontext()),
          "scontext", "tcontext");
    } else if (event instanceof AuditEvent.AppArmor apparmor) {
      increment(APPARMOR, "AppArmor audit lines", appArmorSeries, who.and("profile", apparmor.profile(), "operation", apparmor.operation()),
          "profile", "operation");
    }
  }

  public void malformed() {
    Counter.builder(MALFORMED).description("Audit lines skipped as malformed").tag("node", node).register(registry).increment();
  }

  private void increment(String name, String description, Set<Tags> series, Tags tags, String... kindLabels) {
    Tags counted = tags;
    if (!series.contains(tags)) {
      if (series.size() >= maxSeries) {
        counted = Tags.of("node", node, "namespace", "", "pod", "other", "container", "");
        for (String label : kindLabels) {
          counted = counted.and(label, "");
        }
      } else {
        series.add(tags);
      }
    }
    Counter.builder(name).description(description).tags(counted).register(registry).increment();
  }
}
