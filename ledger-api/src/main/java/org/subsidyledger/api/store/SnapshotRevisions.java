package org.subsidyledger.api.store;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.axonframework.eventsourcing.snapshotting.SnapshotFilter;
import org.axonframework.serialization.AnnotationRevisionResolver;
import org.axonframework.serialization.RevisionResolver;

/**
 * Revisions for snapshots, derived from the shape of the snapshotted class, so that a snapshot written by an older
 * build is never read into a changed aggregate.
 *
 * <p>A snapshot is the aggregate's fields as JSON. If a field is added, renamed or retyped, Jackson would still read
 * an old snapshot — leaving the new field at its default or silently dropping the old one — and the aggregate would
 * decide on a state the log never produced (an invoice forgotten, a budget wrong). Events carry hand-written
 * {@code @Revision}s because they are a public contract; snapshot state is internal and changes with refactoring, so
 * its revision is computed: a hash of the names and generic types of every field of the aggregate and, recursively,
 * of the ledger's own types it holds (record components, {@code @JsonSubTypes} alternatives). The snapshot filter
 * accepts only snapshots whose revision equals the current one; any other is ignored and the aggregate is rebuilt
 * from its events (and snapshotted again at the next threshold). A change that does not alter the shape costs
 * nothing; one that does costs one full replay per aggregate.
 */
public final class SnapshotRevisions implements RevisionResolver {
    private static final String LEDGER_PACKAGE = "org.subsidyledger.";

    private final RevisionResolver events = new AnnotationRevisionResolver();
    private final Set<Class<?>> snapshotTypes;
    private final Map<Class<?>, String> revisions = new ConcurrentHashMap<>();

    public SnapshotRevisions(Set<Class<?>> snapshotTypes) {
        this.snapshotTypes = Set.copyOf(snapshotTypes);
    }

    @Override
    public String revisionOf(Class<?> payloadType) {
        if (snapshotTypes.contains(payloadType)) {
            return revisions.computeIfAbsent(payloadType, SnapshotRevisions::shapeRevision);
        }
        return events.revisionOf(payloadType);
    }

    /** Accepts a snapshot of a snapshotted type only when its revision is the current shape of that type. */
    public SnapshotFilter filter() {
        return snapshot -> {
            String typeName = snapshot.getPayload().getType().getName();
            return snapshotTypes.stream()
                    .filter(t -> t.getName().equals(typeName))
                    .findFirst()
                    .map(t ->
                            revisionOf(t).equals(snapshot.getPayload().getType().getRevision()))
                    .orElse(true);
        };
    }

    /** "shape-" and the first 16 hex digits of the SHA-256 of the type's field graph. */
    static String shapeRevision(Class<?> root) {
        Set<String> lines = new TreeSet<>();
        Deque<Class<?>> todo = new ArrayDeque<>();
        Set<Class<?>> seen = new HashSet<>();
        todo.add(root);
        while (!todo.isEmpty()) {
            Class<?> type = todo.poll();
            if (!seen.add(type)) {
                continue;
            }
            lines.add(type.getName() + (type.isRecord() ? " record" : type.isEnum() ? " enum" : ""));
            if (type.isEnum()) {
                for (Object constant : type.getEnumConstants()) {
                    lines.add(type.getName() + " = " + ((Enum<?>) constant).name());
                }
                continue;
            }
            if (type.isRecord()) {
                for (RecordComponent component : type.getRecordComponents()) {
                    lines.add(type.getName() + "(" + component.getName() + ": "
                            + component.getGenericType().getTypeName() + ")");
                    follow(component.getGenericType(), todo);
                }
                continue;
            }
            for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
                for (Field field : c.getDeclaredFields()) {
                    if (Modifier.isStatic(field.getModifiers()) || Modifier.isTransient(field.getModifiers())) {
                        continue;
                    }
                    lines.add(c.getName() + "." + field.getName() + ": "
                            + field.getGenericType().getTypeName());
                    follow(field.getGenericType(), todo);
                    JsonSubTypes subTypes = field.getAnnotation(JsonSubTypes.class);
                    if (subTypes != null) {
                        for (JsonSubTypes.Type subType : subTypes.value()) {
                            lines.add(c.getName() + "." + field.getName() + " | "
                                    + subType.value().getName());
                            todo.add(subType.value());
                        }
                    }
                }
            }
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest(String.join("\n", lines).getBytes(StandardCharsets.UTF_8));
            return "shape-" + HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    private static void follow(Type type, Deque<Class<?>> todo) {
        if (type instanceof Class<?> c) {
            if (c.getName().startsWith(LEDGER_PACKAGE)) {
                todo.add(c);
            }
        } else if (type instanceof ParameterizedType p) {
            follow(p.getRawType(), todo);
            for (Type argument : p.getActualTypeArguments()) {
                follow(argument, todo);
            }
        }
    }
}
