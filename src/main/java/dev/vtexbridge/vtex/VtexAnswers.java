package dev.vtexbridge.vtex;

import java.util.HashMap;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * Reading the answer of a call made with {@code throwExceptionOnFailure=false}: a route step looks at the status
 * itself, and whatever it does not expect is raised as the HTTP failure the error policy reads (429 deferred until its
 * {@code Retry-After}, 5xx redelivered, any other 4xx stored as failed), with VTEX's answer as the failure's body.
 */
public final class VtexAnswers {

    private VtexAnswers() {
    }

    public static int status(Exchange exchange) {
        return exchange.getIn().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
    }

    /** Returns on a 2xx; any other answer fails the step. */
    public static void requireSuccess(Exchange exchange) throws HttpOperationFailedException {
        int status = status(exchange);
        if (status < 200 || status >= 300) {
            throw failure(exchange);
        }
    }

    /** The answer as an HTTP failure, its {@code Retry-After} kept for the error policy. */
    public static HttpOperationFailedException failure(Exchange exchange) {
        int status = status(exchange);
        Map<String, String> headers = new HashMap<>();
        Object retryAfter = exchange.getIn().getHeader("Retry-After");
        if (retryAfter != null) {
            headers.put("Retry-After", retryAfter.toString());
        }
        String uri = exchange.getIn().getHeader(Exchange.HTTP_URI, String.class);
        return new HttpOperationFailedException(uri == null ? "VTEX" : uri, status, "HTTP " + status, null, headers,
                exchange.getIn().getBody(String.class));
    }
}
