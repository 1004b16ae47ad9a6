package dev.vtexbridge.vtex;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/**
 * Writes errors of the seller endpoints in VTEX's shape. Used by the {@code bridge-http-error-policy} route
 * configuration (for exceptions in a route) and by the request guard (before a route runs).
 */
@Component("vtexErrors")
public class VtexErrors {

    private static final Logger log = LoggerFactory.getLogger(VtexErrors.class);
    private final ObjectMapper json = new ObjectMapper();

    /** Turns the exchange's failure into the HTTP answer. Unexpected failures are 500 (503 for the database or
     * a channel's broker out of reach). */
    public void answer(Exchange exchange) throws IOException {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        VtexErrorException error = asVtexError(failure, exchange);
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, error.status());
        out.setHeader(Exchange.CONTENT_TYPE, "application/json");
        out.setHeader("x-vtex-error-code", error.code());
        out.setHeader("x-vtex-error-message", headerSafe(error.getMessage()));
        out.setBody(body(error));
    }

    public void write(HttpServletResponse response, int status, String code, String message) throws IOException {
        write(response, new VtexErrorException(status, code, message));
    }

    public void write(HttpServletResponse response, VtexErrorException error) throws IOException {
        response.setStatus(error.status());
        response.setContentType("application/json");
        response.setHeader("x-vtex-error-code", error.code());
        response.setHeader("x-vtex-error-message", headerSafe(error.getMessage()));
        response.getOutputStream().write(body(error));
    }

    byte[] body(VtexErrorException error) throws IOException {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("code", error.code());
        detail.put("message", error.getMessage());
        detail.put("exception", null);
        return json.writeValueAsBytes(Map.of("error", detail));
    }

    private static VtexErrorException asVtexError(Throwable failure, Exchange exchange) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof VtexErrorException vtex) {
                return vtex;
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof DataAccessException || t instanceof java.sql.SQLException) {
                log.error("Route {}: database unavailable, answering 503", exchange.getFromRouteId(), failure);
                return new VtexErrorException(503, "ORD008", "Temporarily unavailable, please retry");
            }
            // a durable channel that cannot take the message (its Kafka broker unreachable): nothing was taken on
            if (t instanceof org.apache.kafka.common.errors.TimeoutException) {
                log.error("Route {}: channel unavailable ({}), answering 503", exchange.getFromRouteId(), t.getMessage());
                return new VtexErrorException(503, "ORD008", "Temporarily unavailable, please retry");
            }
        }
        log.error("Route {}: unexpected failure, answering 500", exchange.getFromRouteId(), failure);
        return new VtexErrorException(500, "ORD008", "Unexpected error");
    }

    /** Header values must be single-line printable ASCII. */
    private static String headerSafe(String message) {
        return message == null ? "" : message.replaceAll("[^\\x20-\\x7E]", "_");
    }
}
