package dev.profileops.syncer.source;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.profileops.syncer.validate.Problem;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Binds a located tree to a resource class, collecting every unknown field and bad enum value as a
 * problem with its line instead of stopping at the first.
 */
public final class ResourceBinder {
  private final ObjectMapper mapper = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
      .disable(DeserializationFeature.FAIL_ON_IGNORED_PROPERTIES)
      .addHandler(new CollectingHandler())
      .build();

  /** The bound object (null when binding failed outright) and the problems found. */
  public record Bound<T>(T value, List<Problem> problems) {}

  public <T> Bound<T> bind(JsonNode node, String basePointer, Class<T> type, LocatedDocument doc, String file) {
    List<Problem> problems = new ArrayList<>();
    // One mapper for all files (its deserializer caches are what make binding fast); the
    // per-document context travels as a reader attribute.
    ObjectReader reader = mapper.readerFor(type).withAttribute(Context.class, new Context(problems, doc, file, basePointer));
    try {
      return new Bound<>(reader.readValue(node), problems);
    } catch (JsonMappingException e) {
      String pointer = basePointer + pointerOf(e);
      problems.add(Problem.error(file, doc.lineOf(pointer), LocatedDocument.fieldOf(pointer), cleanMessage(e)));
      return new Bound<>(null, problems);
    } catch (IOException e) {
      problems.add(Problem.error(file, doc.startLine(), "", e.getMessage()));
      return new Bound<>(null, problems);
    }
  }

  private record Context(List<Problem> problems, LocatedDocument doc, String file, String basePointer) {}

  private static String pointerOf(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      sb.append('/').append(ref.getFieldName() != null ? ref.getFieldName() : String.valueOf(ref.getIndex()));
    }
    return sb.toString();
  }

  private static String cleanMessage(JsonMappingException e) {
    String message = e.getOriginalMessage();
    int cut = message.indexOf(" (for ");
    return cut > 0 ? message.substring(0, cut) : message;
  }

  /** Records unknown fields and bad enum values, then lets binding go on. */
  private static final class CollectingHandler extends DeserializationProblemHandler {

    @Override
    public boolean handleUnknownProperty(DeserializationContext ctxt, JsonParser p, JsonDeserializer<?> deserializer,
        Object beanOrClass, String propertyName) throws IOException {
      Context c = (Context) ctxt.getAttribute(Context.class);
      String pointer = c.basePointer() + p.getParsingContext().pathAsPointer().toString();
      if (!pointer.endsWith("/" + propertyName)) {
        pointer = pointer + "/" + propertyName;
      }
      c.problems().add(Problem.error(c.file(), c.doc().lineOf(pointer), LocatedDocument.fieldOf(pointer), "unknown field"));
      p.skipChildren();
      return true;
    }

    @Override
    public Object handleWeirdStringValue(DeserializationContext ctxt, Class<?> targetType, String value,
        String failureMsg) throws IOException {
      if (!targetType.isEnum()) {
        return DeserializationProblemHandler.NOT_HANDLED;
      }
      Context c = (Context) ctxt.getAttribute(Context.class);
      String pointer = c.basePointer() + ctxt.getParser().getParsingContext().pathAsPointer().toString();
      String allowed = Arrays.stream(targetType.getEnumConstants()).map(Object::toString).collect(Collectors.joining(", "));
      c.problems().add(Problem.error(c.file(), c.doc().lineOf(pointer), LocatedDocument.fieldOf(pointer),
          "unknown value \"" + value + "\"; expected one of " + allowed));
      return null;
    }
  }
}
