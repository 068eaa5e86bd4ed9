package dev.profileops.syncer.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.stream.Stream;

/** The objects of our kinds that carry a source label, whichever source: what is there to compare with. */
@FunctionalInterface
public interface ClusterState {
  Stream<HasMetadata> labelled();
}
