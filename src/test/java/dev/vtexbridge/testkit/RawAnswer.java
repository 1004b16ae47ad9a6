package dev.vtexbridge.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One request sent byte for byte over {@link RawHttp} (a body no HTTP client would send: invalid UTF-8, two
 * documents, a body that is only {@code null}), and its answer: status, headers (names in lower case) and body.
 */
public record RawAnswer(int status, Map<String, String> headers, String body) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** POSTs {@code body} exactly as given, as application/json, with the extra headers (name, value, name, value …). */
    public static RawAnswer post(int port, String path, byte[] body, String... headers) {
        return send(port, "POST", path, body, headers);
    }

    public static RawAnswer post(int port, String path, String body, String... headers) {
        return post(port, path, body.getBytes(StandardCharsets.UTF_8), headers);
    }

    public static RawAnswer put(int port, String path, byte[] body, String... headers) {
        return send(port, "PUT", path, body, headers);
    }

    public static RawAnswer send(int port, String method, String path, byte[] body, String... headers) {
        StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\nHost: localhost\n"
                + "Content-Type: application/json\nAccept: application/json\nConnection: close\n"
                + "Content-Length: " + body.length + "\n");
        for (int i = 0; i + 1 < headers.length; i += 2) {
            head.append(headers[i]).append(": ").append(headers[i + 1]).append('\n');
        }
        try (RawHttp http = RawHttp.send(port, head.toString(), body)) {
            String answer = http.answer(Duration.ofSeconds(15));
            if (answer == null) {
                throw new AssertionError("no answer to " + method + " " + path);
            }
            return parse(answer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static RawAnswer parse(String raw) {
        int headEnd = raw.indexOf("\r\n\r\n");
        String[] lines = raw.substring(0, headEnd).split("\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.putIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(), lines[i].substring(colon + 1).trim());
        }
        String body = raw.substring(headEnd + 4);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = unchunk(body);
        }
        return new RawAnswer(RawHttp.status(raw), headers, body);
    }

    private static String unchunk(String chunked) {
        // chunk sizes count bytes
        byte[] in = chunked.getBytes(StandardCharsets.UTF_8);
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        int at = 0;
        while (at < in.length) {
            int lineEnd = at;
            while (lineEnd + 1 < in.length && !(in[lineEnd] == '\r' && in[lineEnd + 1] == '\n')) {
                lineEnd++;
            }
            String sizeLine = new String(in, at, lineEnd - at, StandardCharsets.US_ASCII).split(";")[0].trim();
            if (sizeLine.isEmpty()) {
                break;
            }
            int size = Integer.parseInt(sizeLine, 16);
            if (size == 0) {
                break;
            }
            int start = lineEnd + 2;
            body.write(in, start, Math.min(size, in.length - start));
            at = start + size + 2;
        }
        return body.toString(StandardCharsets.UTF_8);
    }

    public String header(String name) {
        return headers.get(name.toLowerCase());
    }

    public JsonNode json() {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }
}
