package dev.profileops.api.binding;

import dev.profileops.api.SpoApi;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** Binds a profile to the containers of new pods in its namespace. */
@Group(SpoApi.GROUP)
@Version(SpoApi.VERSION)
@Kind("ProfileBinding")
@Singular("profilebinding")
@Plural("profilebindings")
@AdditionalPrinterColumn(name = "Image", jsonPath = ".spec.image", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Profile", jsonPath = ".spec.profileRef.name", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class ProfileBinding extends CustomResource<ProfileBindingSpec, Void> implements Namespaced {
  public static final String KIND = "ProfileBinding";
}
