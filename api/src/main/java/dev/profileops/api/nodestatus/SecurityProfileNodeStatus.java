package dev.profileops.api.nodestatus;

import dev.profileops.api.SpoApi;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * One profile's state on one node, named {@code <profile>-<node>}. SPO keeps nodeName and status at the
 * top level; here they sit in spec and status so the status subresource works, and the SPO labels
 * carry the same facts for selectors.
 */
@Group(SpoApi.GROUP)
@Version(SpoApi.VERSION)
@Kind("SecurityProfileNodeStatus")
@Singular("securityprofilenodestatus")
@Plural("securityprofilenodestatuses")
@ShortNames("spns")
@AdditionalPrinterColumn(name = "Status", jsonPath = ".status.status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Node", jsonPath = ".spec.nodeName", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class SecurityProfileNodeStatus extends CustomResource<NodeStatusSpec, NodeStatusStatus> {
  public static final String KIND = "SecurityProfileNodeStatus";

  public static String nameFor(String profile, String node) {
    return profile + "-" + node;
  }
}
