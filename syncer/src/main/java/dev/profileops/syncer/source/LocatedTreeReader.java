package dev.profileops.syncer.source;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads YAML streams (many documents) or JSON into trees that remember line numbers. Jackson's
 * tree model drops token locations, so this walks the token stream itself. Duplicate keys are errors.
 */
public final class LocatedTreeReader {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private final JsonFactory yaml = YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
  private final JsonFactory json = JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  /** All documents of a YAML stream; empty documents are left out. */
  public List<LocatedDocument> readYaml(String content) throws IOException {
    return readAll(yaml.createParser(content));
  }

  public List<LocatedDocument> readJson(String content) throws IOException {
    return readAll(json.createParser(content));
  }

  private List<LocatedDocument> readAll(JsonParser parser) throws IOException {
    List<LocatedDocument> documents = new ArrayList<>();
    try (parser) {
      JsonToken token;
      while ((token = parser.nextToken()) != null) {
        Map<String, Integer> lines = new HashMap<>();
        int start = parser.currentTokenLocation().getLineNr();
        JsonNode root = readValue(parser, token, "", lines);
        if (!root.isNull() && !root.isMissingNode()) {
          documents.add(new LocatedDocument(root, lines, start));
        }
      }
    }
    return documents;
  }

  private JsonNode readValue(JsonParser p, JsonToken token, String pointer, Map<String, Integer> lines) throws IOException {
    lines.putIfAbsent(pointer, p.currentTokenLocation().getLineNr());
    switch (token) {
      case START_OBJECT -> {
        ObjectNode object = NODES.objectNode();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          String child = pointer + "/" + name.replace("~", "~0").replace("/", "~1");
          lines.put(child, p.currentTokenLocation().getLineNr());
          object.set(name, readValue(p, p.nextToken(), child, lines));
        }
        return object;
      }
      case START_ARRAY -> {
        ArrayNode array = NODES.arrayNode();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
          array.add(readValue(p, t, pointer + "/" + array.size(), lines));
        }
        return array;
      }
      case VALUE_STRING -> {
        return NODES.textNode(p.getText());
      }
      case VALUE_NUMBER_INT -> {
        return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
            ? NODES.numberNode(p.getBigIntegerValue())
            : NODES.numberNode(p.getLongValue());
      }
      case VALUE_NUMBER_FLOAT -> {
        return NODES.numberNode(p.getDecimalValue());
      }
      case VALUE_TRUE -> {
        return NODES.booleanNode(true);
      }
      case VALUE_FALSE -> {
        return NODES.booleanNode(false);
      }
      case VALUE_NULL -> {
        return NODES.nullNode();
      }
      default -> throw new IOException("unexpected token " + token + " at line " + p.currentTokenLocation().getLineNr());
    }
  }
}
