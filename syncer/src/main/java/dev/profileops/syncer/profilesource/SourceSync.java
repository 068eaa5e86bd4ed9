package dev.profileops.syncer.profilesource;

import dev.profileops.api.source.InventoryEntry;
import dev.profileops.api.source.ProfileSource;
import dev.profileops.api.source.ProfileSourceSpec;
import dev.profileops.host.seccomp.SyscallTable;
import dev.profileops.syncer.cluster.ClusterApplier;
import dev.profileops.syncer.cluster.ClusterApplyResult;
import dev.profileops.syncer.cluster.ClusterState;
import dev.profileops.syncer.cluster.ObjectWriter;
import dev.profileops.syncer.git.CheckoutResult;
import dev.profileops.syncer.git.FetchRepositoryCommand;
import dev.profileops.syncer.git.GitTransport;
import dev.profileops.syncer.git.RemoteHeadCommand;
import dev.profileops.syncer.render.ObjectRenderer;
import dev.profileops.syncer.source.LoadResult;
import dev.profileops.syncer.source.LoadedObject;
import dev.profileops.syncer.source.ParseCache;
import dev.profileops.syncer.source.ProfileKinds;
import dev.profileops.syncer.source.RepositoryLoader;
import dev.profileops.syncer.validate.Problem;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import dev.profileops.api.source.VerifySpec;
import dev.profileops.syncer.verify.CommitVerifier;
import dev.profileops.syncer.verify.TrustedKeys;
import dev.profileops.syncer.verify.Verification;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.IOException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * One sync of one ProfileSource: ask the remote where the ref points, fetch (shallow) only when it
 * moved, load (re-parsing only changed files), apply what is valid and owned by no other source, prune.
 */
public final class SourceSync {
  private final KubernetesClient client;
  private final RepositoryLoader loader;
  private final ObjectWriter writer;
  private final Path workDir;
  private final SourceCredentials credentials;
  private final Map<String, SourceCache> caches = new ConcurrentHashMap<>();

  /** What is kept between syncs of one source. */
  private static final class SourceCache {
    final ParseCache parsed = new ParseCache();
    volatile String fetchedRevision;
    /** Objects found equal to the cluster, by key: the loaded object and the resourceVersion then seen. */
    final Map<String, Seen> inPlace = new ConcurrentHashMap<>();
  }

  private record Seen(LoadedObject object, String resourceVersion) {}

  public SourceSync(KubernetesClient client, SyscallTable syscalls, ObjectWriter writer, Path workDir) {
    this.client = client;
    this.loader = new RepositoryLoader(syscalls);
    this.writer = writer;
    this.workDir = workDir;
    this.credentials = new SourceCredentials(client);
  }

  /** @param state what the cluster holds now (the controller's informer caches) */
  public SyncOutcome sync(ProfileSource source, ClusterState state) {
    ProfileSourceSpec spec = source.getSpec();
    String key = source.getMetadata().getNamespace() + "/" + source.getMetadata().getName();
    SourceCache cache = caches.computeIfAbsent(key, k -> new SourceCache());
    Path cloneDir = workDir.resolve(source.getMetadata().getNamespace()).resolve(source.getMetadata().getName());
    String ref = spec.getRef() == null ? "main" : spec.getRef().effective();
    Duration timeout = Durations.parse(spec.getTimeout(), Duration.ofSeconds(60));

    String revision;
    try (GitTransport transport = credentials.transportFor(source)) {
      try {
        Optional<String> head = new RemoteHeadCommand(spec.getUrl(), ref).transport(transport).timeout(timeout).call();
        if (head.isPresent() && head.get().equals(cache.fetchedRevision) && Files.isDirectory(cloneDir.resolve(".git"))) {
          revision = head.get(); // the remote has not moved: no fetch
        } else {
          CheckoutResult checkout = new FetchRepositoryCommand(spec.getUrl(), ref, cloneDir).transport(transport)
              .timeout(timeout).depth(1).call();
          revision = checkout.commit();
          cache.fetchedRevision = revision;
        }
      } catch (RuntimeException e) {
        // Says what an authentication or host key failure means; JGit's own words are terse.
        return SyncOutcome.failed(null, "FetchFailed", transport.explain(e));
      }
    } catch (RuntimeException e) {
      return SyncOutcome.failed(null, "FetchFailed", e.getMessage()); // the Secret is missing or unusable
    }

    String verified = null;
    if (spec.getVerify() != null) {
      Verification verification = verify(source, cloneDir, revision);
      if (!verification.trusted()) {
        // Not applied: the last good revision stays, and status says why.
        return SyncOutcome.failed(revision, "VerificationFailed", verification.reason());
      }
      verified = verification.reason();
    }

    Path root = spec.getPath() == null || spec.getPath().isBlank() ? cloneDir : cloneDir.resolve(spec.getPath()).normalize();
    if (!root.startsWith(cloneDir) || !Files.isDirectory(root)) {
      return SyncOutcome.failed(revision, "PathNotFound", "path " + spec.getPath() + " is not a directory at " + revision);
    }
    LoadResult loaded = loader.load(root, cache.parsed);
    SyncOutcome outcome = apply(source, revision, loaded, state, cache);
    return verified == null ? outcome : outcome.verifiedBy(verified);
  }

