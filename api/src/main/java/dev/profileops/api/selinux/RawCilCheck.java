package dev.profileops.api.selinux;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Checks a RawSelinuxProfile's CIL before it is wrapped in its own block: size, text (no NUL, no
 * undecodable bytes), balanced parentheses, and only statements that make sense inside a profile's
 * block (no policy-wide statements such as classes, sids, MLS or a nested global namespace).
 */
public final class RawCilCheck {
  public static final int MAX_LENGTH = 500_000;
  public static final Set<String> ALLOWED_STATEMENTS = Set.of(
      "allow", "allowx", "auditallow", "auditallowx", "dontaudit", "dontauditx",
      "type", "typealias", "typealiasactual", "typeattribute", "typeattributeset", "typepermissive",
      "typetransition", "typechange", "typemember", "roletype", "blockinherit", "call", "macro",
      "boolean", "booleanif", "tunable", "tunableif", "classpermission", "classpermissionset", "classmap",
      "classmapping", "permissionx");

  /** One thing wrong, at a line of the policy text (1-based). */
  public record Finding(int line, String message) {}

  private RawCilCheck() {}

  public static List<Finding> check(String policy) {
    List<Finding> findings = new ArrayList<>();
    if (policy == null || policy.isEmpty()) {
      findings.add(new Finding(1, "policy is required (1.." + MAX_LENGTH + " characters of CIL)"));
      return findings;
    }
    if (policy.length() > MAX_LENGTH) {
      findings.add(new Finding(1, "policy has " + policy.length() + " characters; at most " + MAX_LENGTH + " are allowed"));
      return findings;
    }
    int line = 1;
    int depth = 0;
    int openedAt = 0;
    boolean expectHead = false;
    for (int i = 0; i < policy.length(); i++) {
      char c = policy.charAt(i);
      if (c == '\n') {
        line++;
      } else if (c == '\0') {
        findings.add(new Finding(line, "policy contains a NUL character"));
        return findings;
      } else if (c == '\uFFFD' || (Character.isSurrogate(c) && !validSurrogate(policy, i))) {
        findings.add(new Finding(line, "policy is not valid UTF-8 text"));
        return findings;
      } else if (c == ';') {
        // A comment runs to the end of the line.
        while (i + 1 < policy.length() && policy.charAt(i + 1) != '\n') {
          i++;
        }
      } else if (c == '"') {
        int end = policy.indexOf('"', i + 1);
        if (end < 0) {
          findings.add(new Finding(line, "unterminated string"));
          return findings;
        }
        line += (int) policy.substring(i, end).chars().filter(ch -> ch == '\n').count();
        i = end;
      } else if (c == '(') {
        depth++;
        if (depth == 1) {
          openedAt = line;
          expectHead = true;
        }
      } else if (c == ')') {
        depth--;
        expectHead = false;
        if (depth < 0) {
          findings.add(new Finding(line, "unbalanced parentheses: ')' without a matching '('"));
          return findings;
        }
      } else if (expectHead && !Character.isWhitespace(c)) {
        int end = i;
        while (end < policy.length() && !Character.isWhitespace(policy.charAt(end))
            && policy.charAt(end) != '(' && policy.charAt(end) != ')') {
          end++;
        }
        String head = policy.substring(i, end);
        if (!ALLOWED_STATEMENTS.contains(head)) {
          findings.add(new Finding(line, "statement \"" + head + "\" is not allowed in a raw profile (allowed: "
              + String.join(", ", ALLOWED_STATEMENTS.stream().sorted().toList()) + ")"));
        }
        expectHead = false;
        i = end - 1;
      } else if (depth == 0 && !Character.isWhitespace(c)) {
        findings.add(new Finding(line, "text outside a statement: every statement is a parenthesized list"));
        return findings;
      }
    }
    if (depth > 0) {
      findings.add(new Finding(openedAt, "unbalanced parentheses: the statement opened here is never closed"));
    }
    return findings;
  }

  /** The raw policy inside its own block, as installed. */
  public static String wrap(String name, String policy) {
    StringBuilder cil = new StringBuilder("(block ").append(name).append('\n');
    for (String line : policy.strip().split("\n", -1)) {
      cil.append(line.isBlank() ? "" : "    " + line.stripTrailing()).append('\n');
    }
    return cil.append(")\n").toString();
  }

  private static boolean validSurrogate(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    }
    return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
  }
}
