package dev.profileops.nodedaemon.selinux;

import dev.profileops.api.SpoApi;
import dev.profileops.api.common.Condition;
import dev.profileops.api.common.ProfileSpec;
import dev.profileops.api.common.ProfileState;
import dev.profileops.api.selinux.SelinuxPolicyRules;
import dev.profileops.api.selinux.SelinuxProfileStatus;
import dev.profileops.nodedaemon.FeatureGates;
import dev.profileops.nodedaemon.status.NodeStatusWriter;
import dev.profileops.nodedaemon.status.ReadyCondition;
import dev.profileops.nodedaemon.status.StatusControl;
import dev.profileops.nodedaemon.status.UnsettledRecheck;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs one SELinux profile kind on this node as a CIL module through the shared
 * {@link SelinuxPolicyInstaller} (so the modules of concurrent reconciles share a transaction), keeps
 * this node's SecurityProfileNodeStatus, and writes the profile's status with the aggregate state
 * and the usage string pods put in {@code seLinuxOptions.type}. The subclasses say how a profile
 * becomes CIL.
 */
// R comes first: JOSDK takes the resource class from the first type argument of the superclass.
public abstract class SelinuxPolicyReconciler<R extends CustomResource<S, SelinuxProfileStatus>, S extends ProfileSpec>
    implements Reconciler<R>, Cleaner<R> {
  private final UnsettledRecheck unsettled = new UnsettledRecheck();
  private static final Logger log = LoggerFactory.getLogger(SelinuxPolicyReconciler.class);

  private final SelinuxPolicyInstaller installer;
  private final NodeStatusWriter nodeStatus;
  private final FeatureGates gates;
  private final Clock clock;

  protected SelinuxPolicyReconciler(SelinuxPolicyInstaller installer, NodeStatusWriter nodeStatus, FeatureGates gates, Clock clock) {
    this.installer = installer;
    this.nodeStatus = nodeStatus;
    this.gates = gates;
    this.clock = clock;
  }

  /** The profile's CIL module text; IllegalArgumentException says why there is none. */
  protected abstract String translate(R profile, Context<R> context);

  @Override
  public UpdateControl<R> reconcile(R profile, Context<R> context) {
    String name = profile.getMetadata().getName();
    Outcome outcome = installOrRemove(profile, context);
    NodeStatusWriter.Summary summary = nodeStatus.writeAndSummarize(profile, outcome.state(), outcome.message());
    SelinuxProfileStatus status = new SelinuxProfileStatus();
    status.setStatus(summary.state());
    if (outcome.state() != ProfileState.Disabled && outcome.state() != ProfileState.Partial) {
      status.setUsage(SelinuxPolicyRules.usage(name));
    }
    List<Condition> conditions = profile.getStatus() == null ? List.of() : profile.getStatus().getConditions();
    status.setConditions(ReadyCondition.apply(conditions, summary.state(), summary.message(), clock.instant()));
    return StatusControl.of(profile, status, outcome.state(), summary, unsettled);
  }

  @Override
  public DeleteControl cleanup(R profile, Context<R> context) throws IOException {
    String name = profile.getMetadata().getName();
    if (SelinuxPolicyRules.nameProblem(name).isEmpty() && installer.store().available()) {
      // A module others still inherit cannot go: semodule fails, JOSDK retries, the finalizer stays meanwhile.
      if (installer.remove(List.of(name))) {
        log.info("Removed SELinux module {} from this node", name);
      }
    }
    nodeStatus.delete(profile.getKind(), name);
    return DeleteControl.defaultDelete();
  }

  private record Outcome(ProfileState state, String message) {}

  private Outcome installOrRemove(R profile, Context<R> context) {
    String name = profile.getMetadata().getName();
    if (!gates.selinuxEnabled()) {
      return new Outcome(ProfileState.Error, "SELinux profiles are disabled on this node: " + gates.howToEnable("selinux.enable"));
    }
    if (!installer.store().available()) {
      return new Outcome(ProfileState.Error, "no SELinux policy store on this node: " + installer.store().unavailableReason());
    }
    try {
      if (profile.getSpec() == null) {
        return new Outcome(ProfileState.Error, "the profile has no spec");
      }
      if (!profile.getSpec().enabled()) {
        installer.remove(List.of(name));
        return new Outcome(ProfileState.Disabled, null);
      }
      if (SpoApi.isPartial(profile)) {
        installer.remove(List.of(name));
        return new Outcome(ProfileState.Partial, "partial recording: merge it into a full profile to install it");
      }
      installer.ensureBasePolicies();
      String cil = translate(profile, context);
      SelinuxPolicyInstaller.ModuleResult result = installer.install(name, cil);
      if (!result.installed()) {
        log.warn("SELinux profile {} is not installed: {}", name, result.error());
        return new Outcome(ProfileState.Error, "the policy does not build: " + result.error());
      }
      if (result.changed()) {
        log.info("Installed SELinux module {}", name);
      }
      return new Outcome(ProfileState.Installed, null);
    } catch (IllegalArgumentException e) {
      return new Outcome(ProfileState.Error, e.getMessage());
    } catch (IOException e) {
      return new Outcome(ProfileState.Error, "the policy store failed: " + e.getMessage());
    }
  }
}
