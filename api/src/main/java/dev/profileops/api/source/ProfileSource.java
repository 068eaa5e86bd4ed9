package dev.profileops.api.source;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** A profile repository the syncer follows; ProfileOps' own kind, not SPO's. */
@Group(ProfileSource.GROUP)
@Version("v1alpha1")
@Kind("ProfileSource")
@Singular("profilesource")
@Plural("profilesources")
@ShortNames("psrc")
@AdditionalPrinterColumn(name = "URL", jsonPath = ".spec.url", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Revision", jsonPath = ".status.lastAppliedRevision", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class ProfileSource extends CustomResource<ProfileSourceSpec, ProfileSourceStatus> implements Namespaced {
  public static final String GROUP = "profileops.dev";
  public static final String KIND = "ProfileSource";
  /** Set to any new value (e.g. a timestamp) to sync now. */
  public static final String ANNOTATION_REQUESTED_AT = "profileops.dev/requestedAt";
}
