package org.subsidyledger.api.kafka;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.subsidyledger.core.shared.Money;

/**
 * The shape of an event's JSON, flattened to {@code path → type}, computed two ways: from the event record (what
 * Jackson writes) and from its JSON Schema (what the contract promises). The contract test requires both to be
 * equal, and every published shape to survive in later schemas of the same version.
 *
 * <p>Paths: {@code faceValue.amount}; {@code schedule[].month} for array items; {@code rules<VoucherSettings>.payee} for
 * the alternatives of a polymorphic property. Types: {@code string}, {@code integer}, {@code number}, {@code boolean},
 * {@code object}, {@code array}, {@code oneOf}, {@code enum[A,B]}; a trailing {@code ?} marks a property the schema
 * allows to be null (records cannot say, so the record side has none, except that primitives must never be null).
 */
final class EventShapes {
    private EventShapes() {}

    // ---------------------------------------------------------------- records

    /** Paths of the record's JSON with their types (no nullability). */
    static Map<String, String> ofRecord(Class<?> record) {
        Map<String, String> shape = new TreeMap<>();
        recordProperties(record, "", shape, new TreeSet<>());
        return shape;
    }

    /** Paths the record holds as Java primitives: they are never null, so the schema must not allow null. */
    static Set<String> primitivesOf(Class<?> record) {
        Set<String> primitives = new TreeSet<>();
        recordProperties(record, "", new TreeMap<>(), primitives);
        return primitives;
    }

    private static void recordProperties(
            Class<?> record, String prefix, Map<String, String> into, Set<String> primitives) {
        for (RecordComponent component : record.getRecordComponents()) {
            String path = prefix + component.getName();
            if (component.getType().isPrimitive()) {
                primitives.add(path);
            }
            JsonSubTypes subtypes = component.getAccessor().getAnnotation(JsonSubTypes.class);
            if (subtypes != null) {
                into.put(path, "oneOf");
                for (JsonSubTypes.Type subtype : subtypes.value()) {
                    recordProperties(
                            subtype.value(), path + "<" + subtype.value().getSimpleName() + ">.", into, primitives);
                }
                continue;
            }
            javaType(component.getGenericType(), path, into, primitives);
        }
    }

    private static void javaType(Type type, String path, Map<String, String> into, Set<String> primitives) {
        if (type instanceof ParameterizedType parameterized
                && parameterized.getRawType() instanceof Class<?> raw
                && Collection.class.isAssignableFrom(raw)) {
            into.put(path, "array");
            javaType(parameterized.getActualTypeArguments()[0], path + "[]", into, primitives);
            return;
        }
        if (!(type instanceof Class<?> c)) {
            throw new AssertionError("No JSON shape known for " + type + " at " + path);
        }
        if (c == Money.class) {
            // Money writes itself as {"amount": "8000000.00", "currency": "CNY"} (@JsonValue of a map)
            into.put(path, "object");
            into.put(path + ".amount", "string");
            into.put(path + ".currency", "enum[CNY,USD]");
        } else if (c == String.class || c == Instant.class || c == YearMonth.class || c == LocalDate.class) {
            into.put(path, "string");
        } else if (c == int.class || c == Integer.class || c == long.class || c == Long.class) {
            into.put(path, "integer");
        } else if (c == BigDecimal.class) {
            into.put(path, "number");
        } else if (c == boolean.class || c == Boolean.class) {
            into.put(path, "boolean");
        } else if (c.isEnum()) {
            into.put(
                    path,
                    "enum"
                            + Arrays.stream(c.getEnumConstants())
                                    .map(e -> ((Enum<?>) e).name())
                                    .sorted()
                                    .collect(Collectors.joining(",", "[", "]")));
        } else if (jsonValueType(c) == String.class) {
            into.put(path, "string"); // typed ids, Ratio: a single string value
        } else if (c.isRecord()) {
            into.put(path, "object");
            recordProperties(c, path + ".", into, primitives);
        } else {
            throw new AssertionError("No JSON shape known for " + c.getName() + " at " + path
                    + ": teach EventShapes how Jackson writes it");
        }
    }

