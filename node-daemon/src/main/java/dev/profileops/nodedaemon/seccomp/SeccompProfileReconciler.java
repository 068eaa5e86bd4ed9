package dev.profileops.nodedaemon.seccomp;

import dev.profileops.api.SpoApi;
import dev.profileops.api.common.Condition;
import dev.profileops.api.common.ProfileState;
import dev.profileops.api.daemon.SecurityProfilesOperatorDaemon;
import dev.profileops.api.seccomp.BaseProfileResolver;
import dev.profileops.api.seccomp.SeccompProfile;
import dev.profileops.api.seccomp.SeccompProfileSpec;
import dev.profileops.api.seccomp.SeccompProfileStatus;
import dev.profileops.nodedaemon.config.SeccompPolicy;
import dev.profileops.nodedaemon.inuse.InUseProtection;
import dev.profileops.nodedaemon.status.NodeStatusWriter;
import dev.profileops.nodedaemon.status.ReadyCondition;
import dev.profileops.nodedaemon.status.StatusControl;
import dev.profileops.nodedaemon.status.UnsettledRecheck;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.ResourceCache;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs SeccompProfiles on this node. Each node runs its own copy, keeps its own
 * SecurityProfileNodeStatus and its own finalizer on every profile (set at registration, see
 * {@code NodeDaemon}), and writes the profile's status as the aggregate over all nodes.
 *
 * <p>Base profiles come from the controller's own informer cache; when a base changes,
 * {@link BaseProfileChanges} re-triggers the profiles built on it, so no periodic resync is needed for
 * that. A failing profile keeps the file it had (the last good state stays on the node).
 */
public final class SeccompProfileReconciler implements Reconciler<SeccompProfile>, Cleaner<SeccompProfile> {

  private static final Logger log = LoggerFactory.getLogger(SeccompProfileReconciler.class);

  private final SeccompProfileFiles files;
  private final NodeStatusWriter nodeStatus;
  private final Clock clock;
  private final UnsettledRecheck unsettled = new UnsettledRecheck();
  /** Reconciled (statuses written) or cleaned up since start. */
  private final Set<String> handled = ConcurrentHashMap.newKeySet();
  /** Whose file this node has brought in line with the profile since start (installed, removed, or failed). */
  private final Set<String> settledOnNode = ConcurrentHashMap.newKeySet();
  private volatile ResourceCache<SeccompProfile> primaryCache;
  /** Namespace of the daemon config {@code spod}; null: no config is read, nothing restricted. */
  private volatile String configNamespace;
  private volatile SeccompPolicy policy = SeccompPolicy.UNRESTRICTED;
  private volatile InformerEventSource<SecurityProfilesOperatorDaemon, SeccompProfile> configs;

  public SeccompProfileReconciler(SeccompProfileFiles files, NodeStatusWriter nodeStatus) {
    this(files, nodeStatus, Clock.systemUTC());
  }

  public SeccompProfileReconciler(SeccompProfileFiles files, NodeStatusWriter nodeStatus, Clock clock) {
    this.files = files;
    this.nodeStatus = nodeStatus;
    this.clock = clock;
  }

  /**
   * Whether this node has put the profile's file in the state the profile asks for (or found that it
   * cannot, and kept the last good file) at least once since it started: what the kubelet needs. The
   * profile's statuses may still be on their way ({@link #hasHandled}).
   */
  public boolean isSettledOnNode(String name) {
    return settledOnNode.contains(name);
  }

  /**
   * Brings the files of the given profiles (every profile, listed at start) in line with them, without
   * writing any status, in one pass on the calling thread: the start-up path, run before the controller
   * starts, so that the node has its files long before the reconcilers have added a finalizer and
   * written the statuses of each (a few API requests per profile). The reconcilers do the same install
   * again afterwards and find the files unchanged. Returns how many profiles it settled.
   */
  public int installAll(Collection<SeccompProfile> profiles) throws IOException {
    Map<String, SeccompProfile> byName = new HashMap<>();
    profiles.forEach(p -> byName.put(p.getMetadata().getName(), p));
    List<SeccompProfile> live = profiles.stream().filter(p -> !p.isMarkedForDeletion()).toList();
    // One write of the ownership record for all of them, instead of one per new profile.
    files.claim(live.stream().map(p -> p.getMetadata().getName()).filter(SeccompProfileInstaller::isValidName).toList());
    for (SeccompProfile profile : live) {
      installOrRemove(profile, base -> specOf(Optional.ofNullable(byName.get(base))));
    }
    return live.size();
  }

