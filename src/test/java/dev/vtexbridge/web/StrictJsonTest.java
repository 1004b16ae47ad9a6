package dev.vtexbridge.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.vtexbridge.web.StrictJson.InvalidJson;
import dev.vtexbridge.web.StrictJson.Problem;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The one strict JSON reading, without an engine: what it refuses, and the message it says so with. */
class StrictJsonTest {

    private final StrictJson strict = new StrictJson(new JsonLimits(8, 20, 10, 12));
    private final ObjectMapper mapper = strict.mapperBuilder().build();
    private final ObjectReader tree = mapper.readerFor(JsonNode.class);

    record Item(String id, int quantity) {
    }

    @Test
    void oneDocumentWithinTheLimitsIsRead() throws IOException {
        JsonNode read = strict.read(tree, bytes(" {\"a\": [1, 2, \"ã\"]} \r\n"));
        assertThat(read.get("a")).hasSize(3);
        Item item = strict.read(mapper.readerFor(Item.class), "{\"id\":\"A\",\"quantity\":2}");
        assertThat(item).isEqualTo(new Item("A", 2));
        JsonNode deepest = strict.read(tree, bytes("[".repeat(8) + "]".repeat(8)));
        assertThat(deepest.isArray()).isTrue();
    }

    @Test
    void emptyAndNullAreRefused() {
        assertProblem(() -> strict.read(tree, new byte[0]), Problem.EMPTY, "request body is empty");
        assertProblem(() -> strict.read(tree, bytes(" \n ")), Problem.EMPTY, "request body is empty");
        assertProblem(() -> strict.read(tree, bytes("null")), Problem.NULL_DOCUMENT, "request body is the JSON literal null");
        assertProblem(() -> strict.read(mapper.readerFor(Item.class), " null "), Problem.NULL_DOCUMENT, "JSON literal null");
    }

    @Test
    void bytesThatAreNotUtf8AreRefusedWithTheirOffset() {
        byte[] lead = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, 0x28, '"', '}'};
        assertProblem(() -> strict.read(tree, lead), Problem.NOT_UTF8, "request body is not valid UTF-8 (at byte offset 6)");
        byte[] surrogate = {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'};
        assertProblem(() -> strict.read(tree, surrogate), Problem.NOT_UTF8, "not valid UTF-8 (at byte offset 1)");
        byte[] overlong = {'"', (byte) 0xC0, (byte) 0xAF, '"'};
        assertProblem(() -> strict.read(tree, overlong), Problem.NOT_UTF8, "not valid UTF-8");
        byte[] cut = {'"', 'a', (byte) 0xE2, (byte) 0x82};
        assertProblem(() -> strict.read(tree, cut), Problem.NOT_UTF8, "not valid UTF-8");
    }

    @Test
    void anythingAfterTheDocumentIsRefused() {
        for (String body : new String[] {"{\"a\":1} xyz", "{\"a\":1}{\"a\":2}", "[1]]", "{}}", "1 2", "{} ,", "\"a\" \"b\""}) {
            assertProblem(() -> strict.read(tree, bytes(body)), Problem.TRAILING_CONTENT, "trailing content after the JSON document");
            assertProblem(() -> strict.read(tree, body), Problem.TRAILING_CONTENT, "trailing content after the JSON document");
        }
    }

    @Test
    void aMapperReadingOnItsOwnAlsoRefusesTrailingContent() {
        // what Spring MVC does with the engine's ObjectMapper: the message is found in the failure it throws
        for (String body : new String[] {"{\"a\":1} xyz", "{\"a\":1}{\"a\":2}", "{}}", "[1]]", "1 2"}) {
            Throwable failure = catchThrowableOfType(IOException.class, () -> mapper.readValue(body, JsonNode.class));
            assertThat(strict.problem(failure)).as(body).hasValueSatisfying(invalid ->
                    assertThat(invalid.problem()).as(body + ": " + invalid.getMessage()).isEqualTo(Problem.TRAILING_CONTENT));
        }
        for (String body : new String[] {"xyz", "{\"a\":", "\"abc", "{\"a\" 1}", "[1,]"}) {
            Throwable failure = catchThrowableOfType(IOException.class, () -> mapper.readValue(body, JsonNode.class));
            assertThat(strict.problem(failure)).as(body).hasValueSatisfying(invalid -> {
                assertThat(invalid.problem()).isEqualTo(Problem.MALFORMED);
                assertThat(invalid.getMessage()).startsWith("malformed JSON at line 1, column ");
            });
        }
    }

