package dev.profileops.syncer.source;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * One YAML (or JSON) document as a tree, with the line each value starts on, keyed by JSON pointer
 * ({@code /spec/syscalls/0/action}), so a problem found later can name its line.
 */
public record LocatedDocument(JsonNode root, Map<String, Integer> lines, int startLine) {

  /** The line of the pointer, or of its nearest ancestor that has one. */
  public int lineOf(String pointer) {
    String p = pointer;
    while (true) {
      Integer line = lines.get(p);
      if (line != null) {
        return line;
      }
      int slash = p.lastIndexOf('/');
      if (slash <= 0) {
        return startLine;
      }
      p = p.substring(0, slash);
    }
  }

  /** {@code /spec/syscalls/0/action} as {@code spec.syscalls[0].action}, the way kubectl names fields. */
  public static String fieldOf(String pointer) {
    StringBuilder field = new StringBuilder();
    for (String segment : pointer.split("/")) {
      if (segment.isEmpty()) {
        continue;
      }
      String s = segment.replace("~1", "/").replace("~0", "~");
      if (s.chars().allMatch(Character::isDigit)) {
        field.append('[').append(s).append(']');
      } else {
        if (field.length() > 0) {
          field.append('.');
        }
        field.append(s);
      }
    }
    return field.toString();
  }
}
