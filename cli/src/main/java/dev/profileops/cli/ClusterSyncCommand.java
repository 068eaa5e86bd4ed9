package dev.profileops.cli;

import dev.profileops.syncer.cluster.ClusterApplier;
import dev.profileops.syncer.cluster.ClusterApplyResult;
import dev.profileops.syncer.cluster.ObjectWriter;
import dev.profileops.syncer.profilesource.Durations;
import dev.profileops.syncer.render.ObjectRenderer;
import dev.profileops.syncer.source.LoadResult;
import dev.profileops.syncer.source.LoadedObject;
import dev.profileops.syncer.source.RepositoryLoader;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Cluster mode of the syncer: fetch, validate, render, server-side apply, prune. Talks to the cluster
 * of KUBECONFIG (or the in-cluster service account).
 */
@Command(name = "syncer", description = "Sync a profile repository into a Kubernetes cluster (KUBECONFIG).")
final class ClusterSyncCommand implements Callable<Integer> {

  @Mixin
  RepositorySource repository;

  @Option(names = "--source", defaultValue = "default", description = "Name of this source; labels what it applies")
  String source;

  @Option(names = "--work-dir", defaultValue = "${java.io.tmpdir}/profileops-syncer", description = "Where clones live")
  Path workDir;

  @Option(names = "--prune", defaultValue = "true", negatable = true, description = "Delete objects that left the repository")
  boolean prune;

  @Option(names = "--apply", defaultValue = "server-side", description = "server-side (default) or replace, for API servers without server-side apply")
  String applyMode;

  @Option(names = "--once", description = "Sync once and exit")
  boolean once;

  @Option(names = "--interval", defaultValue = "60s")
  String interval;

  @Override
  public Integer call() throws Exception {
    RepositoryLoader loader = new RepositoryLoader(Syscalls.load(System.err));
    try (KubernetesClient client = new KubernetesClientBuilder().build()) {
      ObjectWriter writer = switch (applyMode) {
        case "server-side" -> ObjectWriter.serverSideApply();
        case "replace" -> ObjectWriter.createOrReplace();
        default -> throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "--apply must be server-side or replace");
      };
      ClusterApplier applier = new ClusterApplier(client, source, writer);
      while (true) {
        int code = syncOnce(loader, applier);
        if (once) {
          return code;
        }
        Thread.sleep(Durations.parse(interval, Duration.ofSeconds(60)).toMillis());
      }
    }
  }

  private int syncOnce(RepositoryLoader loader, ClusterApplier applier) {
    RepositorySource.Checkout checkout = repository.fetch(workDir.resolve(source));
    if (checkout == null) {
      return 2;
    }
    LoadResult loaded = loader.load(checkout.profiles());
    ObjectRenderer renderer = new ObjectRenderer();
    var objects = renderer.render(loaded.validObjects(), new ObjectRenderer.Stamp(source, checkout.commit()));
    Set<String> brokenFiles = new HashSet<>(loaded.filesWithErrors());
    Set<String> brokenIds = loaded.objects().stream().filter(o -> !o.valid()).map(LoadedObject::id).collect(Collectors.toSet());
    ClusterApplyResult result = applier.apply(objects, brokenFiles, brokenIds, prune);
    System.out.println("revision " + checkout.commit() + ": applied " + result.applied().size()
        + ", pruned " + result.pruned() + ", kept " + result.kept());
    loaded.problems().forEach(System.err::println);
    return loaded.hasErrors() ? 1 : 0;
  }
}
