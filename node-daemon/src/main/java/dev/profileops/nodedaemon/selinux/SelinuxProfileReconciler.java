package dev.profileops.nodedaemon.selinux;

import dev.profileops.api.selinux.SelinuxProfile;
import dev.profileops.api.selinux.SelinuxProfileSpec;
import dev.profileops.nodedaemon.FeatureGates;
import dev.profileops.nodedaemon.status.NodeStatusWriter;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;

/** SelinuxProfiles: translated with {@link SelinuxCil}, parents looked up in the controller's cache. */
public final class SelinuxProfileReconciler extends SelinuxPolicyReconciler<SelinuxProfile, SelinuxProfileSpec> {
  public SelinuxProfileReconciler(SelinuxPolicyInstaller installer, NodeStatusWriter nodeStatus, FeatureGates gates) {
    super(installer, nodeStatus, gates, Clock.systemUTC());
  }

  @Override
  protected String translate(SelinuxProfile profile, Context<SelinuxProfile> context) {
    SelinuxCil cil = new SelinuxCil(parent -> context.getPrimaryCache().get(new ResourceID(parent))
        .filter(p -> !p.isMarkedForDeletion())
        .map(SelinuxProfile::getSpec)
        .orElse(null));
    return cil.translate(profile.getMetadata().getName(), profile.getSpec());
  }
}
