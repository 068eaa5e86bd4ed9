package dev.profileops.nodedaemon.enricher.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuditEventAssemblerTest {
  private final List<AuditEvent> events = new ArrayList<>();
  private final ParseStats stats = new ParseStats();
  private final AuditEventAssembler assembler = new AuditEventAssembler(events::add, stats, 4, 16);

  @Test
  void readsSeccompSelinuxAndAppArmorRecordsOfAuditdWithTheirSyscallRecords() throws IOException {
    feed("audit.log");

    assertThat(stats.malformed()).as(stats.lastMalformed()).isZero();
    assertThat(events).hasSize(5);
    assertThat(events.get(0)).isEqualTo(new AuditEvent.Seccomp(1700000000123L, 101, 4242, "/bin/busybox", 0xc000003eL, 83, "SCMP_ACT_LOG"));
    AuditEvent.Selinux shadow = (AuditEvent.Selinux) events.get(1);
    assertThat(shadow.permissions()).containsExactly("read", "write");
    assertThat(shadow.executable()).as("from the SYSCALL record").isEqualTo("/bin/busybox");
    assertThat(shadow.syscall()).isEqualTo(257);
    assertThat(shadow.arch()).isEqualTo(0xc000003eL);
    assertThat(shadow.scontext()).isEqualTo("system_u:system_r:container_t:s0:c1,c2");
    assertThat(shadow.tclass()).isEqualTo("file");
    assertThat(shadow.name()).isEqualTo("shadow");
    assertThat(shadow.permissive()).isFalse();
    AuditEvent.Selinux socket = (AuditEvent.Selinux) events.get(2);
    assertThat(socket.serial()).as("interleaved with the first event, completed by its own SYSCALL").isEqualTo(104);
    assertThat(socket.executable()).as("hex-encoded exe decoded").isEqualTo("/usr/bin/nc trad");
    assertThat(socket.arch()).isEqualTo(0xc00000b7L);
    assertThat(socket.permissive()).isTrue();
    assertThat(events.get(3)).isEqualTo(new AuditEvent.AppArmor(1700000002500L, 105, 7171, "cat", "DENIED", "open",
        "k8s-nginx", "/etc/shadow", "r", "r"));
    assertThat(events.get(4)).isEqualTo(new AuditEvent.Seccomp(1700000003000L, 106, 8181, "/tmp/a.out", 0x40000003L, 5, "SCMP_ACT_KILL_PROCESS"));
  }

  @Test
  void readsKernelLogLinesWithKmsgDmesgAndSyslogPrefixes() throws IOException {
    feed("kmsg.log");
    assembler.flush();

    assertThat(stats.malformed()).as(stats.lastMalformed()).isZero();
    assertThat(stats.lines()).isEqualTo(6);
    assertThat(events).hasSize(4);
    assertThat(events.get(0)).isEqualTo(new AuditEvent.Seccomp(1795987338820L, 263, 24942, "/bin/busybox", 0xc000003eL, 83, "SCMP_ACT_KILL_PROCESS"));
    assertThat(((AuditEvent.Seccomp) events.get(1)).arch()).isEqualTo(0xc00000b7L);
    assertThat(events.get(2)).isEqualTo(new AuditEvent.AppArmor(1795987410000L, 265, 3131, "sh", "ALLOWED", "exec",
        "complain-me", "/usr/bin/id", "x", "x"));
    AuditEvent.Selinux granted = (AuditEvent.Selinux) events.get(3);
    assertThat(granted.verdict()).isEqualTo("granted");
    assertThat(granted.executable()).isEqualTo("/usr/sbin/setenforce");
    assertThat(granted.syscall()).isEqualTo(1);
  }

  @Test
  void countsAndSkipsTruncatedAndHostileLinesAndGoesOn() throws IOException {
    feed("hostile.log");
    assembler.accept("type=SECCOMP msg=audit(1.000:1): pid=1 " + "x".repeat(AuditLineParser.MAX_LINE_LENGTH), "huge");
    assembler.accept("type=SECCOMP msg=audit(1700000000.123:216): pid=78\u0000 comm=\"\u0000\" arch=c000003e syscall=1", "nul");
    assembler.flush();

    assertThat(events).as("only the well-formed lines")
        .containsExactly(new AuditEvent.Seccomp(1700000000123L, 215, 77, "/still/parsed", 0xc000003eL, 0, "SCMP_ACT_LOG"));
    // every line of the fixture but the last, the syslog line of another program and the stray text
    assertThat(stats.malformed()).isEqualTo(17 + 2);
    assertThat(stats.lastMalformed()).isEqualTo("nul: field pid: not a number: '78\u0000'");
  }

  @Test
  void namesFileLineAndFieldOfAMalformedLine() {
    assembler.accept("type=SECCOMP msg=audit(1700000000.123:202): pid=12ab arch=c000003e syscall=1", "/var/log/audit/audit.log:7");

    assertThat(stats.lastMalformed()).isEqualTo("/var/log/audit/audit.log:7: field pid: not a number: '12ab'");
  }

  @Test
  void anAvcWhoseSyscallRecordNeverComesIsEmittedOnceOtherRecordsWentBy() {
    assembler.accept("type=AVC msg=audit(1700000000.000:1): avc:  denied  { read } for  pid=9 comm=\"cat\" scontext=a tcontext=b tclass=file", "1");
    for (int i = 0; i < 16; i++) {
      assertThat(events).isEmpty();
      assembler.accept("type=SECCOMP msg=audit(1700000000.000:" + (i + 2) + "): pid=3 comm=\"c\" arch=c000003e syscall=1 code=0x7ffc0000", "x");
      events.removeIf(AuditEvent.Seccomp.class::isInstance);
    }
    assembler.accept("type=SECCOMP msg=audit(1700000000.000:99): pid=3 comm=\"c\" arch=c000003e syscall=1 code=0x7ffc0000", "x");

    List<AuditEvent> avcs = events.stream().filter(AuditEvent.Selinux.class::isInstance).toList();
    assertThat(avcs).hasSize(1);
    assertThat(((AuditEvent.Selinux) avcs.get(0)).executable()).isEqualTo("cat");
    assertThat(((AuditEvent.Selinux) avcs.get(0)).syscall()).isEqualTo(-1);
  }

  @Test
  void boundsTheAvcsWaitingForTheirSyscallRecord() {
    for (int serial = 1; serial <= 10; serial++) {
      assembler.accept("type=AVC msg=audit(1700000000.000:" + serial + "): avc:  denied  { read } for  pid=9 comm=\"cat\" scontext=a tcontext=b tclass=file", "x");
    }

    assertThat(events).as("at most 4 wait").hasSize(6);
    assertThat(events.get(0).serial()).isEqualTo(1);
  }

  private void feed(String fixture) throws IOException {
    try (InputStream in = getClass().getResourceAsStream("/enricher/" + fixture)) {
      String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
      for (int i = 0; i < lines.length; i++) {
        assembler.accept(lines[i], fixture + ":" + (i + 1));
      }
    }
  }
}