    @Test
    void eachLimitIsNamed() {
        assertProblem(() -> strict.read(tree, bytes("[".repeat(9) + "]".repeat(9))), Problem.TOO_DEEP,
                "JSON nesting deeper than 8 levels");
        assertProblem(() -> strict.read(tree, bytes("{\"a\":".repeat(10_000))), Problem.TOO_DEEP,
                "JSON nesting deeper than 8 levels");
        assertProblem(() -> strict.read(tree, bytes("[\"" + "x".repeat(21) + "\"]")), Problem.STRING_TOO_LONG,
                "a JSON string longer than 20 characters");
        assertProblem(() -> strict.read(tree, bytes("[" + "1".repeat(11) + "]")), Problem.NUMBER_TOO_LONG,
                "a JSON number longer than 10 characters");
        assertProblem(() -> strict.read(tree, bytes("[1." + "5".repeat(11) + "]")), Problem.NUMBER_TOO_LONG,
                "a JSON number longer than 10 characters");
        assertProblem(() -> strict.read(tree, bytes("{\"" + "n".repeat(13) + "\":1}")), Problem.NAME_TOO_LONG,
                "a JSON property name longer than 12 characters");
        assertProblem(() -> strict.read(mapper.readerFor(Item.class), "{\"id\":\"" + "x".repeat(21) + "\"}"),
                Problem.STRING_TOO_LONG, "a JSON string longer than 20 characters");
        assertThat(strict.problem(new IOException("x", new com.fasterxml.jackson.core.exc.StreamConstraintsException(
                "Document nesting depth (101) exceeds the maximum allowed (100, from `StreamReadConstraints.getMaxNestingDepth()`)"))))
                .as("the limit stated by the parser wins").hasValueSatisfying(invalid ->
                        assertThat(invalid.getMessage()).isEqualTo("JSON nesting deeper than 100 levels"));
    }

    @Test
    void bindingProblemsAreLeftToTheCaller() {
        ObjectReader items = mapper.readerFor(Item.class);
        assertThatThrownBy(() -> strict.read(items, "{\"id\":\"A\",\"quantity\":\"two\"}"))
                .isInstanceOf(JsonMappingException.class).isNotInstanceOf(InvalidJson.class);
        assertThatThrownBy(() -> strict.read(items, "{\"id\":\"A\",\"quantity\":3000000000}"))
                .as("a number out of range is a field's problem, not a syntax error")
                .isInstanceOf(JsonMappingException.class);
        assertThatThrownBy(() -> strict.read(mapper.readerFor(Map.class), "[1]")).isInstanceOf(JsonMappingException.class);
        // a syntax error met while a field is bound is still a syntax error
        assertProblem(() -> strict.read(items, "{\"id\":\"A\",\"quantity\":1,}"), Problem.MALFORMED, "malformed JSON at line 1");
    }

    private static void assertProblem(ThrowingRead read, Problem problem, String messagePart) {
        InvalidJson invalid = catchThrowableOfType(InvalidJson.class, read::run);
        assertThat(invalid).as("refused as " + problem).isNotNull();
        assertThat(invalid.problem()).as(invalid.getMessage()).isEqualTo(problem);
        assertThat(invalid.getMessage()).contains(messagePart);
    }

    @FunctionalInterface
    interface ThrowingRead {
        Object run() throws Exception;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