  /** Checks the head commit's signature against the keys in the source's verify Secret. */
  private Verification verify(ProfileSource source, Path cloneDir, String revision) {
    VerifySpec verify = source.getSpec().getVerify();
    if (verify.getMode() != null && !"HEAD".equalsIgnoreCase(verify.getMode())) {
      return new Verification(false, null, "verify.mode " + verify.getMode() + " is not supported; use HEAD");
    }
    if (verify.getSecretRef() == null || verify.getSecretRef().getName() == null) {
      return new Verification(false, null, "verify.secretRef names no Secret of trusted keys");
    }
    Secret secret = client.secrets().inNamespace(source.getMetadata().getNamespace()).withName(verify.getSecretRef().getName()).get();
    if (secret == null) {
      return new Verification(false, null, "secret " + verify.getSecretRef().getName() + " of trusted keys not found");
    }
    TrustedKeys keys = TrustedKeys.fromSecret(secret);
    try (Repository repo = new FileRepositoryBuilder().setGitDir(cloneDir.resolve(".git").toFile()).build()) {
      return new CommitVerifier().verify(repo, ObjectId.fromString(revision), keys);
    } catch (IOException e) {
      return new Verification(false, null, "cannot read commit " + revision + ": " + e.getMessage());
    }
  }

  private SyncOutcome apply(ProfileSource source, String revision, LoadResult loaded, ClusterState state, SourceCache cache) {
    String label = SourceIdentity.labelValue(source);
    String namespace = source.getMetadata().getNamespace();
    OwnershipGuard guard = new OwnershipGuard(state);
    List<Problem> problems = new ArrayList<>(loaded.problems());
    List<String> conflicts = new ArrayList<>();
    ClusterApplier applier = new ClusterApplier(client, label, writer, namespace, state);
    Map<String, HasMetadata> current = applier.current();
    List<InventoryEntry> inventory = new ArrayList<>();
    Set<String> unchangedKeys = new HashSet<>();
    List<LoadedObject> toRender = new ArrayList<>();
    Map<String, LoadedObject> byKey = new HashMap<>();
    for (LoadedObject o : loaded.validObjects()) {
      String objectNamespace = defaultedNamespace(o, namespace);
      String other = guard.otherOwner(o.resource(), objectNamespace, label);
      if (other != null) {
        conflicts.add(o.id());
        problems.add(Problem.error(o.file(), o.line(), "metadata.name",
            o.kind() + " \"" + o.name() + "\" is owned by source " + other + "; not applied"));
        continue;
      }
      // An object parsed from unchanged bytes (the parse cache hands back the same instance) whose cluster
      // copy has not moved since it was last found equal needs neither rendering nor comparing: this is
      // what keeps a one-file commit cheap in a large repository.
      String key = ClusterApplier.key(o.kind(), objectNamespace, o.name());
      inventory.add(new InventoryEntry(o.kind(), objectNamespace, o.name()));
      Seen seen = cache.inPlace.get(key);
      HasMetadata there = current.get(key);
      if (seen != null && seen.object() == o && there != null
          && Objects.equals(seen.resourceVersion(), there.getMetadata().getResourceVersion())) {
        unchangedKeys.add(key);
      } else {
        cache.inPlace.remove(key);
        toRender.add(o);
        byKey.put(key, o);
      }
    }
    List<HasMetadata> rendered = new ObjectRenderer().render(toRender, new ObjectRenderer.Stamp(label, revision));
    String sourceRef = namespace + "/" + source.getMetadata().getName();
    rendered.forEach(o -> o.getMetadata().getAnnotations().put(ProfileSourceReconciler.ANNOTATION_SOURCE_REF, sourceRef));
    Set<String> brokenIds = loaded.objects().stream().filter(o -> !o.valid()).map(LoadedObject::id).collect(Collectors.toSet());
    brokenIds.addAll(conflicts);
    Set<String> brokenFiles = new HashSet<>(loaded.filesWithErrors());
    brokenFiles.addAll(loaded.unreadableFiles());
    ClusterApplyResult result = applier
        .apply(rendered, unchangedKeys, brokenFiles, brokenIds, source.getSpec().pruneEnabled());
    Set<String> foundEqual = new HashSet<>(result.unchanged());
    for (HasMetadata o : rendered) {
      String key = ClusterApplier.key(o);
      HasMetadata there = current.get(key);
      if (there != null && foundEqual.contains(ClusterApplier.id(o)) && byKey.containsKey(key)) {
        cache.inPlace.put(key, new Seen(byKey.get(key), there.getMetadata().getResourceVersion()));
      }
    }
    cache.inPlace.keySet().retainAll(current.keySet());
    inventory.sort(Comparator.comparing(InventoryEntry::getKind).thenComparing(e -> String.valueOf(e.getNamespace()))
        .thenComparing(InventoryEntry::getName));
    boolean hasErrors = problems.stream().anyMatch(Problem::isError);
    return new SyncOutcome(revision, true, null, hasErrors ? "ValidationFailed" : "Succeeded", problems, inventory,
        result.applied(), result.pruned(), conflicts, null);
  }

  private static String defaultedNamespace(LoadedObject o, String namespace) {
    boolean namespaced = ProfileKinds.find(o.kind()).map(ProfileKinds.KindInfo::namespaced).orElse(false);
    if (!namespaced) {
      return null;
    }
    String own = o.resource().getMetadata().getNamespace();
    return own == null ? namespace : own;
  }

  /** Drops what is kept for a source that is gone. */
  public void forget(ProfileSource source) {
    caches.remove(source.getMetadata().getNamespace() + "/" + source.getMetadata().getName());
  }
}
