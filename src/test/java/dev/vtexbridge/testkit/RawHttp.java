package dev.vtexbridge.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A caller that writes HTTP/1.1 by hand, for what no HTTP client sends on purpose: a body that never finishes, a
 * length it does not keep, bytes that stop. Each instance is one open connection.
 */
public final class RawHttp implements AutoCloseable {

    private final Socket socket;
    private final OutputStream out;

    private RawHttp(int port) throws IOException {
        this.socket = new Socket("127.0.0.1", port);
        this.out = socket.getOutputStream();
    }

    /** Opens a connection and sends a request head, then {@code body} (which may be less than the head announces). */
    public static RawHttp send(int port, String head, byte[] body) throws IOException {
        RawHttp http = new RawHttp(port);
        http.out.write(head.replace("\n", "\r\n").getBytes(StandardCharsets.US_ASCII));
        http.out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        http.out.write(body);
        http.out.flush();
        return http;
    }

    /** Sends more body bytes; false when the server has closed the connection meanwhile. */
    public boolean write(byte[] more) {
        try {
            out.write(more);
            out.flush();
            return true;
        } catch (IOException closed) {
            return false;
        }
    }

    /**
     * Sends {@code body} in the background in 16 KB pieces, as chunks when {@code chunked}, and the closing chunk;
     * stops early when the server closes the connection (it may answer before it has read everything).
     */
    public CompletableFuture<Void> stream(InputStream body, boolean chunked) {
        return CompletableFuture.runAsync(() -> {
            byte[] piece = new byte[16384];
            try (body) {
                for (int n = body.read(piece); n != -1; n = body.read(piece)) {
                    byte[] bytes = java.util.Arrays.copyOf(piece, n);
                    if (chunked ? !write(frame(Integer.toHexString(n) + "\r\n", bytes, "\r\n")) : !write(bytes)) {
                        return;
                    }
                }
                if (chunked) {
                    write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, task -> new Thread(task, "raw-http-sender").start());
    }

    /** {@code length} bytes of filler, made as they are read. */
    public static InputStream filler(long length) {
        return new InputStream() {
            private long left = length;

            @Override
            public int read() {
                return left-- > 0 ? 'x' : -1;
            }

            @Override
            public int read(byte[] buffer, int offset, int count) {
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(count, left);
                java.util.Arrays.fill(buffer, offset, offset + n, (byte) 'x');
                left -= n;
                return n;
            }
        };
    }

    private static byte[] frame(String before, byte[] bytes, String after) {
        ByteArrayOutputStream framed = new ByteArrayOutputStream(bytes.length + 16);
        framed.writeBytes(before.getBytes(StandardCharsets.US_ASCII));
        framed.writeBytes(bytes);
        framed.writeBytes(after.getBytes(StandardCharsets.US_ASCII));
        return framed.toByteArray();
    }

    /**
     * What the server answered within {@code wait}: the whole response as text (up to the connection's end or 64 KB),
     * or null when nothing came.
     */
    public String answer(Duration wait) throws IOException {
        socket.setSoTimeout((int) wait.toMillis());
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream response = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        long deadline = System.nanoTime() + wait.toNanos();
        try {
            for (int n = in.read(buffer); n != -1 && response.size() < 65536; n = in.read(buffer)) {
                response.write(buffer, 0, n);
                if (complete(response.toString(StandardCharsets.ISO_8859_1)) || System.nanoTime() > deadline) {
                    break;
                }
            }
        } catch (SocketTimeoutException nothingMore) {
            // what came so far is the answer
        } catch (IOException reset) {
            if (response.size() == 0) {
                throw reset;
            }
        }
        return response.size() == 0 ? null : response.toString(StandardCharsets.UTF_8);
    }

    /** The status code of an answer, e.g. 401. */
    public static int status(String answer) {
        return Integer.parseInt(answer.substring(9, 12));
    }

    private static boolean complete(String response) {
        int headEnd = response.indexOf("\r\n\r\n");
        if (headEnd < 0) {
            return false;
        }
        String head = response.substring(0, headEnd).toLowerCase();
        int length = head.indexOf("content-length:");
        if (length >= 0) {
            int end = head.indexOf("\r\n", length);
            int expected = Integer.parseInt(head.substring(length + 15, end < 0 ? head.length() : end).trim());
            return response.length() - headEnd - 4 >= expected;
        }
        return head.contains("transfer-encoding: chunked") && response.endsWith("0\r\n\r\n");
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
