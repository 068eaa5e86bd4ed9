package dev.profileops.nodedaemon.apparmor;

import dev.profileops.api.SpoApi;
import dev.profileops.api.apparmor.AppArmorProfile;
import dev.profileops.api.common.Condition;
import dev.profileops.api.common.ProfileState;
import dev.profileops.api.common.ProfileStatus;
import dev.profileops.nodedaemon.FeatureGates;
import dev.profileops.nodedaemon.status.NodeStatusWriter;
import dev.profileops.nodedaemon.status.ReadyCondition;
import dev.profileops.nodedaemon.status.StatusControl;
import dev.profileops.nodedaemon.status.UnsettledRecheck;
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
 * Installs AppArmorProfiles on this node through {@link AppArmorProfileInstaller}. A node whose
 * kernel has no AppArmor gets the profile compiled and written, and reports Error with the reason it
 * could not be loaded: a pod asking for that profile would not be confined there.
 */
public final class AppArmorProfileReconciler implements Reconciler<AppArmorProfile>, Cleaner<AppArmorProfile> {
  private final UnsettledRecheck unsettled = new UnsettledRecheck();
  private static final Logger log = LoggerFactory.getLogger(AppArmorProfileReconciler.class);

  private final AppArmorProfileInstaller installer;
  private final NodeStatusWriter nodeStatus;
  private final FeatureGates gates;
  private final Clock clock;

  public AppArmorProfileReconciler(AppArmorProfileInstaller installer, NodeStatusWriter nodeStatus, FeatureGates gates) {
    this(installer, nodeStatus, gates, Clock.systemUTC());
  }

  public AppArmorProfileReconciler(AppArmorProfileInstaller installer, NodeStatusWriter nodeStatus, FeatureGates gates, Clock clock) {
    this.installer = installer;
    this.nodeStatus = nodeStatus;
    this.gates = gates;
    this.clock = clock;
  }

  @Override
  public UpdateControl<AppArmorProfile> reconcile(AppArmorProfile profile, Context<AppArmorProfile> context) {
    Outcome outcome = installOrRemove(profile);
    NodeStatusWriter.Summary summary = nodeStatus.writeAndSummarize(profile, outcome.state(), outcome.message());
    ProfileStatus status = new ProfileStatus();
    status.setStatus(summary.state());
    List<Condition> conditions = profile.getStatus() == null ? List.of() : profile.getStatus().getConditions();
    status.setConditions(ReadyCondition.apply(conditions, summary.state(), summary.message(), clock.instant()));
    return StatusControl.of(profile, status, outcome.state(), summary, unsettled);
  }

  @Override
  public DeleteControl cleanup(AppArmorProfile profile, Context<AppArmorProfile> context) throws IOException {
    String name = profile.getMetadata().getName();
    if (dev.profileops.api.apparmor.AppArmorRules.nameProblem(name).isEmpty() && installer.remove(name)) {
      log.info("Removed AppArmor profile {} from this node", name);
    }
    nodeStatus.delete(AppArmorProfile.KIND, name);
    return DeleteControl.defaultDelete();
  }

  private record Outcome(ProfileState state, String message) {}

  private Outcome installOrRemove(AppArmorProfile profile) {
    String name = profile.getMetadata().getName();
    if (!gates.appArmorEnabled()) {
      return new Outcome(ProfileState.Error, "AppArmor profiles are disabled on this node: " + gates.howToEnable("enableAppArmor"));
    }
    try {
      if (profile.getSpec() == null) {
        return new Outcome(ProfileState.Error, "the profile has no spec");
      }
      if (!profile.getSpec().enabled() || SpoApi.isPartial(profile)) {
        installer.remove(name);
        return profile.getSpec().enabled()
            ? new Outcome(ProfileState.Partial, "partial recording: merge it into a full profile to install it")
            : new Outcome(ProfileState.Disabled, null);
      }
      String text = AppArmorProfileText.render(name, profile.getSpec());
      AppArmorProfileInstaller.Result result = installer.install(name, text);
      return switch (result.state()) {
        case Loaded -> new Outcome(ProfileState.Installed, null);
        case CompiledNotLoaded, Failed -> new Outcome(ProfileState.Error, result.message());
      };
    } catch (IllegalArgumentException e) {
      return new Outcome(ProfileState.Error, e.getMessage());
    } catch (IOException e) {
      return new Outcome(ProfileState.Error, "cannot write the profile: " + e);
    }
  }
}
