package dev.vtexbridge.seller;

import java.io.IOException;
import java.util.Optional;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.vtexbridge.vtex.VtexErrorException;
import dev.vtexbridge.web.JsonLimits;
import dev.vtexbridge.web.StrictJson;

/**
 * Reads VTEX request bodies the way the protocol needs: property names case-insensitively (VTEX mixes camelCase
 * and PascalCase), unknown fields ignored, no silent type coercion ("2" is not a number), and, through
 * {@link StrictJson}, one UTF-8 document per body, never the bare {@code null}, nesting depth and string, number and
 * name lengths bounded while parsing. Every problem becomes a 400 whose message names the field or the limit.
 */
public class VtexJsonReader {

    private final StrictJson strict;
    private final ObjectMapper mapper;

    /** The seller endpoints' nesting and string limits ({@code bridge.seller.*}); numbers and names as {@link JsonLimits#DEFAULTS}. */
    public VtexJsonReader(int maxNestingDepth, int maxStringLength) {
        this(JsonLimits.DEFAULTS.withDepthAndStringLength(maxNestingDepth, maxStringLength));
    }

    public VtexJsonReader(JsonLimits limits) {
        this.strict = new StrictJson(limits);
        this.mapper = strict.mapperBuilder()
                .configure(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES, true)
                .configure(MapperFeature.ALLOW_COERCION_OF_SCALARS, false)
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                .configure(DeserializationFeature.ACCEPT_FLOAT_AS_INT, false)
                .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
                .findAndAddModules()
                .build();
    }

    public <T> T read(byte[] body, Class<T> type) {
        return read(body, mapper.readerFor(type));
    }

    /** Reads one document with a reader of {@link #mapper()}; a body that is empty or the literal null is refused. */
    public <T> T read(byte[] body, ObjectReader reader) {
        try {
            return strict.read(reader, body);
        } catch (IOException e) {
            throw translate(e, "");
        } catch (StrictJson.InvalidJson e) {
            throw refusal(e);
        }
    }

    /** Parses a body whose shape varies (object or array) into a tree, with the same limits and errors. */
    public JsonNode readTree(byte[] body) {
        return read(body, mapper.readerFor(JsonNode.class));
    }

    /** Binds part of a tree; {@code path} (e.g. {@code [1]}) prefixes the field names in error messages. */
    public <T> T convert(JsonNode node, Class<T> type, String path) {
        try {
            return mapper.readerFor(type).readValue(mapper.treeAsTokens(node));
        } catch (IOException e) {
            throw translate(e, path);
        }
    }

    private VtexErrorException translate(IOException e, String path) {
        Optional<StrictJson.InvalidJson> invalid = strict.problem(e);
        if (invalid.isPresent()) {
            return refusal(invalid.get());
        }
        if (e instanceof JsonMappingException mapping) {
            String inner = StrictJson.fieldPath(mapping);
            String field = path.isEmpty() || inner.isEmpty() ? path + inner : path + "." + inner;
            return VtexErrorException.badRequest(field.isEmpty()
                    ? "Request body has the wrong shape: " + mapping.getOriginalMessage()
                    : "Field '" + field + "' has the wrong type or value");
        }
        return VtexErrorException.badRequest("Unreadable request body: " + e.getMessage());
    }

    /** "Request body is not valid UTF-8 …", "JSON nesting deeper than 32 levels", "Malformed JSON at line …". */
    private static VtexErrorException refusal(StrictJson.InvalidJson invalid) {
        String message = invalid.getMessage();
        return VtexErrorException.badRequest(Character.toUpperCase(message.charAt(0)) + message.substring(1));
    }

    public ObjectMapper mapper() {
        return mapper;
    }
}
