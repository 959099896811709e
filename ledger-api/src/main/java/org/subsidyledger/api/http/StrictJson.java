package org.subsidyledger.api.http;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.module.paramnames.ParameterNamesModule;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;
import org.subsidyledger.core.shared.LedgerRejection;
import org.subsidyledger.core.shared.RejectionCode;
import org.subsidyledger.core.shared.Text;

/**
 * Reads request bodies strictly (SPEC §11 "Input"): unknown or duplicated keys, wrong JSON types, trailing content,
 * deep nesting and oversized strings are all {@code VALIDATION_FAILED}, with the path of the offending field in the
 * message. Kept apart from the mapper that writes responses and from the one that stores events.
 */
public final class StrictJson {
    public static final int MAX_DEPTH = 16;
    public static final int MAX_STRING = 10_000;

    private static final ObjectMapper MAPPER = mapper();

    private StrictJson() {}

    private static ObjectMapper mapper() {
        JsonMapper mapper = JsonMapper.builder()
                .addModule(new ParameterNamesModule())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .disable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .build();
        mapper.getFactory()
                .setStreamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_DEPTH)
                        .maxStringLength(MAX_STRING)
                        .maxNumberLength(40)
                        .build());
        // No silent conversions: a number is not a string, a string is not a number or a boolean.
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        for (LogicalType type : new LogicalType[] {LogicalType.Integer, LogicalType.Float, LogicalType.Boolean}) {
            mapper.coercionConfigFor(type)
                    .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        }
        mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Enum).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        return mapper;
    }

    /** Parses a request body into its record type, or rejects it with VALIDATION_FAILED. */
    public static <T> T read(byte[] body, Class<T> type) {
        if (body == null || body.length == 0) {
            throw emptyBody();
        }
        if (body.length > BodyLimitFilter.MAX_BODY_BYTES) {
            // a chunked body declares no length; it is refused here once read
            throw invalid("The request body is larger than " + BodyLimitFilter.MAX_BODY_BYTES + " bytes.");
        }
        try {
            // strict UTF-8 first: Jackson would decode overlong forms (C0 AF as '/') that a validator never saw
            String text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
            JsonNode tree = MAPPER.readTree(text);
            if (tree == null || !tree.isObject()) {
                throw invalid("The request body must be a JSON object.");
            }
            return MAPPER.treeToValue(tree, type);
        } catch (LedgerRejection rejection) {
            throw rejection;
        } catch (CharacterCodingException e) {
            throw invalid("The request body is not valid UTF-8.");
        } catch (UnrecognizedPropertyException e) {
            throw invalid("Unknown field '" + unknownPath(e) + "'.");
        } catch (JsonMappingException e) {
            if (e.getCause() instanceof LedgerRejection rejection) {
                throw rejection;
            }
            // no path: nothing was wrong with a field, the text itself was (content after the object)
            throw invalid(
                    path(e).isEmpty()
                            ? "The request body is not well-formed JSON."
                            : "Field" + at(e) + " has the wrong type or form.");
        } catch (StreamConstraintsException e) {
            throw invalid("The request body is nested too deeply or holds a value that is too long.");
        } catch (JsonParseException e) {
            String message = String.valueOf(e.getOriginalMessage());
            throw invalid(
                    message.startsWith("Duplicate field")
                            ? "The request body names a field twice: "
                                    + Text.shown(message.substring(message.indexOf('\'') + 1)
                                            .replace("'", "")) + "."
                            : "The request body is not well-formed JSON.");
        } catch (IOException | RuntimeException e) {
            throw invalid("The request body is not well-formed JSON.");
        }
    }

    /** Converts an already parsed part of a body (such as {@code rules}) into a record type, just as strictly. */
    public static <T> T convert(JsonNode node, Class<T> type, String field) {
        if (node == null || !node.isObject()) {
            throw invalid(field + " must be a JSON object.");
        }
        try {
            return MAPPER.treeToValue(node, type);
        } catch (UnrecognizedPropertyException e) {
            throw invalid("Unknown field '" + Text.shown(e.getPropertyName()) + "' in " + field + ".");
        } catch (JsonMappingException e) {
            if (e.getCause() instanceof LedgerRejection rejection) {
                throw rejection;
            }
            throw invalid("Field " + field + at(e) + " has the wrong type or form.");
        } catch (IOException | RuntimeException e) {
            throw invalid(field + " is not valid.");
        }
    }

    /** The unknown field with the path to it, such as {@code beneficiary.extra}. */
    private static String unknownPath(UnrecognizedPropertyException e) {
        String path = path(e);
        return path.isEmpty() ? Text.shown(e.getPropertyName()) : path;
    }

    private static String at(JsonMappingException e) {
        String path = path(e);
        return path.isEmpty() ? "" : " '" + path + "'";
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? Text.shown(r.getFieldName()) : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
    }

    /** The refusal of a missing or empty body where one is required. */
    public static LedgerRejection emptyBody() {
        return invalid("The request body is empty; a JSON object is required.");
    }

    public static LedgerRejection invalid(String message) {
        return new LedgerRejection(RejectionCode.VALIDATION_FAILED, message);
    }
}
