package dev.profileops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.profileops.testsupport.Prerequisites;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar run as an ordinary user: record says it needs root, and exits 2. */
class RecordAsUserIT {
  @TempDir
  Path tmp;

  @Test
  void withoutRootRecordSaysWhyAndExitsTwo() throws Exception {
    Path jar = Path.of("target/profileops.jar").toAbsolutePath();
    Prerequisites.require(Files.isExecutable(Path.of("/usr/bin/setpriv")) && Files.isRegularFile(jar)
        ? Optional.empty() : Optional.of("needs setpriv (util-linux) and the packaged " + jar));
    Path err = tmp.resolve("err");
    Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
    Process p = new ProcessBuilder("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
        "java", "-jar", jar.toString(), "record", "--", "true")
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile()).start();
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();

    String stderr = Files.readString(err, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(stderr).isEqualTo(2);
    assertThat(stderr).contains("libseccomp").contains("BPF recording needs root, this runs as uid 65534");
  }
}
