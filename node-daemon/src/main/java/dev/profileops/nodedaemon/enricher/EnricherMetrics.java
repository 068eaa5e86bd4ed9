package dev.profileops.nodedaemon.enricher;

import dev.profileops.nodedaemon.enricher.output.EnrichedEvent;
import dev.profileops.nodedaemon.enricher.parse.AuditEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import dev.profileops.nodedaemon.enricher.resolve.PodContainer;
import java.util.HashMap;
import java.util.Map;

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
  private final Map<String, Map<Series, Counter>> counters = new HashMap<>();
  private Counter malformed;

  public EnricherMetrics(MeterRegistry registry, String node, int maxSeries) {
    this.registry = registry;
    this.node = node;
    this.maxSeries = maxSeries;
  }

  public void count(EnrichedEvent enriched) {
    AuditEvent event = enriched.event();
    PodContainer pod = enriched.pod();
    String namespace = pod == null ? "" : pod.namespace();
    String name = pod == null ? "" : pod.pod();
    String container = pod == null ? "" : pod.container();
    if (event instanceof AuditEvent.Seccomp) {
      counter(SECCOMP, "seccomp profile audit lines", new Series(namespace, name, container, "syscall", enriched.syscall(), "", "")).increment();
    } else if (event instanceof AuditEvent.Selinux avc) {
      counter(SELINUX, "SELinux AVC lines", new Series(namespace, name, container, "scontext", avc.scontext(), "tcontext", avc.tcontext()))
          .increment();
    } else if (event instanceof AuditEvent.AppArmor apparmor) {
      counter(APPARMOR, "AppArmor audit lines", new Series(namespace, name, container, "profile", apparmor.profile(), "operation",
          apparmor.operation())).increment();
    }
  }

  public void malformed() {
    if (malformed == null) {
      malformed = Counter.builder(MALFORMED).description("Audit lines skipped as malformed").tag("node", node).register(registry);
    }
    malformed.increment();
  }

  /** The counter of a label set, registered once; past {@code maxSeries} per name the "other" one. */
  private Counter counter(String name, String description, Series series) {
    Map<Series, Counter> known = counters.computeIfAbsent(name, n -> new HashMap<>());
    Counter counter = known.get(series);
    if (counter != null) {
      return counter;
    }
    Series registered = known.size() < maxSeries ? series : series.other();
    counter = known.get(registered);
    if (counter == null) {
      Tags tags = Tags.of("node", node, "namespace", registered.namespace, "pod", registered.pod, "container", registered.container)
          .and(registered.label1, registered.value1);
      if (!registered.label2.isEmpty()) {
        tags = tags.and(registered.label2, registered.value2);
      }
      counter = Counter.builder(name).description(description).tags(tags).register(registry);
      known.put(registered, counter);
    }
    return counter;
  }

  /** One label set of an audit counter; a record, so looking its counter up costs no tag sorting. */
  private record Series(String namespace, String pod, String container, String label1, String value1, String label2, String value2) {
    Series other() {
      return new Series("", "other", "", label1, "", label2, "");
    }
  }
}
