package dev.profileops.nodedaemon.recording;

import dev.profileops.api.common.ProfileKind;
import dev.profileops.api.recording.ProfileRecording;
import dev.profileops.api.recording.ProfileRecordingSpec;
import dev.profileops.api.recording.RecorderType;
import dev.profileops.host.bpf.MountNamespaceRecording;
import dev.profileops.host.bpf.SyscallRecorder;
import dev.profileops.recorder.bpf.RecordingToProfile;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records, with the BPF recorder, the containers on this node of the pods a ProfileRecording
 * ({@code recorder: Bpf}, {@code kind: SeccompProfile}) selects, and publishes each container's
 * syscalls as a SeccompProfile when the container exits, its pod goes, or the recording is deleted
 * ({@link RecordedProfileWriter}). No webhook is involved: the pods' statuses give the containers' ids,
 * {@link ContainerLocator} their processes, and the recorder keys its kernel-side recording by the
 * mount namespace of the container's init.
 *
 * <p>The recorder itself is loaded on the first recording that needs it, and records every mount
 * namespace but the host's from then on (see {@link SyscallRecorder}): a container found only after
 * its workload started is still recorded from its first execve.
 */
public final class BpfRecordingReconciler implements Reconciler<ProfileRecording>, Cleaner<ProfileRecording> {
  /** How soon to look again for a container whose id is known but whose process is not found yet. */
  public static final Duration LOCATE_RETRY = Duration.ofSeconds(1);

  private static final Logger log = LoggerFactory.getLogger(BpfRecordingReconciler.class);

  private final String nodeName;
  private final Supplier<SyscallRecorder> recorders;
  private final ContainerLocator locator;
  private final RecordingToProfile toProfile;
  private final RecordedProfileWriter writer;
  private final Clock clock;
  private final Map<RecordedContainer.Key, RecordedContainer> recording = new ConcurrentHashMap<>();
  private final Set<String> explained = ConcurrentHashMap.newKeySet();
  private volatile SyscallRecorder recorder;
  private SelectedPods pods;

  /**
   * @param recorders makes the started recorder (or the unsupported stand-in) on first use
   */
  public BpfRecordingReconciler(String nodeName, Supplier<SyscallRecorder> recorders, ContainerLocator locator,
      RecordingToProfile toProfile, RecordedProfileWriter writer, Clock clock) {
    this.nodeName = nodeName;
    this.recorders = recorders;
    this.locator = locator;
    this.toProfile = toProfile;
    this.writer = writer;
    this.clock = clock;
    this.pods = new SelectedPods(nodeName, true);
  }

  /**
   * Watches every pod and keeps this node's, instead of asking the API server for this node's pods
   * only ({@code spec.nodeName}): for API servers without field selectors on watches (fabric8's mock).
   * Call before the controller starts.
   */
  public BpfRecordingReconciler withoutFieldSelector() {
    this.pods = new SelectedPods(nodeName, false);
    return this;
  }

  /** Whether the recorder has been loaded (on the first recording that needs it) and can record. */
  public boolean isRecording() {
    SyscallRecorder current = recorder;
    return current != null && current.available();
  }

  /** Containers being recorded now, for status and tests. */
  public Set<RecordedContainer> recordedContainers() {
    return Set.copyOf(recording.values());
  }

  @Override
  public List<EventSource<?, ProfileRecording>> prepareEventSources(EventSourceContext<ProfileRecording> context) {
    return List.of(pods.eventSource("pods-on-node", context));
  }

  @Override
  public UpdateControl<ProfileRecording> reconcile(ProfileRecording profileRecording, Context<ProfileRecording> context) {
    Optional<String> unsupported = unsupported(profileRecording.getSpec());
    if (unsupported.isPresent()) {
      explainOnce(profileRecording, unsupported.get());
      return UpdateControl.noUpdate();
    }
    SyscallRecorder started = recorder();
    if (!started.available()) {
      explainOnce(profileRecording, "the BPF recorder cannot run on node " + nodeName + ": " + started.version());
      return UpdateControl.noUpdate();
    }
    String namespace = profileRecording.getMetadata().getNamespace();
    String name = profileRecording.getMetadata().getName();
    Instant now = clock.instant();
    Set<RecordedContainer.Key> running = new HashSet<>();
    boolean waiting = false;
    for (Pod pod : pods.of(profileRecording)) {
      for (ContainerStatus status : SelectedPods.recordedContainers(profileRecording.getSpec(), pod)) {
        String id = RecordedContainer.runtimeId(status.getContainerID());
        boolean isRunning = SelectedPods.isRunning(status);
        var key = new RecordedContainer.Key(namespace, name, pod.getMetadata().getUid(), status.getName(), id);
        if (isRunning) {
          running.add(key);
          if (!recording.containsKey(key)) {
            waiting |= !startFollowing(key, pod, now);
          }
        } else if (!recording.containsKey(key)) {
          // Exited before its process was found (milliseconds): the kernel kept its cgroup's name.
          publishByCgroup(profileRecording, key, pod, started, now);
        }
      }
    }
    // Exited, restarted under a new id, pod gone or no longer selected: what it did is complete.
    recording.keySet().stream()
        .filter(key -> key.isFor(namespace, name) && !running.contains(key))
        .toList()
        .forEach(key -> publish(profileRecording, key, now));
    return waiting ? UpdateControl.<ProfileRecording>noUpdate().rescheduleAfter(LOCATE_RETRY) : UpdateControl.noUpdate();
  }

