package dev.profileops.nodedaemon.selinux;

import dev.profileops.api.selinux.RawCilCheck;
import dev.profileops.api.selinux.RawSelinuxProfile;
import dev.profileops.api.selinux.RawSelinuxProfileSpec;
import dev.profileops.nodedaemon.FeatureGates;
import dev.profileops.nodedaemon.status.NodeStatusWriter;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.time.Clock;
import java.util.stream.Collectors;

/** RawSelinuxProfiles: the CIL is checked again here and wrapped in a block of the profile's name. */
public final class RawSelinuxProfileReconciler extends SelinuxPolicyReconciler<RawSelinuxProfile, RawSelinuxProfileSpec> {
  public RawSelinuxProfileReconciler(SelinuxPolicyInstaller installer, NodeStatusWriter nodeStatus, FeatureGates gates) {
    super(installer, nodeStatus, gates, Clock.systemUTC());
  }

  @Override
  protected String translate(RawSelinuxProfile profile, Context<RawSelinuxProfile> context) {
    var findings = RawCilCheck.check(profile.getSpec().getPolicy());
    if (!findings.isEmpty()) {
      throw new IllegalArgumentException(findings.stream()
          .map(f -> "policy line " + f.line() + ": " + f.message())
          .collect(Collectors.joining("; ")));
    }
    dev.profileops.api.selinux.SelinuxPolicyRules.nameProblem(profile.getMetadata().getName()).ifPresent(p -> {
      throw new IllegalArgumentException(p);
    });
    return RawCilCheck.wrap(profile.getMetadata().getName(), profile.getSpec().getPolicy());
  }
}
