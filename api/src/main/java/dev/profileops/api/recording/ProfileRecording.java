package dev.profileops.api.recording;

import dev.profileops.api.SpoApi;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** Records the selected pods' containers into profiles. */
@Group(SpoApi.GROUP)
@Version(SpoApi.VERSION)
@Kind("ProfileRecording")
@Singular("profilerecording")
@Plural("profilerecordings")
@AdditionalPrinterColumn(name = "PodSelector", jsonPath = ".spec.podSelector", type = AdditionalPrinterColumn.Type.STRING, priority = 10)
@AdditionalPrinterColumn(name = "Kind", jsonPath = ".spec.kind", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Recorder", jsonPath = ".spec.recorder", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class ProfileRecording extends CustomResource<ProfileRecordingSpec, ProfileRecordingStatus> implements Namespaced {
  public static final String KIND = "ProfileRecording";
}
