package dev.profileops.nodedaemon.recording;

import dev.profileops.api.common.ProfileKind;
import dev.profileops.api.recording.ProfileRecording;
import dev.profileops.api.recording.ProfileRecordingSpec;
import dev.profileops.api.recording.RecorderType;
import dev.profileops.api.seccomp.SeccompProfile;
import dev.profileops.recorder.bpf.RuntimeHandover;
import dev.profileops.recorder.seccomp.RecordedSeccompProfile;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records from the kernel's audit lines ({@code recorder: Logs}). {@code kind: SeccompProfile}: the
 * selected pods run under the log-everything profile this daemon installs ({@value #TRACE_PROFILE_FILE}
 * under the kubelet's seccomp directory, default action {@code SCMP_ACT_LOG}) and the node's log
 * enricher feeds {@link LoggedSyscalls} with their lines. {@code kind: SelinuxProfile}: the selected
 * pods run as {@link RecordedSelinuxAllow#RECORDING_TYPE} (permissive) and the enricher feeds
 * {@link LoggedAvcs} with their AVCs. When a container exits, its pod goes or the recording is deleted,
 * what it did is published as a SeccompProfile or SelinuxProfile exactly like the BPF path
 * ({@link RecordedProfileWriter}); the recorder's publish reconciler then merges and proposes it. Only
 * pods of namespaces that opted in ({@link RecordingNamespaces}) are recorded, as in SPO. Lines lag the exit a little (the log is read every
 * {@link #LOG_GRACE} or so), so publishing waits that long after the container ended.
 */
public final class LogRecordingReconciler implements Reconciler<ProfileRecording>, Cleaner<ProfileRecording> {
  /** The file pods reference as {@code localhostProfile: operator/profileops-log-recording.json}. */
  public static final String TRACE_PROFILE_FILE = "operator/profileops-log-recording.json";
  public static final Duration LOG_GRACE = Duration.ofSeconds(2);
  /** How often a recording in a namespace that has not opted in looks again for the label. */
  static final Duration OPT_IN_RECHECK = Duration.ofSeconds(30);
  static final String TRACE_PROFILE = "{\"defaultAction\":\"SCMP_ACT_LOG\"}\n";

  private static final Logger log = LoggerFactory.getLogger(LogRecordingReconciler.class);

  private final String nodeName;
  private final LoggedSyscalls logged;
  private final LoggedAvcs avcs;
  private final RecordingNamespaces namespaces;
  private final RecordedProfileWriter writer;
  private final String nativeArch;
  private final Clock clock;
  private final Map<RecordedContainer.Key, RecordedContainer> recording = new ConcurrentHashMap<>();
  private final Map<RecordedContainer.Key, Instant> ended = new ConcurrentHashMap<>();
  private SelectedPods pods;

  public LogRecordingReconciler(String nodeName, LoggedSyscalls logged, LoggedAvcs avcs, RecordingNamespaces namespaces,
      RecordedProfileWriter writer, String nativeArch, Clock clock) {
    this.nodeName = nodeName;
    this.pods = new SelectedPods(nodeName, true);
    this.logged = logged;
    this.avcs = avcs;
    this.namespaces = namespaces;
    this.writer = writer;
    this.nativeArch = nativeArch;
    this.clock = clock;
  }

  /** As {@link BpfRecordingReconciler#withoutFieldSelector()}. */
  public LogRecordingReconciler withoutFieldSelector() {
    this.pods = new SelectedPods(nodeName, false);
    return this;
  }

  /** Writes the log-everything profile under {@code <kubeletDir>/seccomp}; returns its path. */
  public static Path installTraceProfile(Path kubeletDir) throws IOException {
    Path file = kubeletDir.resolve("seccomp").resolve(TRACE_PROFILE_FILE);
    Files.createDirectories(file.getParent());
    Path temporary = Files.createTempFile(file.getParent(), ".profileops-log-recording", ".tmp");
    Files.writeString(temporary, TRACE_PROFILE);
    return Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  public Set<RecordedContainer> recordedContainers() {
    return Set.copyOf(recording.values());
  }

  @Override
  public List<EventSource<?, ProfileRecording>> prepareEventSources(EventSourceContext<ProfileRecording> context) {
    return List.of(pods.eventSource("pods-on-node-logs", context));
  }

  @Override
  public UpdateControl<ProfileRecording> reconcile(ProfileRecording profileRecording, Context<ProfileRecording> context) {
    if (!isLogRecording(profileRecording.getSpec())) {
      return UpdateControl.noUpdate();
    }
    String namespace = profileRecording.getMetadata().getNamespace();
    String name = profileRecording.getMetadata().getName();
    ProfileKind kind = profileRecording.getSpec().getKind();
    Instant now = clock.instant();
    boolean optedIn = namespaces.optedIn(namespace);
    if (!optedIn) {
      log.info("Not recording for {}/{}: namespace {} is not labelled {}", namespace, name, namespace, RecordingNamespaces.LABEL);
    }
    Set<RecordedContainer.Key> running = new HashSet<>();
    List<Pod> selected = optedIn
        ? pods.of(profileRecording)
        : List.of();
    for (Pod pod : selected) {
      for (ContainerStatus status : SelectedPods.recordedContainers(profileRecording.getSpec(), pod)) {
        if (!SelectedPods.isRunning(status)) {
          continue;
        }
        String id = RecordedContainer.runtimeId(status.getContainerID());
        var key = new RecordedContainer.Key(namespace, name, pod.getMetadata().getUid(), status.getName(), id);
        running.add(key);
        if (!recording.containsKey(key)) {
          if (kind == ProfileKind.SelinuxProfile) {
            avcs.track(id);
          } else {
            logged.track(id);
          }
          // No process: the log lines carry the container's id.
          recording.put(key, RecordedContainer.of(key, pod.getMetadata().getName(), 0, 0, now));
          log.info("Recording container {} of pod {}/{} for {} from the kernel's {} log lines", status.getName(), namespace,
              pod.getMetadata().getName(), name, kind == ProfileKind.SelinuxProfile ? "AVC" : "seccomp");
        }
      }
    }
    boolean waiting = false;
    for (RecordedContainer.Key key : recording.keySet().stream()
        .filter(key -> key.isFor(namespace, name) && !running.contains(key))
        .toList()) {
      Instant end = ended.computeIfAbsent(key, k -> now);
      if (now.isBefore(end.plus(LOG_GRACE))) {
        waiting = true; // its last lines may still be on their way through the log
      } else {
        publish(profileRecording, key, now);
      }
    }
    if (waiting) {
      return UpdateControl.<ProfileRecording>noUpdate().rescheduleAfter(LOG_GRACE);
    }
    // A namespace's label changing is no event here: look again now and then.
    return optedIn ? UpdateControl.noUpdate() : UpdateControl.<ProfileRecording>noUpdate().rescheduleAfter(OPT_IN_RECHECK);
  }

  @Override
  public DeleteControl cleanup(ProfileRecording profileRecording, Context<ProfileRecording> context) {
    String namespace = profileRecording.getMetadata().getNamespace();
    String name = profileRecording.getMetadata().getName();
    recording.keySet().stream()
        .filter(key -> key.isFor(namespace, name))
        .toList()
        .forEach(key -> publish(profileRecording, key, clock.instant()));
    return DeleteControl.defaultDelete();
  }

  private void publish(ProfileRecording profileRecording, RecordedContainer.Key key, Instant now) {
    RecordedContainer container = recording.get(key);
    if (container == null) {
      return;
    }
    if (profileRecording.getSpec().getKind() == ProfileKind.SelinuxProfile) {
      publishSelinux(profileRecording, key, container, now);
    } else {
      publishSeccomp(profileRecording, key, container, now);
    }
    recording.remove(key);
    ended.remove(key);
  }

  private void publishSeccomp(ProfileRecording profileRecording, RecordedContainer.Key key, RecordedContainer container, Instant now) {
    LoggedSyscalls.Seen seen = logged.take(key.containerId()).orElse(null);
    if (seen == null || seen.syscalls().isEmpty()) {
      log.warn("No seccomp log lines came for container {} of pod {}/{} (does it run under {}?)", key.container(),
          key.recordingNamespace(), container.pod(), TRACE_PROFILE_FILE);
    } else {
      String arch = seen.arch().isEmpty() ? nativeArch : seen.arch();
      // One run's lines hold the runtime's handover syscalls it happened to make (Go's scheduler varies
      // from run to run: a futex wake missed once kills runc's init under the profile the next time).
      Set<String> syscalls = new TreeSet<>(seen.syscalls());
      syscalls.addAll(RuntimeHandover.SYSCALLS);
      SeccompProfile profile = RecordedSeccompProfile.build(key.recording(), key.container(), arch, syscalls);
      var written = writer.write(profileRecording, container, profile, now);
      log.info("Recorded {} syscalls (with the runtime handover set) of container {} of pod {}/{} from log lines as SeccompProfile {}",
          syscalls.size(), key.container(), key.recordingNamespace(), container.pod(), written.getMetadata().getName());
    }
  }

  private void publishSelinux(ProfileRecording profileRecording, RecordedContainer.Key key, RecordedContainer container, Instant now) {
    Map<String, Map<String, List<String>>> allow = avcs.take(key.containerId()).orElse(Map.of());
    if (allow.isEmpty()) {
      log.warn("No AVC lines of type {} came for container {} of pod {}/{} (does it run as {}?)",
          RecordedSelinuxAllow.RECORDING_TYPE, key.container(), key.recordingNamespace(), container.pod(), RecordedSelinuxAllow.RECORDING_TYPE);
    } else {
      var written = writer.writeSelinux(profileRecording, container, allow, now);
      log.info("Recorded the SELinux accesses of container {} of pod {}/{} from AVC lines as SelinuxProfile {}", key.container(),
          key.recordingNamespace(), container.pod(), written.getMetadata().getName());
    }
  }

  /** Seccomp and SELinux record from logs; AppArmor only from BPF (as in SPO). */
  static boolean isLogRecording(ProfileRecordingSpec spec) {
    return spec != null && spec.getRecorder() == RecorderType.Logs
        && (spec.getKind() == ProfileKind.SeccompProfile || spec.getKind() == ProfileKind.SelinuxProfile);
  }
}
