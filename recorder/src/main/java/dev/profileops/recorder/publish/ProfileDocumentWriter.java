package dev.profileops.recorder.publish;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.profileops.api.seccomp.SeccompProfile;
import dev.profileops.syncer.render.ObjectRenderer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Writes a recorded profile into a repository file: a whole new file, one document of a multi-document
 * YAML file (the others, their comments and separators left as they were), or a plain OCI seccomp JSON
 * file (the spec only, as such files hold).
 */
public final class ProfileDocumentWriter {
  private static final Pattern SEPARATOR = Pattern.compile("^(---|\\.\\.\\.)(\\s.*)?$");
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
      .build();

  private final ObjectRenderer renderer = new ObjectRenderer();

  /** The profile as one YAML document (apiVersion, kind, metadata, spec), without a leading separator. */
  public String yaml(HasMetadata profile) {
    String stream = renderer.toYamlStream(List.of(profile));
    return stream.startsWith("---\n") ? stream.substring(4) : stream;
  }

  /** The profile's spec as an OCI seccomp JSON file, for repositories that keep those. */
  public String ociJson(SeccompProfile profile) {
    ObjectNode tree = ObjectRenderer.toTree(profile);
    try {
      return JSON.writeValueAsString(tree.get("spec")) + "\n";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * {@code content} with the document that starts at {@code startLine} (1-based, as the repository
   * reader reports it) replaced by {@code document}. Comment lines before and after that document stay.
   *
   * @throws IllegalArgumentException when no document holds that line
   */
  public String replaceDocument(String file, String content, int startLine, String document) {
    List<String> lines = content.lines().toList();
    if (startLine < 1 || startLine > lines.size()) {
      throw new IllegalArgumentException(file + ":" + startLine + ": no document starts there (the file has "
          + lines.size() + " lines)");
    }
    // The document runs from the line after the separator before startLine to the line before the next one.
    int index = startLine - 1;
    int from = SEPARATOR.matcher(lines.get(index)).matches() ? index + 1 : index;
    while (from > 0 && !SEPARATOR.matcher(lines.get(from - 1)).matches()) {
      from--;
    }
    int to = Math.max(from, index);
    while (to < lines.size() && !SEPARATOR.matcher(lines.get(to)).matches()) {
      to++;
    }
    // Keep the comments and blank lines around the document (a file header, a note on the next one).
    while (from < to && isCommentOrBlank(lines.get(from))) {
      from++;
    }
    while (to > from && isCommentOrBlank(lines.get(to - 1))) {
      to--;
    }
    List<String> out = new ArrayList<>(lines.subList(0, from));
    out.addAll(document.lines().toList());
    if (to < lines.size()) {
      out.addAll(lines.subList(to, lines.size()));
    }
    return String.join("\n", out) + "\n";
  }

  private static boolean isCommentOrBlank(String line) {
    String s = line.strip();
    return s.isEmpty() || s.startsWith("#");
  }
}