  /** Whether this node has reconciled (or cleaned up) the profile at least once since it started. */
  public boolean hasHandled(String name) {
    return handled.contains(name);
  }

  /**
   * Names of the profiles in the controller's informer cache (every profile once the controller has
   * started, as the informer synced before start returned); empty before the controller started.
   */
  public Set<String> cachedNames() {
    ResourceCache<SeccompProfile> cache = primaryCache;
    if (cache == null) {
      return Set.of();
    }
    return cache.list().map(p -> p.getMetadata().getName()).collect(Collectors.toUnmodifiableSet());
  }

  /** Whether the profile is in the controller's informer cache. */
  public boolean isCached(String name) {
    ResourceCache<SeccompProfile> cache = primaryCache;
    return cache != null && cache.get(new ResourceID(name)).isPresent();
  }

  /**
   * Enforces the {@code security} section of the daemon config {@code spod} in that namespace, starting
   * with {@code initial} (read at start); a change of the config reconciles every profile again. Call
   * before the controller is registered.
   */
  public void useDaemonConfig(String namespace, SeccompPolicy initial) {
    this.configNamespace = namespace;
    this.policy = initial;
  }

  /** The policy in force until the config's informer says otherwise (read at start, before it runs). */
  public void usePolicy(SeccompPolicy current) {
    this.policy = current;
  }

  @Override
  public List<EventSource<?, SeccompProfile>> prepareEventSources(EventSourceContext<SeccompProfile> context) {
    primaryCache = context.getPrimaryCache();
    if (configNamespace != null) {
      var configuration = InformerEventSourceConfiguration.from(SecurityProfilesOperatorDaemon.class, SeccompProfile.class)
          .withName("daemon-config")
          .withNamespaces(Set.of(configNamespace))
          // A new policy may allow what was refused, or refuse what is installed: look at every profile.
          .withSecondaryToPrimaryMapper(config -> SecurityProfilesOperatorDaemon.SINGLETON_NAME.equals(config.getMetadata().getName())
              ? context.getPrimaryCache().list().map(ResourceID::fromResource).collect(Collectors.toSet()) : Set.of())
          .build();
      configs = new InformerEventSource<>(configuration, context);
    }
    context.getPrimaryCache().addIndexer(BaseProfileChanges.BY_BASE_PROFILE, profile -> {
      String base = profile.getSpec() == null ? null : profile.getSpec().getBaseProfileName();
      return base == null || base.isBlank() ? List.of() : List.of(base);
    });
    return configs == null ? List.of(new BaseProfileChanges(context.getPrimaryCache()))
        : List.of(new BaseProfileChanges(context.getPrimaryCache()), configs);
  }

  @Override
  public UpdateControl<SeccompProfile> reconcile(SeccompProfile profile, Context<SeccompProfile> context) {
    String name = profile.getMetadata().getName();
    ResourceCache<SeccompProfile> cache = context.getPrimaryCache();
    if (configs != null) {
      policy = SeccompPolicy.of(configs.get(new ResourceID(SecurityProfilesOperatorDaemon.SINGLETON_NAME, configNamespace)).orElse(null));
    }
    Outcome outcome = installOrRemove(profile, base -> specOf(cache.get(new ResourceID(base))));
    NodeStatusWriter.Summary summary = nodeStatus.writeAndSummarize(profile, outcome.state(), outcome.message());
    SeccompProfileStatus status = statusFor(profile, summary, outcome);
    handled.add(name);

    return StatusControl.of(profile, status, outcome.state(), summary, unsettled);
  }

