package dev.vtexbridge.seller;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Reads VTEX request bodies the way the protocol needs: property names case-insensitively (VTEX mixes camelCase
 * and PascalCase), unknown fields ignored, no silent type coercion ("2" is not a number), and nesting depth and
 * string length bounded while parsing. Every problem becomes a 400 whose message names the field.
 */
public class VtexJsonReader {

    private final ObjectMapper mapper;

    public VtexJsonReader(int maxNestingDepth, int maxStringLength) {
        this.mapper = JsonMapper.builder()
                .configure(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES, true)
                .configure(MapperFeature.ALLOW_COERCION_OF_SCALARS, false)
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                .configure(DeserializationFeature.ACCEPT_FLOAT_AS_INT, false)
                .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
                .findAndAddModules()
                .build();
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(maxNestingDepth)
                .maxStringLength(maxStringLength)
                .build());
    }

    public <T> T read(byte[] body, Class<T> type) {
        return read(body, mapper.readerFor(type));
    }

    public <T> T read(byte[] body, ObjectReader reader) {
        if (body == null || body.length == 0) {
            throw VtexErrorException.badRequest("Request body is empty");
        }
        try {
            return reader.readValue(body);
        } catch (IOException e) {
            throw translate(e, "");
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

    private static VtexErrorException translate(IOException e, String path) {
        if (e instanceof StreamConstraintsException limit) {
            return VtexErrorException.badRequest("Request body exceeds a limit: " + limit.getOriginalMessage());
        }
        // A syntax error met while binding a field arrives wrapped in a mapping exception.
        JsonParseException parse = e instanceof JsonParseException p ? p
                : e.getCause() instanceof JsonParseException p ? p : null;
        if (parse != null) {
            return VtexErrorException.badRequest("Malformed JSON at line " + parse.getLocation().getLineNr()
                    + ", column " + parse.getLocation().getColumnNr() + ": " + parse.getOriginalMessage());
        }
        if (e instanceof JsonMappingException mapping) {
            String inner = fieldPath(mapping);
            String field = path.isEmpty() || inner.isEmpty() ? path + inner : path + "." + inner;
            return VtexErrorException.badRequest(field.isEmpty()
                    ? "Request body has the wrong shape: " + mapping.getOriginalMessage()
                    : "Field '" + field + "' has the wrong type or value");
        }
        return VtexErrorException.badRequest("Unreadable request body: " + e.getMessage());
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    /** {@code items[0].quantity} from Jackson's reference path. */
    static String fieldPath(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }
}