    private static Class<?> jsonValueType(Class<?> c) {
        if (c.isRecord()) {
            for (RecordComponent component : c.getRecordComponents()) {
                if (component.getAccessor().isAnnotationPresent(JsonValue.class)
                        || component.isAnnotationPresent(JsonValue.class)) {
                    return component.getType();
                }
            }
        }
        for (Method method : c.getDeclaredMethods()) {
            if (method.isAnnotationPresent(JsonValue.class)) {
                return method.getReturnType();
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- schemas

    /** Paths of the schema with their types; {@code ?} marks nullable ones. Fails on a property not required. */
    static Map<String, String> ofSchema(JsonNode schema) {
        Map<String, String> shape = new TreeMap<>();
        objectProperties(schema, schema, "", shape);
        return shape;
    }

    private static void objectProperties(JsonNode root, JsonNode object, String prefix, Map<String, String> into) {
        JsonNode properties = object.path("properties");
        Set<String> names = new TreeSet<>();
        properties.fieldNames().forEachRemaining(names::add);
        Set<String> required = new TreeSet<>();
        object.path("required").forEach(n -> required.add(n.asText()));
        if (!required.equals(names)) {
            throw new AssertionError("Every property is always present (null when empty), so all must be required at '"
                    + prefix + "': properties " + names + ", required " + required);
        }
        for (String name : names) {
            schemaType(root, properties.get(name), prefix + name, into);
        }
    }

    private static void schemaType(JsonNode root, JsonNode node, String path, Map<String, String> into) {
        boolean nullable = false;
        JsonNode resolved = resolve(root, node);
        JsonNode alternatives = resolved.has("anyOf") ? resolved.get("anyOf") : resolved.get("oneOf");
        if (alternatives != null) {
            List<JsonNode> nonNull = new ArrayList<>();
            for (JsonNode alternative : alternatives) {
                if ("null".equals(alternative.path("type").asText(null))) {
                    nullable = true;
                } else {
                    nonNull.add(alternative);
                }
            }
            if (nonNull.size() > 1) {
                into.put(path, "oneOf" + (nullable ? "?" : ""));
                for (JsonNode alternative : nonNull) {
                    String ref = alternative.path("$ref").asText("");
                    if (!ref.startsWith("#/$defs/")) {
                        throw new AssertionError("Alternatives of '" + path + "' must each be a $ref to a $defs entry");
                    }
                    objectProperties(
                            root,
                            resolve(root, alternative),
                            path + "<" + ref.substring("#/$defs/".length()) + ">.",
                            into);
                }
                return;
            }
            resolved = resolve(root, nonNull.get(0));
        }
        String type;
        JsonNode typeNode = resolved.path("type");
        if (typeNode.isArray()) {
            List<String> types = new ArrayList<>();
            for (Iterator<JsonNode> it = typeNode.elements(); it.hasNext(); ) {
                String t = it.next().asText();
                if (t.equals("null")) {
                    nullable = true;
                } else {
                    types.add(t);
                }
            }
            if (types.size() != 1) {
                throw new AssertionError("'" + path + "' must have one type besides null: " + typeNode);
            }
            type = types.get(0);
        } else if (typeNode.isTextual()) {
            type = typeNode.asText();
        } else {
            throw new AssertionError("'" + path + "' has no type: " + resolved);
        }
        String q = nullable ? "?" : "";
        if (resolved.has("enum")) {
            List<String> values = new ArrayList<>();
            resolved.get("enum").forEach(v -> values.add(v.asText()));
            into.put(path, "enum" + values.stream().sorted().collect(Collectors.joining(",", "[", "]")) + q);
        } else if (type.equals("object")) {
            into.put(path, "object" + q);
            objectProperties(root, resolved, path + ".", into);
        } else if (type.equals("array")) {
            into.put(path, "array" + q);
            schemaType(root, resolved.get("items"), path + "[]", into);
        } else {
            into.put(path, type + q);
        }
    }

    private static JsonNode resolve(JsonNode root, JsonNode node) {
        JsonNode current = node;
        for (int depth = 0; current.has("$ref"); depth++) {
            String ref = current.get("$ref").asText();
            if (!ref.startsWith("#/$defs/") || depth > 10) {
                throw new AssertionError("Only local $defs references are used in event schemas: " + ref);
            }
            current = root.path("$defs").path(ref.substring("#/$defs/".length()));
            if (current.isMissingNode()) {
                throw new AssertionError("Unresolved reference " + ref);
            }
        }
        return current;
    }

    // ---------------------------------------------------------------- comparison

    /** The shape without nullability marks, to compare with a record's. */
    static Map<String, String> withoutNullability(Map<String, String> shape) {
        Map<String, String> plain = new TreeMap<>();
        shape.forEach((path, type) ->
                plain.put(path, type.endsWith("?") ? type.substring(0, type.length() - 1) : type));
        return plain;
    }

    /**
     * What a later schema of the same version breaks of a published one: a property removed or renamed, a type changed,
     * an enum value dropped, or null allowed where it was not. Adding properties or enum values is compatible.
     */
    static List<String> incompatibilities(Map<String, String> published, Map<String, String> current) {
        List<String> problems = new ArrayList<>();
        published.forEach((path, was) -> {
            String now = current.get(path);
            if (now == null) {
                problems.add(path + " (" + was + ") was removed or renamed");
                return;
            }
            boolean wasNullable = was.endsWith("?");
            boolean nowNullable = now.endsWith("?");
            String wasType = wasNullable ? was.substring(0, was.length() - 1) : was;
            String nowType = nowNullable ? now.substring(0, now.length() - 1) : now;
            if (nowNullable && !wasNullable) {
                problems.add(path + " may now be null");
            }
            if (wasType.startsWith("enum[") && nowType.startsWith("enum[")) {
                Set<String> before = enumValues(wasType);
                Set<String> after = enumValues(nowType);
                before.removeAll(after);
                if (!before.isEmpty()) {
                    problems.add(path + " lost enum values " + before);
                }
            } else if (!wasType.equals(nowType)) {
                problems.add(path + " changed type from " + wasType + " to " + nowType);
            }
        });
        return problems;
    }

    private static Set<String> enumValues(String type) {
        String inner = type.substring("enum[".length(), type.length() - 1);
        return new TreeSet<>(Arrays.asList(inner.split(",")));
    }
}
