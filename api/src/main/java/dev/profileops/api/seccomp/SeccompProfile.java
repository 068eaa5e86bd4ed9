package dev.profileops.api.seccomp;

import dev.profileops.api.SpoApi;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** A seccomp profile, installed on nodes as OCI seccomp JSON. Cluster-scoped in v1. */
@Group(SpoApi.GROUP)
@Version(SpoApi.VERSION)
@Kind("SeccompProfile")
@Singular("seccompprofile")
@Plural("seccompprofiles")
@ShortNames("sp")
@AdditionalPrinterColumn(name = "Status", jsonPath = ".status.status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "LocalhostProfile", jsonPath = ".status.localhostProfile", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class SeccompProfile extends CustomResource<SeccompProfileSpec, SeccompProfileStatus> {
  public static final String KIND = "SeccompProfile";

  /** The path pods name in {@code localhostProfile}, relative to the kubelet's seccomp root. */
  public static String localhostProfile(String name) {
    return "operator/" + name + ".json";
  }
}
