package dev.profileops.cli;

import dev.profileops.api.daemon.DaemonSpec;
import dev.profileops.api.daemon.SecurityProfilesOperatorDaemon;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands every new spec of the {@code spod} in a namespace to the settings that a component switches
 * at run time (log verbosity, profiling), so that changing the config needs no restart. A deleted spod
 * hands over an empty spec: the defaults again.
 */
final class DaemonConfigWatch implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DaemonConfigWatch.class);
  private final SharedIndexInformer<SecurityProfilesOperatorDaemon> informer;

  private DaemonConfigWatch(SharedIndexInformer<SecurityProfilesOperatorDaemon> informer) {
    this.informer = informer;
  }

  static DaemonConfigWatch start(KubernetesClient client, String namespace, List<Consumer<DaemonSpec>> settings) {
    SharedIndexInformer<SecurityProfilesOperatorDaemon> informer = client.resources(SecurityProfilesOperatorDaemon.class)
        .inNamespace(namespace).withName(SecurityProfilesOperatorDaemon.SINGLETON_NAME)
        .inform(new ResourceEventHandler<>() {
          @Override
          public void onAdd(SecurityProfilesOperatorDaemon daemon) {
            apply(daemon.getSpec());
          }

          @Override
          public void onUpdate(SecurityProfilesOperatorDaemon before, SecurityProfilesOperatorDaemon after) {
            apply(after.getSpec());
          }

          @Override
          public void onDelete(SecurityProfilesOperatorDaemon daemon, boolean unknownFinalState) {
            apply(new DaemonSpec());
          }

          private void apply(DaemonSpec spec) {
            for (Consumer<DaemonSpec> setting : settings) {
              try {
                setting.accept(spec == null ? new DaemonSpec() : spec);
              } catch (RuntimeException e) {
                LOG.warn("SecurityProfilesOperatorDaemon {}/{}: {}", namespace, SecurityProfilesOperatorDaemon.SINGLETON_NAME, e.getMessage());
              }
            }
          }
        });
    return new DaemonConfigWatch(informer);
  }

  @Override
  public void close() {
    informer.close();
  }
}
