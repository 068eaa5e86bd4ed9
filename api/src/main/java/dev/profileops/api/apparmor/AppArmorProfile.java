package dev.profileops.api.apparmor;

import dev.profileops.api.SpoApi;
import dev.profileops.api.common.ProfileStatus;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** An AppArmor profile; cluster-scoped in v1. */
@Group(SpoApi.GROUP)
@Version(SpoApi.VERSION)
@Kind("AppArmorProfile")
@Singular("apparmorprofile")
@Plural("apparmorprofiles")
@ShortNames("aa")
@AdditionalPrinterColumn(name = "State", jsonPath = ".status.status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class AppArmorProfile extends CustomResource<AppArmorProfileSpec, ProfileStatus> {
  public static final String KIND = "AppArmorProfile";
}
