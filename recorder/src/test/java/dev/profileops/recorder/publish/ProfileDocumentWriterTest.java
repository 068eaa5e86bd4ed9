package dev.profileops.recorder.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProfileDocumentWriterTest {
  final ProfileDocumentWriter writer = new ProfileDocumentWriter();

  @Test
  void replacesTheDocumentThatStartsOnTheLineAndKeepsSeparatorsAndComments() {
    String content = "# header\na: 1\n---\n# about b\nb: 2\nbb: 3\n# trailing note\n--- # next\nc: 3\n";

    assertThat(writer.replaceDocument("f.yaml", content, 5, "new: doc\n"))
        .isEqualTo("# header\na: 1\n---\n# about b\nnew: doc\n# trailing note\n--- # next\nc: 3\n");
    assertThat(writer.replaceDocument("f.yaml", content, 2, "first: x\n"))
        .isEqualTo("# header\nfirst: x\n---\n# about b\nb: 2\nbb: 3\n# trailing note\n--- # next\nc: 3\n");
    assertThat(writer.replaceDocument("f.yaml", content, 9, "last: y\n"))
        .isEqualTo("# header\na: 1\n---\n# about b\nb: 2\nbb: 3\n# trailing note\n--- # next\nlast: y\n");
  }

  @Test
  void aStartLineOutsideTheFileNamesFileAndLine() {
    assertThatThrownBy(() -> writer.replaceDocument("seccomp/a.yaml", "a: 1\n", 7, "x: 1\n"))
        .hasMessage("seccomp/a.yaml:7: no document starts there (the file has 1 lines)");
  }
}
