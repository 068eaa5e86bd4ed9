package dev.profileops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnrichCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MKDIR = "type=SECCOMP msg=audit(1700000000.123:1): pid=999999999 comm=\"mkdir\" exe=\"/bin/busybox\" arch=c000003e syscall=83 code=0x7ffc0000";
  private static final String WRITE = "type=SECCOMP msg=audit(1700000000.123:2): pid=999999999 comm=\"sh\" exe=\"/bin/busybox\" arch=c000003e syscall=1 code=0x7ffc0000";

  @TempDir Path dir;

  @Test
  void printsTheAuditLinesOfALogFileAsJsonAndCountsMalformedOnes() throws IOException {
    Path log = Files.writeString(dir.resolve("audit.log"), String.join("\n", MKDIR, "type=SECCOMP msg=audit(1700000000.1", WRITE, MKDIR) + "\n");

    ConsoleCapture.Run run = ConsoleCapture.run("enrich", "--source", "auditd", "--log-file", log.toString(), "--node-name", "n1");

    assertThat(run.exitCode()).as(run.stderr()).isZero();
    List<JsonNode> lines = lines(run.stdout());
    assertThat(lines).extracting(line -> line.path("syscall").asText()).containsExactly("mkdir", "write", "mkdir");
    assertThat(lines.get(0).path("node").asText()).isEqualTo("n1");
    assertThat(lines.get(0).path("pod").asText()).isEmpty();
    assertThat(run.stderr()).contains("skipped 1 malformed audit lines, the last: " + log + ":2: field audit: milliseconds are not three digits");
  }

  @Test
  void dedupesIntoAFile() throws IOException {
    Path log = Files.writeString(dir.resolve("audit.log"), String.join("\n", MKDIR, WRITE, MKDIR, MKDIR) + "\n");
    Path out = dir.resolve("out.jsonl");

    ConsoleCapture.Run run = ConsoleCapture.run("enrich", "--source", "auditd", "--log-file", log.toString(), "--dedupe", "5m",
        "--output", out.toString());

    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(run.stdout()).isEmpty();
    assertThat(lines(Files.readString(out))).extracting(line -> line.path("syscall").asText()).containsExactly("mkdir", "write");
  }

  @Test
  void refusesAnUnknownSourceAndDuration() {
    assertThat(ConsoleCapture.run("enrich", "--source", "journald").stderr()).contains("unknown log source 'journald'");
    assertThat(ConsoleCapture.run("enrich", "--dedupe", "soon").stderr()).contains("not a duration: 'soon'");
  }

  private static List<JsonNode> lines(String text) throws IOException {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (!line.isBlank()) {
        lines.add(JSON.readTree(line));
      }
    }
    return lines;
  }
}
