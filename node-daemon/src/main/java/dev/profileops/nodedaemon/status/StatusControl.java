package dev.profileops.nodedaemon.status;

import dev.profileops.api.common.ProfileState;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;

/** The end of every profile reconcile on a node: patch the profile's status if it changed, look again if unsettled. */
public final class StatusControl {
  private StatusControl() {}

  /**
   * @param status the profile's status as this node computes it now
   * @param own what this node did with the profile
   * @param summary the state across every node's status
   */
  public static <S, R extends CustomResource<?, S>> UpdateControl<R> of(R profile, S status, ProfileState own,
      NodeStatusWriter.Summary summary, UnsettledRecheck unsettled) {
    String name = profile.getMetadata().getName();
    UpdateControl<R> control;
    if (Serialization.asJson(status).equals(Serialization.asJson(profile.getStatus()))) {
      control = UpdateControl.noUpdate();
    } else {
      profile.setStatus(status);
      control = UpdateControl.patchStatus(profile);
    }
    boolean settled = own != ProfileState.Error && summary.state() == own;
    if (settled) {
      unsettled.settled(name);
      return control;
    }
    return control.rescheduleAfter(unsettled.next(name));
  }
}