  @Override
  public DeleteControl cleanup(ProfileRecording profileRecording, Context<ProfileRecording> context) {
    String namespace = profileRecording.getMetadata().getNamespace();
    String name = profileRecording.getMetadata().getName();
    Instant now = clock.instant();
    // Deleting the recording ends it: publish what the containers still running did so far.
    recording.keySet().stream()
        .filter(key -> key.isFor(namespace, name))
        .toList()
        .forEach(key -> publish(profileRecording, key, now));
    return DeleteControl.defaultDelete();
  }

  /** False when the container's process is not there (yet): the caller looks again soon. */
  private boolean startFollowing(RecordedContainer.Key key, Pod pod, Instant now) {
    Optional<ContainerLocator.ContainerProcess> process = locator.locate(key.containerId());
    if (process.isEmpty()) {
      return false;
    }
    var container = RecordedContainer.of(key, pod.getMetadata().getName(), process.get().pid(), process.get().mountNamespace(), now);
    recording.put(key, container);
    log.info("Recording container {} of pod {}/{} for {} (pid {}, mount namespace {})", key.container(),
        key.recordingNamespace(), pod.getMetadata().getName(), key.recording(), container.pid(), container.mountNamespace());
    return true;
  }

  private void publish(ProfileRecording profileRecording, RecordedContainer.Key key, Instant now) {
    RecordedContainer container = recording.get(key);
    if (container == null) {
      return;
    }
    SyscallRecorder started = recorder();
    Optional<MountNamespaceRecording> seen = started.recording(container.mountNamespace(), container.pid())
        .or(() -> started.latest(container.mountNamespace()));
    if (seen.isEmpty()) {
      log.warn("No syscalls were recorded for container {} of pod {}/{} (its workload never started?)",
          key.container(), key.recordingNamespace(), container.pod());
      recording.remove(key);
      return;
    }
    publish(profileRecording, key, container, seen.get(), now);
  }

  /**
   * A container that exited before this node found its process: its recording, if the kernel has one
   * whose cgroup is the container's (published once; the recording is forgotten afterwards).
   */
  private void publishByCgroup(ProfileRecording profileRecording, RecordedContainer.Key key, Pod pod,
      SyscallRecorder started, Instant now) {
    Optional<MountNamespaceRecording> seen = started.recordings().stream()
        .filter(r -> r.inContainer(key.containerId()))
        .max(Comparator.comparingLong(MountNamespaceRecording::namespaceId));
    if (seen.isEmpty()) {
      return;
    }
    var container = RecordedContainer.of(key, pod.getMetadata().getName(), seen.get().firstPid(), seen.get().mountNamespace(), now);
    publish(profileRecording, key, container, seen.get(), now);
  }

  private void publish(ProfileRecording profileRecording, RecordedContainer.Key key, RecordedContainer container,
      MountNamespaceRecording seen, Instant now) {
    SyscallRecorder started = recorder();
    RecordingToProfile.Result result = toProfile.convert(key.recording(), key.container(), seen);
    if (!result.unnamedNumbers().isEmpty() || result.overflow()) {
      log.warn("Container {}: syscall numbers libseccomp cannot name {}{}", key.container(), result.unnamedNumbers(),
          result.overflow() ? ", and numbers beyond the recorder's bitmap were lost" : "");
    }
    // Written before forgetting: a failed write throws, JOSDK retries, and the recording is still there.
    var written = writer.write(profileRecording, container, result.profile(), now);
    recording.remove(key);
    started.forget(seen);
    log.info("Recorded {} syscalls of container {} of pod {}/{} as SeccompProfile {}", result.syscalls().size(),
        key.container(), key.recordingNamespace(), container.pod(), written.getMetadata().getName());
  }

  private SyscallRecorder recorder() {
    SyscallRecorder current = recorder;
    if (current == null) {
      synchronized (this) {
        current = recorder;
        if (current == null) {
          current = recorders.get();
          log.info("BPF recorder on node {}: {}", nodeName, current.available() ? current.version() : "unavailable, " + current.version());
          recorder = current;
        }
      }
    }
    return current;
  }

  /** Stops the recorder, if it was started. */
  public void close() {
    SyscallRecorder current = recorder;
    if (current != null) {
      current.close();
    }
  }

  /** Why this daemon does not record for the recording, if it does not. */
  static Optional<String> unsupported(ProfileRecordingSpec spec) {
    if (spec == null || spec.getRecorder() != RecorderType.Bpf) {
      return Optional.of("not a BPF recording");
    }
    if (spec.getKind() != ProfileKind.SeccompProfile) {
      return Optional.of("the BPF recorder records SeccompProfiles only, not " + spec.getKind());
    }
    return Optional.empty();
  }

  private void explainOnce(ProfileRecording profileRecording, String why) {
    String id = profileRecording.getMetadata().getNamespace() + "/" + profileRecording.getMetadata().getName();
    if (explained.add(id + ":" + why)) {
      log.info("ProfileRecording {} is not recorded by this node's BPF recorder: {}", id, why);
    }
  }
}
