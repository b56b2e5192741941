package dev.langgraph.gateway.client;

import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts between {@code google.protobuf.Value}/{@code Struct} and plain Java objects.
 *
 * <p>Plain objects are {@code Map<String, Object>} (insertion-ordered), {@code List<Object>},
 * {@code String}, {@code Double}, {@code Boolean} and {@code null}: what a JSON parser would give.
 * Also writes them as compact JSON, and walks into them with {@link #path}.
 */
public final class Json {
  private Json() {}

  /** A Value as a plain Java object (null for an unset Value or JSON null). */
  public static Object fromValue(Value value) {
    if (value == null) {
      return null;
    }
    switch (value.getKindCase()) {
      case NUMBER_VALUE:
        return value.getNumberValue();
      case STRING_VALUE:
        return value.getStringValue();
      case BOOL_VALUE:
        return value.getBoolValue();
      case STRUCT_VALUE:
        return fromStruct(value.getStructValue());
      case LIST_VALUE:
        return fromList(value.getListValue());
      case NULL_VALUE:
      case KIND_NOT_SET:
      default:
        return null;
    }
  }

  /** A Struct as an insertion-ordered {@code Map<String, Object>}. */
  public static Map<String, Object> fromStruct(Struct struct) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (Map.Entry<String, Value> entry : struct.getFieldsMap().entrySet()) {
      map.put(entry.getKey(), fromValue(entry.getValue()));
    }
    return map;
  }

  /** A ListValue as a {@code List<Object>}. */
  public static List<Object> fromList(ListValue list) {
    List<Object> out = new ArrayList<>(list.getValuesCount());
    for (Value item : list.getValuesList()) {
      out.add(fromValue(item));
    }
    return out;
  }

  /**
   * A plain Java object as a Value: null, String, Number, Boolean, Character, Map (keys become
   * strings), Iterable, arrays, and Value/Struct/ListValue as they are.
   *
   * @throws IllegalArgumentException for NaN, infinities and other types (JSON has no such values)
   */
  public static Value toValue(Object object) {
    if (object == null) {
      return Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build();
    }
    if (object instanceof Value) {
      return (Value) object;
    }
    if (object instanceof Struct) {
      return Value.newBuilder().setStructValue((Struct) object).build();
    }
    if (object instanceof ListValue) {
      return Value.newBuilder().setListValue((ListValue) object).build();
    }
    if (object instanceof CharSequence || object instanceof Character) {
      return Value.newBuilder().setStringValue(object.toString()).build();
    }
    if (object instanceof Boolean) {
      return Value.newBuilder().setBoolValue((Boolean) object).build();
    }
    if (object instanceof Number) {
      double number = ((Number) object).doubleValue();
      if (Double.isNaN(number) || Double.isInfinite(number)) {
        throw new IllegalArgumentException("JSON has no " + number);
      }
      return Value.newBuilder().setNumberValue(number).build();
    }
    if (object instanceof Map) {
      return Value.newBuilder().setStructValue(toStruct((Map<?, ?>) object)).build();
    }
    if (object instanceof Iterable) {
      ListValue.Builder list = ListValue.newBuilder();
      for (Object item : (Iterable<?>) object) {
        list.addValues(toValue(item));
      }
      return Value.newBuilder().setListValue(list).build();
    }
    if (object instanceof Object[]) {
      return toValue(Arrays.asList((Object[]) object));
    }
    throw new IllegalArgumentException("not a JSON value: " + object.getClass().getName());
  }

  /** A Map as a Struct (keys become strings). */
  public static Struct toStruct(Map<?, ?> map) {
    Struct.Builder struct = Struct.newBuilder();
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      struct.putFields(String.valueOf(entry.getKey()), toValue(entry.getValue()));
    }
    return struct.build();
  }

  /**
   * Walks into a plain object: a String key for a map, an Integer index for a list. Answers null
   * when a step is missing, e.g. {@code Json.path(data, "echo", "messages", 0, "content")}.
   */
  public static Object path(Object root, Object... steps) {
    Object current = root;
    for (Object step : steps) {
      if (current instanceof Map && step instanceof String) {
        current = ((Map<?, ?>) current).get(step);
      } else if (current instanceof List && step instanceof Integer) {
        List<?> list = (List<?>) current;
        int index = (Integer) step;
        current = index >= 0 && index < list.size() ? list.get(index) : null;
      } else {
        return null;
      }
    }
    return current;
  }

  /** Compact JSON for a plain object (or a Value); integral numbers print without ".0". */
  public static String stringify(Object object) {
    StringBuilder out = new StringBuilder();
    write(out, object instanceof Value ? fromValue((Value) object) : object);
    return out.toString();
  }

  private static void write(StringBuilder out, Object object) {
    if (object == null) {
      out.append("null");
    } else if (object instanceof Boolean) {
      out.append(object);
    } else if (object instanceof Number) {
      double number = ((Number) object).doubleValue();
      if (number == Math.rint(number) && Math.abs(number) < 1e15) {
        out.append((long) number);
      } else {
        out.append(number);
      }
    } else if (object instanceof Map) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> entry : ((Map<?, ?>) object).entrySet()) {
        if (!first) {
          out.append(',');
        }
        first = false;
        writeString(out, String.valueOf(entry.getKey()));
        out.append(':');
        write(out, entry.getValue());
      }
      out.append('}');
    } else if (object instanceof Iterable) {
      out.append('[');
      boolean first = true;
      for (Object item : (Iterable<?>) object) {
        if (!first) {
          out.append(',');
        }
        first = false;
        write(out, item);
      }
      out.append(']');
    } else {
      writeString(out, object.toString());
    }
  }

  private static void writeString(StringBuilder out, String text) {
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"':
          out.append("\\\"");
          break;
        case '\\':
          out.append("\\\\");
          break;
        case '\n':
          out.append("\\n");
          break;
        case '\r':
          out.append("\\r");
          break;
        case '\t':
          out.append("\\t");
          break;
        default:
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
      }
    }
    out.append('"');
  }

  static List<String> unmodifiable(List<String> list) {
    return Collections.unmodifiableList(new ArrayList<>(list));
  }
}