  @Override
  public DeleteControl cleanup(SeccompProfile profile, Context<SeccompProfile> context) throws IOException {
    String name = profile.getMetadata().getName();
    if (profile.hasFinalizer(InUseProtection.FINALIZER)) {
      // Running pods still use it (in-use protection): the file stays until the controller takes the
      // finalizer off, which is an update of the profile and brings us back here.
      log.info("SeccompProfile {} is deleted but still used by running pods; its file stays for now", name);
      nodeStatus.write(profile, ProfileState.Terminating, "deleted; the file stays while running pods use it");
      return DeleteControl.noFinalizerRemoval();
    }
    // A file that cannot be removed throws, JOSDK retries, and the finalizer stays until it is gone.
    if (SeccompProfileInstaller.isValidName(name) && files.remove(name)) {
      log.info("Removed seccomp profile {} from this node", name);
    }
    nodeStatus.delete(SeccompProfile.KIND, name);
    unsettled.settled(name);
    settledOnNode.add(name);
    handled.add(name);
    return DeleteControl.defaultDelete();
  }

  /** What this node did with the profile. */
  private record Outcome(ProfileState state, String message) {}

  /** The spec of a base profile that is there and not being deleted, else null. */
  private static SeccompProfileSpec specOf(Optional<SeccompProfile> base) {
    return base.filter(p -> !p.isMarkedForDeletion()).map(SeccompProfile::getSpec).orElse(null);
  }

  private Outcome installOrRemove(SeccompProfile profile, Function<String, SeccompProfileSpec> bases) {
    String name = profile.getMetadata().getName();
    Outcome outcome = installOrRemoveFile(profile, bases);
    settledOnNode.add(name);
    return outcome;
  }

  private Outcome installOrRemoveFile(SeccompProfile profile, Function<String, SeccompProfileSpec> bases) {
    String name = profile.getMetadata().getName();
    SeccompProfileSpec spec = profile.getSpec();
    try {
      if (spec == null) {
        return new Outcome(ProfileState.Error, "the profile has no spec");
      }
      if (!spec.enabled()) {
        removeIfOurs(name);
        return new Outcome(ProfileState.Disabled, null);
      }
      if (SpoApi.isPartial(profile)) {
        removeIfOurs(name);
        return new Outcome(ProfileState.Partial, "partial recording: merge it into a full profile to install it");
      }
      BaseProfileResolver.Result resolved = new BaseProfileResolver(bases::apply).resolve(name, spec);
      if (!resolved.ok()) {
        return error(name, resolved.error());
      }
      Optional<String> refused = policy.violation(resolved.spec());
      if (refused.isPresent()) {
        return error(name, refused.get());
      }
      byte[] json = OciSeccompJson.render(resolved.spec());
      InstallResult result = files.install(name, json);
      if (result == InstallResult.Written) {
        log.info("Installed seccomp profile {} at {}", name, files.pathFor(name));
      }
      return new Outcome(ProfileState.Installed, null);
    } catch (IllegalArgumentException e) {
      return error(name, e.getMessage());
    } catch (IOException e) {
      return error(name, "cannot write the profile file: " + e);
    }
  }

  private Outcome error(String name, String why) {
    log.warn("Seccomp profile {} is not installed as it is: {}", name, why);
    String kept = installed(name) ? "; the previously installed version stays in place" : "";
    return new Outcome(ProfileState.Error, why + kept);
  }

  private boolean installed(String name) {
    try {
      return files.installedNames().contains(name);
    } catch (IOException e) {
      return false;
    }
  }

  private void removeIfOurs(String name) throws IOException {
    if (SeccompProfileInstaller.isValidName(name) && files.remove(name)) {
      log.info("Removed seccomp profile {} from this node", name);
    }
  }

  private SeccompProfileStatus statusFor(SeccompProfile profile, NodeStatusWriter.Summary summary, Outcome outcome) {
    String name = profile.getMetadata().getName();
    SeccompProfileStatus previous = profile.getStatus();
    SeccompProfileStatus status = new SeccompProfileStatus();
    List<Condition> conditions = previous == null ? List.of() : previous.getConditions();
    if (previous != null) {
      // Written by whoever tracks workloads, not by us: carry it over untouched.
      status.setActiveWorkloads(new ArrayList<>(previous.getActiveWorkloads()));
    }
    status.setStatus(summary.state());
    boolean meantToBeInstalled = outcome.state() != ProfileState.Disabled && outcome.state() != ProfileState.Partial;
    if (meantToBeInstalled && SeccompProfileInstaller.isValidName(name)) {
      status.setPath(files.pathFor(name).toString());
      status.setLocalhostProfile(SeccompProfile.localhostProfile(name));
    }
    status.setConditions(ReadyCondition.apply(conditions, summary.state(), summary.message(), clock.instant()));
    return status;
  }
}
