package org.subsidyledger.api.audit;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Set;
import org.erdtman.jcs.JsonCanonicalizer;

/**
 * One log entry as the audit export shows it (SPEC §8): the envelope of one NDJSON line, and the hash formula of
 * docs/AUDIT.md. Computed the same way at append ({@link HashChainingStorageEngine}), by the export, by
 * {@code GET /audit/verify} and by the offline verifier, so there is one definition of what is hashed.
 *
 * @param payload  the payload JSON object exactly as stored
 * @param metadata the stored metadata object without {@value #HASH} and {@value #PREV_HASH}
 */
public record AuditEntry(
        String eventId,
        long globalIndex,
        String aggregateId,
        long aggregateSequence,
        String type,
        String version,
        String timestamp,
        JsonNode payload,
        ObjectNode metadata,
        String hash,
        String prevHash) {
    /** Metadata keys under which the chain is stored with each event. */
    public static final String HASH = "hash";

    public static final String PREV_HASH = "prevHash";
    /** The prevHash of every chain's first entry. */
    public static final String GENESIS = "0".repeat(64);

    /**
     * Reads numbers exactly (BigDecimal, no double rounding), so the export repeats the stored JSON; the canonical form
     * (RFC 8785) then fixes one spelling of each number anyway.
     */
    static final ObjectMapper JSON = JsonMapper.builder()
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();

    private static final Set<String> FIELDS = Set.of(
            "eventId",
            "globalIndex",
            "aggregateId",
            "aggregateSequence",
            "type",
            "version",
            "timestamp",
            "payload",
            "metadata",
            "hash",
            "prevHash");

    public AuditEntry {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(aggregateId, "aggregateId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(metadata, "metadata");
    }

    /** The envelope, in the field order of SPEC §8: one line of the export. */
    public ObjectNode toJson() {
        ObjectNode line = JSON.createObjectNode();
        line.put("eventId", eventId);
        line.put("globalIndex", globalIndex);
        line.put("aggregateId", aggregateId);
        line.put("aggregateSequence", aggregateSequence);
        line.put("type", type);
        line.put("version", version);
        line.put("timestamp", timestamp);
        line.set("payload", payload);
        line.set("metadata", metadata);
        line.put("hash", hash);
        line.put("prevHash", prevHash);
        return line;
    }

    /** What the hash covers: the envelope without {@code globalIndex} and {@code hash} (so with {@code prevHash}). */
    public ObjectNode hashedForm() {
        ObjectNode form = toJson();
        form.remove("globalIndex");
        form.remove("hash");
        return form;
    }

    /** The RFC 8785 (JCS) canonical form of {@link #hashedForm()}, as UTF-8 bytes. */
    public byte[] canonicalForm() {
        try {
            return new JsonCanonicalizer(JSON.writeValueAsString(hashedForm())).getEncodedUTF8();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lowercase hex SHA-256 of {@link #canonicalForm()}: what {@code hash} must be. */
    public String computeHash() {
        return sha256Hex(canonicalForm());
    }

    /** The same entry with its chain fields set. */
    public AuditEntry chained(String newPrevHash, long newGlobalIndex) {
        AuditEntry linked = new AuditEntry(
                eventId,
                newGlobalIndex,
                aggregateId,
                aggregateSequence,
                type,
                version,
                timestamp,
                payload,
                metadata,
                null,
                newPrevHash);
        return new AuditEntry(
                eventId,
                newGlobalIndex,
                aggregateId,
                aggregateSequence,
                type,
                version,
                timestamp,
                payload,
                metadata,
                linked.computeHash(),
                newPrevHash);
    }

    /** One export line back; rejects a line that is not a complete envelope. */
    public static AuditEntry parse(String line) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        for (String field : FIELDS) {
            if (!node.has(field)) {
                throw new IllegalArgumentException("no \"" + field + "\"");
            }
        }
        if (!node.get("globalIndex").canConvertToExactIntegral()
                || !node.get("aggregateSequence").isIntegralNumber()
                || !node.get("payload").isObject()
                || !node.get("metadata").isObject()) {
            throw new IllegalArgumentException(
                    "globalIndex and aggregateSequence must be integers, payload and" + " metadata objects");
        }
        return new AuditEntry(
                text(node, "eventId"),
                node.get("globalIndex").asLong(),
                text(node, "aggregateId"),
                node.get("aggregateSequence").asLong(),
                text(node, "type"),
                text(node, "version"),
                text(node, "timestamp"),
                node.get("payload"),
                (ObjectNode) node.get("metadata"),
                text(node, "hash"),
                text(node, "prevHash"));
    }

    /** Parses stored JSON bytes (payload or metadata). */
    public static JsonNode readStored(byte[] json) {
        try {
            return json == null ? JSON.createObjectNode() : JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stored metadata without the chain fields. */
    public static ObjectNode publicMetadata(JsonNode stored) {
        ObjectNode metadata =
                stored != null && stored.isObject() ? ((ObjectNode) stored).deepCopy() : JSON.createObjectNode();
        metadata.remove(HASH);
        metadata.remove(PREV_HASH);
        return metadata;
    }

    /** The event name of a stored payload type: the simple name of its class. */
    public static String eventName(String payloadType) {
        return payloadType.substring(Math.max(payloadType.lastIndexOf('.'), payloadType.lastIndexOf('$')) + 1);
    }

    public static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
