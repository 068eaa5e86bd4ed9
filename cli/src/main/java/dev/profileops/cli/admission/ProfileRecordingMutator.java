package dev.profileops.cli.admission;

import dev.profileops.api.common.LabelSelectorMatcher;
import dev.profileops.api.common.ProfileKind;
import dev.profileops.api.recording.ProfileRecording;
import dev.profileops.api.recording.ProfileRecordingSpec;
import dev.profileops.api.recording.RecorderType;
import dev.profileops.nodedaemon.recording.LogRecordingReconciler;
import dev.profileops.nodedaemon.recording.RecordedSelinuxAllow;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecurityContext;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What the ProfileRecordings of a namespace do to a pod being created, as SPO's recording webhook: for
 * each recording whose {@code podSelector} selects the pod and each container it records (its
 * {@code containers}, or all), an annotation {@code io.containers.trace-<logs|avcs|bpf>/<container>}
 * with the value {@code <recording>_<container>_<nonce>_<unixtime>}; and for {@code recorder: Logs}
 * the security context the node's log recording needs: the log-everything seccomp profile
 * ({@value LogRecordingReconciler#TRACE_PROFILE_FILE}) for {@code kind: SeccompProfile}, the SELinux
 * type {@value RecordedSelinuxAllow#RECORDING_TYPE} for {@code kind: SelinuxProfile}.
 *
 * <p>A field the pod's author set is replaced, as SPO does (a recording of a container that runs under
 * another profile would record nothing), with a warning. An annotation already on the pod is kept; when
 * two recordings would write one annotation the first by name does, with a warning. Init containers are
 * left alone: the node daemon records the pod's containers only.
 */
public final class ProfileRecordingMutator {
  public static final String TRACE_LOGS = "io.containers.trace-logs/";
  public static final String TRACE_AVCS = "io.containers.trace-avcs/";
  public static final String TRACE_BPF = "io.containers.trace-bpf/";
  static final Map<String, Object> TRACE_SECCOMP = Map.of("type", "Localhost", "localhostProfile", LogRecordingReconciler.TRACE_PROFILE_FILE);

  private static final String NONCE_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

  private final Clock clock;
  private final Supplier<String> nonces;

  /**
   * @param nonces the random part of each annotation value, so that two pods of one recording, or one
   *     pod created twice in a second, never carry the same value
   */
  public ProfileRecordingMutator(Clock clock, Supplier<String> nonces) {
    this.clock = clock;
    this.nonces = nonces;
  }

  public static ProfileRecordingMutator withRandomNonces(Clock clock) {
    SecureRandom random = new SecureRandom();
    return new ProfileRecordingMutator(clock, () -> {
      StringBuilder nonce = new StringBuilder();
      for (int i = 0; i < 5; i++) {
        nonce.append(NONCE_ALPHABET.charAt(random.nextInt(NONCE_ALPHABET.length())));
      }
      return nonce.toString();
    });
  }

  public PodMutation mutate(Pod pod, List<ProfileRecording> recordings) {
    if (pod.getSpec().getOs() != null && "windows".equals(pod.getSpec().getOs().getName())) {
      return new PodMutation(List.of(), List.of());
    }
    List<String> warnings = new ArrayList<>();
    Map<String, String> existing = Objects.requireNonNullElse(pod.getMetadata().getAnnotations(), Map.of());
    Map<String, String> annotations = new LinkedHashMap<>();
    Map<String, String> annotatedBy = new LinkedHashMap<>();
    List<Container> containers = pod.getSpec().getContainers();
    List<ContextChange> changes = new ArrayList<>();
    containers.forEach(c -> changes.add(new ContextChange()));
    // Same order every time, so that two recordings of one container always resolve the same way.
    List<ProfileRecording> ordered = recordings.stream()
        .filter(r -> r.getSpec() != null && LabelSelectorMatcher.matches(r.getSpec().getPodSelector(), pod.getMetadata().getLabels()))
        .sorted(Comparator.comparing(r -> r.getMetadata().getName()))
        .toList();
    for (ProfileRecording recording : ordered) {
      ProfileRecordingSpec spec = recording.getSpec();
      String name = recording.getMetadata().getName();
      String prefix = annotationPrefix(spec);
      if (prefix == null) {
        warnings.add("ProfileRecording " + name + ": recorder " + spec.getRecorder() + " cannot record " + spec.getKind()
            + " (SELinux records from logs only, AppArmor from BPF only); pod left as it is");
        continue;
      }
      List<String> only = Objects.requireNonNullElse(spec.getContainers(), List.of());
      for (Container init : Objects.requireNonNullElse(pod.getSpec().getInitContainers(), List.<Container>of())) {
        if (only.contains(init.getName())) {
          warnings.add("ProfileRecording " + name + ": " + init.getName() + " is an init container; only a pod's containers are recorded");
        }
      }
      for (int i = 0; i < containers.size(); i++) {
        Container container = containers.get(i);
        if (!only.isEmpty() && !only.contains(container.getName())) {
          continue;
        }
        String key = prefix + container.getName();
        if (existing.containsKey(key)) {
          warnings.add("ProfileRecording " + name + ": the pod carries " + key + " already; kept as it is");
        } else if (annotatedBy.containsKey(key)) {
          warnings.add("ProfileRecordings " + annotatedBy.get(key) + " and " + name + " both record container " + container.getName()
              + " (" + key + "); the annotation names " + annotatedBy.get(key) + ", the first by name");
        } else {
          annotations.put(key, name + "_" + container.getName() + "_" + nonces.get() + "_" + clock.instant().getEpochSecond());
          annotatedBy.put(key, name);
        }
        if (spec.getRecorder() == RecorderType.Logs) {
          traceContext(name, spec.getKind(), container, changes.get(i), warnings);
        }
      }
    }
    return new PodMutation(patch(existing, annotations, containers, changes), warnings);
  }

  private static List<Map<String, Object>> patch(Map<String, String> existing, Map<String, String> annotations,
      List<Container> containers, List<ContextChange> changes) {
    List<Map<String, Object>> patch = new ArrayList<>();
    if (!annotations.isEmpty()) {
      // fabric8 reads an absent map as an empty one; "add" of the whole map is right for both (and replaces "{}").
      if (existing.isEmpty()) {
        patch.add(add("/metadata/annotations", annotations));
      } else {
        annotations.forEach((key, value) -> patch.add(add("/metadata/annotations/" + PodMutation.pointerSegment(key), value)));
      }
    }
    for (int i = 0; i < containers.size(); i++) {
      changes.get(i).addTo(patch, "/spec/containers/" + i + "/securityContext", containers.get(i).getSecurityContext());
    }
    return patch;
  }

  /** SPO's annotation key for what the recording records, or null for a recorder that cannot record that kind. */
  static String annotationPrefix(ProfileRecordingSpec spec) {
    if (spec.getRecorder() == RecorderType.Bpf) {
      return spec.getKind() == ProfileKind.SelinuxProfile ? null : TRACE_BPF;
    }
    if (spec.getRecorder() == RecorderType.Logs) {
      return switch (spec.getKind()) {
        case SeccompProfile -> TRACE_LOGS;
        case SelinuxProfile -> TRACE_AVCS;
        case AppArmorProfile -> null;
      };
    }
    return null;
  }

  private static void traceContext(String recording, ProfileKind kind, Container container, ContextChange change, List<String> warnings) {
    SecurityContext context = container.getSecurityContext();
    String prefix = "ProfileRecording " + recording + ": container " + container.getName();
    if (context != null && Boolean.TRUE.equals(context.getPrivileged()) && !change.warnedPrivileged) {
      change.warnedPrivileged = true;
      warnings.add(prefix + " is privileged: it runs without a seccomp profile and SELinux type, so its log recording will see nothing");
    }
    if (kind == ProfileKind.SeccompProfile) {
      var current = context == null ? null : context.getSeccompProfile();
      boolean traced = current != null && "Localhost".equals(current.getType())
          && LogRecordingReconciler.TRACE_PROFILE_FILE.equals(current.getLocalhostProfile());
      if (current != null && !traced && !change.seccomp) {
        warnings.add(prefix + " sets its own seccompProfile (" + current.getType()
            + (current.getLocalhostProfile() == null ? "" : " " + current.getLocalhostProfile()) + "); replaced by Localhost "
            + LogRecordingReconciler.TRACE_PROFILE_FILE + " while it is recorded");
      }
      change.seccomp = !traced;
    } else {
      var current = context == null ? null : context.getSeLinuxOptions();
      String type = current == null ? null : current.getType();
      if (type != null && !RecordedSelinuxAllow.RECORDING_TYPE.equals(type) && !change.selinuxType) {
        warnings.add(prefix + " sets its own SELinux type " + type + "; replaced by " + RecordedSelinuxAllow.RECORDING_TYPE
            + " while it is recorded");
      }
      change.selinuxType = !RecordedSelinuxAllow.RECORDING_TYPE.equals(type);
    }
  }

  private static Map<String, Object> add(String path, Object value) {
    Map<String, Object> operation = new LinkedHashMap<>();
    operation.put("op", "add");
    operation.put("path", path);
    operation.put("value", value);
    return operation;
  }

  /**
   * What one container's security context needs, as the smallest patch: each field the pod lacks is
   * added with its parents, a field it has is replaced ({@code add} replaces an existing member), and
   * everything else the author wrote stays as it is.
   */
  private static final class ContextChange {
    boolean seccomp;
    boolean selinuxType;
    boolean warnedPrivileged;

    void addTo(List<Map<String, Object>> patch, String path, SecurityContext context) {
      if (!seccomp && !selinuxType) {
        return;
      }
      if (context == null) {
        Map<String, Object> value = new LinkedHashMap<>();
        if (seccomp) {
          value.put("seccompProfile", TRACE_SECCOMP);
        }
        if (selinuxType) {
          value.put("seLinuxOptions", Map.of("type", RecordedSelinuxAllow.RECORDING_TYPE));
        }
        patch.add(add(path, value));
        return;
      }
      if (seccomp) {
        patch.add(add(path + "/seccompProfile", TRACE_SECCOMP));
      }
      if (selinuxType) {
        patch.add(context.getSeLinuxOptions() == null
            ? add(path + "/seLinuxOptions", Map.of("type", RecordedSelinuxAllow.RECORDING_TYPE))
            : add(path + "/seLinuxOptions/type", RecordedSelinuxAllow.RECORDING_TYPE));
      }
    }
  }
}
