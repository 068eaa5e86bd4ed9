package dev.profileops.integrations.argocd;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LoadState;
import org.luaj.vm2.LuaInteger;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.compiler.LuaC;
import org.luaj.vm2.lib.PackageLib;
import org.luaj.vm2.lib.TableLib;
import org.luaj.vm2.lib.jse.JseBaseLib;

/**
 * Runs an Argo CD health script the way Argo CD does: the object as the global {@code obj} (maps as
 * tables, lists as 1-based tables), only the base, package and table libraries open (Argo CD leaves the
 * string, io and os libraries closed unless an admin opens them), and the table the chunk returns read
 * as {@code {status, message}}.
 */
final class HealthScript {
  /** The health codes Argo CD accepts from a script; any other becomes Unknown "invalid health status". */
  static final Set<String> VALID_STATUSES = Set.of("Healthy", "Progressing", "Degraded", "Suspended", "Missing", "Unknown");

  record Health(String status, String message) {}

  private final String name;
  private final String source;

  HealthScript(Path file) {
    this(file.getFileName().toString(), Files.read(file));
  }

  HealthScript(String name, String source) {
    this.name = name;
    this.source = source;
  }

  Health run(String objectYaml) {
    return run(Files.yaml(objectYaml));
  }

  Health run(JsonNode object) {
    Globals globals = sandbox();
    globals.set("obj", toLua(object));
    LuaValue result = globals.load(source, "@" + name).call();
    if (!result.istable()) {
      throw new AssertionError(name + " returned " + result.typename() + ", Argo CD expects a table");
    }
    LuaValue status = result.get("status");
    LuaValue message = result.get("message");
    return new Health(status.isnil() ? null : status.checkjstring(), message.isnil() ? null : message.checkjstring());
  }

  static Globals sandbox() {
    Globals globals = new Globals();
    globals.load(new JseBaseLib());
    globals.load(new PackageLib());
    globals.load(new TableLib());
    LoadState.install(globals);
    LuaC.install(globals);
    return globals;
  }

  static LuaValue toLua(JsonNode node) {
    if (node == null) {
      return LuaValue.NIL;
    }
    switch (node.getNodeType()) {
      case OBJECT -> {
        LuaTable table = new LuaTable();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> field = it.next();
          table.set(field.getKey(), toLua(field.getValue()));
        }
        return table;
      }
      case ARRAY -> {
        LuaTable table = new LuaTable();
        int index = 1;
        for (JsonNode item : node) {
          table.set(index++, toLua(item));
        }
        return table;
      }
      case STRING -> {
        return LuaValue.valueOf(node.textValue());
      }
      case NUMBER -> {
        return node.isIntegralNumber() ? LuaInteger.valueOf(node.longValue()) : LuaValue.valueOf(node.doubleValue());
      }
      case BOOLEAN -> {
        return LuaValue.valueOf(node.booleanValue());
      }
      default -> {
        return LuaValue.NIL;
      }
    }
  }
}
