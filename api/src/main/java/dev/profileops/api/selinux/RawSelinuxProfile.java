package dev.profileops.api.selinux;

import dev.profileops.api.SpoApi;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** An SELinux policy given as raw CIL; cluster-scoped in v1. */
@Group(SpoApi.GROUP)
@Version(SpoApi.VERSION)
@Kind("RawSelinuxProfile")
@Singular("rawselinuxprofile")
@Plural("rawselinuxprofiles")
@ShortNames("rawselinuxp")
@AdditionalPrinterColumn(name = "Usage", jsonPath = ".status.usage", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "State", jsonPath = ".status.status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class RawSelinuxProfile extends CustomResource<RawSelinuxProfileSpec, SelinuxProfileStatus> {
  public static final String KIND = "RawSelinuxProfile";
}
