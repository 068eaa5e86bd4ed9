package dev.profileops.cli.record;

import dev.profileops.api.seccomp.SeccompProfile;
import dev.profileops.recorder.RecordedProfilePublisher;
import dev.profileops.syncer.render.ObjectRenderer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** Writes a recorded profile as a YAML document, to a file (atomically) or to standard output. */
public final class YamlProfilePublisher implements RecordedProfilePublisher {
  private final Path file;
  private final PrintStream stdout;

  private YamlProfilePublisher(Path file, PrintStream stdout) {
    this.file = file;
    this.stdout = stdout;
  }

  public static YamlProfilePublisher toFile(Path file) {
    return new YamlProfilePublisher(file, null);
  }

  public static YamlProfilePublisher toStdout(PrintStream stdout) {
    return new YamlProfilePublisher(null, stdout);
  }

  @Override
  public String publish(SeccompProfile profile) throws IOException {
    String yaml = new ObjectRenderer().toYamlStream(List.of(profile));
    if (file == null) {
      stdout.print(yaml);
      stdout.flush();
      return "profile " + profile.getMetadata().getName() + " printed";
    }
    Path absolute = file.toAbsolutePath();
    Files.createDirectories(absolute.getParent());
    Path temp = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName(), ".tmp");
    try {
      Files.writeString(temp, yaml, StandardCharsets.UTF_8);
      Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
    return "profile " + profile.getMetadata().getName() + " written to " + file;
  }
}
