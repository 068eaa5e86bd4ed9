package dev.profileops.nodedaemon.recording;

import static org.assertj.core.api.Assertions.assertThat;

import dev.profileops.nodedaemon.enricher.parse.AuditEvent;
import dev.profileops.nodedaemon.enricher.parse.AuditEventAssembler;
import dev.profileops.nodedaemon.enricher.parse.ParseStats;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordedSelinuxAllowTest {
  @Test
  void turnsTheRecordedWorkloadsAvcsIntoAnAllowMapWithSelf() {
    RecordedSelinuxAllow recorded = new RecordedSelinuxAllow();
    AuditEventAssembler assembler = new AuditEventAssembler(event -> recorded.add((AuditEvent.Selinux) event), new ParseStats());
    for (String line : List.of(
        "type=AVC msg=audit(1700000000.000:1): avc:  denied  { write read } for  pid=7 comm=\"app\" name=\"data\" scontext=system_u:system_r:selinuxrecording.process:s0:c1,c2 tcontext=system_u:object_r:var_lib_t:s0 tclass=file permissive=1",
        "type=AVC msg=audit(1700000000.000:2): avc:  denied  { open read } for  pid=7 comm=\"app\" scontext=system_u:system_r:selinuxrecording.process:s0:c1,c2 tcontext=system_u:object_r:var_lib_t:s0 tclass=file permissive=1",
        "type=AVC msg=audit(1700000000.000:3): avc:  denied  { signal } for  pid=7 comm=\"app\" scontext=system_u:system_r:selinuxrecording.process:s0:c1,c2 tcontext=system_u:system_r:selinuxrecording.process:s0:c1,c2 tclass=process permissive=1",
        "type=AVC msg=audit(1700000000.000:4): avc:  denied  { read } for  pid=9 comm=\"other\" scontext=system_u:system_r:container_t:s0:c3 tcontext=system_u:object_r:etc_t:s0 tclass=file permissive=0")) {
      assembler.accept(line, "fixture");
    }
    assembler.flush();

    assertThat(recorded.allow()).isEqualTo(Map.of(
        "@self", Map.of("process", List.of("signal")),
        "var_lib_t", Map.of("file", List.of("open", "read", "write"))));
  }
}
