package dev.profileops.api.daemon;

import dev.profileops.api.SpoApi;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** The singleton daemon configuration, named {@code spod}. */
@Group(SpoApi.GROUP)
@Version(SpoApi.VERSION)
@Kind("SecurityProfilesOperatorDaemon")
@Singular("securityprofilesoperatordaemon")
@Plural("securityprofilesoperatordaemons")
@ShortNames("spod")
@AdditionalPrinterColumn(name = "State", jsonPath = ".status.state", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class SecurityProfilesOperatorDaemon extends CustomResource<DaemonSpec, DaemonStatus> implements Namespaced {
  public static final String KIND = "SecurityProfilesOperatorDaemon";
  public static final String SINGLETON_NAME = "spod";
}
