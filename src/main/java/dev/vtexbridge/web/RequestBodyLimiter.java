package dev.vtexbridge.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Semaphore;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Reads every request body before any handler sees it, within its entry point's limits: 413 as soon as the body is
 * (or is announced to be) larger than the entry point takes, 408 when it has not arrived after
 * {@code bridge.http.body-read-timeout} (each read waits at most {@code server.tomcat.connection-timeout}, so a
 * sender that stops or trickles holds a thread for a bounded time). Handlers then read the bytes from memory: nothing
 * downstream (Camel's stream cache, Jackson, the failed-message store) ever sees more than the limit.
 * <p>
 * What all bodies being read or handled hold in memory is bounded too ({@code bridge.http.max-buffered-bytes}, once for
 * the VTEX-facing entry points and once for all others, so bulk uploads cannot take checkout's share): a request that
 * would go over is answered 503 with {@code Retry-After} instead of being read.
 * <p>
 * It runs after the credential checks, so a caller without credentials is refused before a byte of its body is read.
 */
public class RequestBodyLimiter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(RequestBodyLimiter.class);

    private final List<HttpEntryPoint> entryPoints;
    private final HttpEntryPoint fallback;
    private final long readTimeoutNanos;
    private final Semaphore vtexBudget;
    private final Semaphore otherBudget;

    public RequestBodyLimiter(List<HttpEntryPoint> entryPoints, HttpEntryPoint fallback, Duration readTimeout,
                              long maxBufferedBytes) {
        // The longest prefix wins, so an entry point can carve a path out of a broader one.
        this.entryPoints = entryPoints.stream()
                .sorted(Comparator.comparingInt((HttpEntryPoint entry) -> entry.pathPrefix().length()).reversed())
                .toList();
        this.fallback = fallback;
        this.readTimeoutNanos = readTimeout.toNanos();
        // Each budget takes at least one body of its largest entry point, in KiB.
        long largest = entryPoints.stream().mapToLong(HttpEntryPoint::maxBodyBytes).max().orElse(0);
        int permits = kib(Math.max(maxBufferedBytes, Math.max(largest, fallback.maxBodyBytes())));
        this.vtexBudget = new Semaphore(permits);
        this.otherBudget = new Semaphore(permits);
    }

    /** The entry point that serves a path. */
    public HttpEntryPoint entryPointOf(String path) {
        return entryPoints.stream().filter(entry -> entry.serves(path)).findFirst().orElse(fallback);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long announced = request.getContentLengthLong();
        boolean chunked = request.getHeader("Transfer-Encoding") != null;
        if (announced <= 0 && !chunked) {
            chain.doFilter(request, response);
            return;
        }
        HttpEntryPoint entry = entryPointOf(request.getRequestURI());
        if (announced > entry.maxBodyBytes()) {
            refuseTooLarge(response, entry);
            return;
        }
        Semaphore budget = entry.vtexFacing() ? vtexBudget : otherBudget;
        int reserved = kib(announced > 0 ? announced : entry.maxBodyBytes());
        if (!budget.tryAcquire(reserved)) {
            response.setHeader("Retry-After", "1");
            entry.refusals().write(response, 503, "SERVICE_UNAVAILABLE",
                    "Too many request bodies in flight (bridge.http.max-buffered-bytes); retry in a second");
            return;
        }
        try {
            byte[] body;
            try {
                body = read(request.getInputStream(), announced, entry.maxBodyBytes());
            } catch (BodyTooLarge e) {
                refuseTooLarge(response, entry);
                return;
            } catch (BodyTooSlow e) {
                log.info("{} {}: the request body did not arrive in time; answered 408", request.getMethod(),
                        request.getRequestURI());
                response.setHeader("Connection", "close");
                entry.refusals().write(response, 408, "REQUEST_TIMEOUT", "The request body did not arrive within "
                        + Duration.ofNanos(readTimeoutNanos).toSeconds() + " s");
                return;
            } catch (IOException e) {
                // A read that timed out has already been answered 408 by the server itself; otherwise the caller is gone.
                log.debug("{} {}: the request body stopped arriving: {}", request.getMethod(), request.getRequestURI(),
                        e.toString());
                return;
            }
            chain.doFilter(new BufferedBodyRequest(request, body), response);
        } finally {
            budget.release(reserved);
        }
    }

    private byte[] read(InputStream in, long announced, long max) throws IOException {
        long deadline = System.nanoTime() + readTimeoutNanos;
        ByteArrayOutputStream body = new ByteArrayOutputStream(announced > 0 ? (int) announced : 8192);
        byte[] buffer = new byte[8192];
        for (int n = in.read(buffer); n != -1; n = in.read(buffer)) {
            if (body.size() + (long) n > max) {
                throw new BodyTooLarge();
            }
            body.write(buffer, 0, n);
            if (System.nanoTime() - deadline > 0) {
                throw new BodyTooSlow();
            }
        }
        return body.toByteArray();
    }

    private static int kib(long bytes) {
        return (int) Math.min(Integer.MAX_VALUE, (bytes + 1023) / 1024);
    }

    private static void refuseTooLarge(HttpServletResponse response, HttpEntryPoint entry) throws IOException {
        // The rest of the body is not read: the connection closes after the answer.
        response.setHeader("Connection", "close");
        entry.refusals().write(response, 413, "PAYLOAD_TOO_LARGE",
                "Request body larger than " + entry.maxBodyBytes() + " bytes (the limit of the " + entry.name() + ")");
    }

    private static final class BodyTooLarge extends IOException {
    }

    private static final class BodyTooSlow extends IOException {
    }
}
