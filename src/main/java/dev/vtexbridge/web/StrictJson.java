package dev.vtexbridge.web;

import java.io.CharConversionException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The one way the engine reads JSON that comes from outside (seller endpoints, ops API, sandbox, ERP webhook and
 * events): {@link JsonLimits} enforced while parsing, exactly one document per body (nothing but white space after it),
 * never the bare literal {@code null}, and bytes that must be valid UTF-8. Every such problem becomes an
 * {@link InvalidJson} whose message says precisely what is wrong ("JSON nesting deeper than 64 levels", "trailing
 * content after the JSON document", "request body is not valid UTF-8"), so each entry point only puts it in its own
 * error shape. Problems of binding (a field of the wrong type) are left to the caller, which knows the field names.
 */
public final class StrictJson {

    /** What is wrong with a body, before any field is looked at. */
    public enum Problem {
        EMPTY, NULL_DOCUMENT, NOT_UTF8, MALFORMED, TRAILING_CONTENT, TOO_DEEP, STRING_TOO_LONG, NUMBER_TOO_LONG,
        NAME_TOO_LONG, OTHER_LIMIT;

        /** Whether a configured limit was hit (as opposed to a body that is not JSON at all). */
        public boolean isLimit() {
            return this == TOO_DEEP || this == STRING_TOO_LONG || this == NUMBER_TOO_LONG || this == NAME_TOO_LONG
                    || this == OTHER_LIMIT;
        }
    }

    /** A body that is not one well-formed JSON document within the limits; the message is meant for the caller. */
    public static final class InvalidJson extends IllegalArgumentException {

        private final Problem problem;

        InvalidJson(Problem problem, String message, Throwable cause) {
            super(message, cause);
            this.problem = problem;
        }

        public Problem problem() {
            return problem;
        }
    }

    private static final Pattern MAXIMUM = Pattern.compile("maximum allowed \\((\\d+)");

    private final JsonLimits limits;
    private final StreamReadConstraints constraints;

    public StrictJson(JsonLimits limits) {
        this.limits = limits;
        this.constraints = StreamReadConstraints.builder()
                .maxNestingDepth(limits.maxDepth())
                .maxStringLength(limits.maxStringLength())
                .maxNumberLength(limits.maxNumberLength())
                .maxNameLength(limits.maxNameLength())
                .build();
    }

    public JsonLimits limits() {
        return limits;
    }

    /** A new factory whose parsers enforce the limits (one per mapper: a mapper takes its factory over). */
    public JsonFactory factory() {
        return JsonFactory.builder().streamReadConstraints(constraints).build();
    }

    /** A mapper builder on {@link #factory()} that also refuses trailing tokens; callers add their binding rules. */
    public JsonMapper.Builder mapperBuilder() {
        return JsonMapper.builder(factory()).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /**
     * Reads one document from bytes, which must be UTF-8. The reader should come from a mapper built on
     * {@link #factory()} or {@link #mapperBuilder()}, whose limits it enforces.
     *
     * @throws InvalidJson for a body that is not one JSON document within the limits
     * @throws IOException for a document that does not bind (wrong type, unknown field): the caller names the field
     */
    public <T> T read(ObjectReader reader, byte[] body) throws IOException {
        if (body == null || body.length == 0) {
            throw new InvalidJson(Problem.EMPTY, "request body is empty", null);
        }
        requireUtf8(body);
        try (JsonParser parser = reader.createParser(body)) {
            return read(reader, parser);
        }
    }

    /**
     * Reads one document from text (a body already decoded, e.g. a Kafka or JMS message), as
     * {@link #read(ObjectReader, byte[])} does from bytes.
     */
    public <T> T read(ObjectReader reader, String body) throws IOException {
        if (body == null || body.isEmpty()) {
            throw new InvalidJson(Problem.EMPTY, "request body is empty", null);
        }
        try (JsonParser parser = reader.createParser(body)) {
            return read(reader, parser);
        }
    }

    private <T> T read(ObjectReader reader, JsonParser parser) throws IOException {
        try {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new InvalidJson(Problem.EMPTY, "request body is empty", null);
            }
            if (first == JsonToken.VALUE_NULL) {
                throw new InvalidJson(Problem.NULL_DOCUMENT, "request body is the JSON literal null", null);
            }
            T value = reader.readValue(parser);
            JsonToken after;
            try {
                after = parser.nextToken();
            } catch (StreamConstraintsException limit) {
                throw limit;
            } catch (JsonProcessingException garbage) {
                throw trailing(garbage);
            }
            if (after != null) {
                throw trailing(null);
            }
            return value;
        } catch (IOException e) {
            Optional<InvalidJson> invalid = problem(e);
            if (invalid.isPresent()) {
                throw invalid.get();
            }
            throw e;
        }
    }

    /**
     * The problem a failure of a JSON reader (anywhere in its cause chain, e.g. wrapped by Spring MVC or by a
     * binding exception) stands for, if it is one of a body rather than of binding.
     */
    public Optional<InvalidJson> problem(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof InvalidJson invalid) {
                return Optional.of(invalid);
            }
            if (t instanceof StreamConstraintsException limit) {
                return Optional.of(limit(limit));
            }
            if (t instanceof CharConversionException) {
                return Optional.of(new InvalidJson(Problem.NOT_UTF8, "request body is not valid UTF-8", t));
            }
            if (t instanceof MismatchedInputException mismatch && String.valueOf(mismatch.getOriginalMessage())
                    .startsWith("Trailing token")) {
                return Optional.of(trailing(mismatch));
            }
            // not StreamReadException: its InputCoercionException (a number out of range) is a binding problem
            if (t instanceof JsonParseException syntax) {
                String message = String.valueOf(syntax.getOriginalMessage());
                if (message.startsWith("Invalid UTF-8")) {
                    return Optional.of(new InvalidJson(Problem.NOT_UTF8, "request body is not valid UTF-8"
                            + at(syntax.getLocation()), syntax));
                }
                if (afterTheDocument(syntax)) {
                    return Optional.of(trailing(syntax));
                }
                return Optional.of(new InvalidJson(Problem.MALFORMED, "malformed JSON"
                        + (syntax.getLocation() == null ? "" : " at line " + syntax.getLocation().getLineNr()
                        + ", column " + syntax.getLocation().getColumnNr()) + ": " + message.lines().findFirst().orElse(""),
                        syntax));
            }
        }
        return Optional.empty();
    }

    private InvalidJson limit(StreamConstraintsException e) {
        String message = String.valueOf(e.getOriginalMessage());
        Matcher maximum = MAXIMUM.matcher(message);
        boolean stated = maximum.find();
        if (message.contains("getMaxNestingDepth")) {
            return new InvalidJson(Problem.TOO_DEEP, "JSON nesting deeper than "
                    + (stated ? maximum.group(1) : limits.maxDepth()) + " levels", e);
        }
        if (message.contains("getMaxStringLength")) {
            return new InvalidJson(Problem.STRING_TOO_LONG, "a JSON string longer than "
                    + (stated ? maximum.group(1) : limits.maxStringLength()) + " characters", e);
        }
        if (message.contains("getMaxNumberLength")) {
            return new InvalidJson(Problem.NUMBER_TOO_LONG, "a JSON number longer than "
                    + (stated ? maximum.group(1) : limits.maxNumberLength()) + " characters", e);
        }
        if (message.contains("getMaxNameLength")) {
            return new InvalidJson(Problem.NAME_TOO_LONG, "a JSON property name longer than "
                    + (stated ? maximum.group(1) : limits.maxNameLength()) + " characters", e);
        }
        return new InvalidJson(Problem.OTHER_LIMIT, "request body exceeds a JSON limit: "
                + message.replaceAll(" \\(from `?StreamReadConstraints.*", ""), e);
    }

    private static InvalidJson trailing(Throwable cause) {
        return new InvalidJson(Problem.TRAILING_CONTENT, "trailing content after the JSON document", cause);
    }

    /**
     * Whether a syntax error was met after the root document had ended: the parser is at the root, and either past its
     * first value there, or still on (or just cleared) the close marker of the document (Jackson's check of
     * {@code FAIL_ON_TRAILING_TOKENS} then found a close marker without an open one).
     */
    private static boolean afterTheDocument(JsonParseException e) {
        JsonParser parser = e.getProcessor();
        JsonStreamContext context = parser == null ? null : parser.getParsingContext();
        if (context == null || !context.inRoot()) {
            return false;
        }
        JsonToken last = parser.currentToken() != null ? parser.currentToken() : parser.getLastClearedToken();
        return context.getCurrentIndex() > 0 || last == JsonToken.END_OBJECT || last == JsonToken.END_ARRAY;
    }

    private static String at(JsonLocation location) {
        return location == null || location.getLineNr() < 1 ? ""
                : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    /**
     * {@code items[0].quantity}: the field a binding failure is about, from Jackson's reference path ("" for the root).
     */
    public static String fieldPath(JsonMappingException e) {
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

    /**
     * Refuses bytes that are not UTF-8 as Java decodes it (no overlong forms, no encoded surrogates: stricter than
     * Jackson's own decoding, which checks neither).
     *
     * @throws InvalidJson naming the offset of the first bad byte
     */
    public static void requireUtf8(byte[] body) {
        int i = 0;
        while (i < body.length && body[i] >= 0) {
            i++;
        }
        if (i == body.length) {
            return; // ASCII, the usual case
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(body);
        CharBuffer out = CharBuffer.allocate(Math.min(body.length, 8192));
        while (true) {
            CoderResult result = decoder.decode(in, out, true);
            if (result.isError()) {
                throw new InvalidJson(Problem.NOT_UTF8,
                        "request body is not valid UTF-8 (at byte offset " + in.position() + ")", null);
            }
            if (result.isOverflow()) {
                out.clear();
                continue;
            }
            break;
        }
    }
}
