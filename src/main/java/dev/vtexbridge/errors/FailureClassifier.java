package dev.vtexbridge.errors;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.concurrent.TimeoutException;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangeTimedOutException;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.stereotype.Component;

/**
 * Sorts a failure into the three classes of the error policy ({@code routes/_shared/error-handling.camel.yaml}):
 * <b>rate-limited</b> (HTTP 429, client-side throttling: retry later, no attempt counted), <b>transient</b>
 * (I/O other than unreadable JSON, timeouts, HTTP 5xx and 408, database unreachable or transient database errors, broker errors: redeliver
 * with backoff) and, for
 * everything else, <b>terminal</b> (other 4xx, validation, mapping: straight to the failed-message store).
 */
@Component("failureClassifier")
public class FailureClassifier {

    public boolean isRateLimited(Exchange exchange) {
        return isRateLimited(failureOf(exchange));
    }

    public boolean isTransient(Exchange exchange) {
        return isTransient(failureOf(exchange));
    }

    /**
     * A transient failure of rows read from a database change table ({@code sql:} trigger, e.g. the ERP's
     * erp_change): the table itself holds them, so the failure is not handled and the rows stay pending (a claimed
     * row's lease is released) and are read again on a later poll. Stored instead, they would be marked processed
     * with their change only in a failed row that cannot be replayed into a poll.
     */
    public boolean isTransientOnChangeTable(Exchange exchange) {
        return exchange.getFromEndpoint() != null && exchange.getFromEndpoint().getEndpointUri().startsWith("sql:")
                && isTransient(failureOf(exchange));
    }

    public static boolean isRateLimited(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof RetryLaterException) {
                return true;
            }
            if (t instanceof HttpOperationFailedException http && http.getStatusCode() == 429) {
                return true;
            }
        }
        return false;
    }

    public static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof HttpOperationFailedException http) {
                return http.getStatusCode() >= 500 || http.getStatusCode() == 408;
            }
            if (t instanceof com.fasterxml.jackson.core.JsonProcessingException) {
                return false; // unreadable or unmappable JSON (an IOException to Jackson) is the same on every try
            }
            if (t instanceof IOException || t instanceof TimeoutException || t instanceof ExchangeTimedOutException
                    || t instanceof SQLTransientException || t instanceof SQLRecoverableException
                    || t instanceof TransientDataAccessException || t instanceof DataAccessResourceFailureException
                    || t instanceof jakarta.jms.JMSException
                    || t instanceof org.apache.kafka.common.errors.RetriableException) { // a broker out of reach
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
                return true; // SQL state class 08: connection exception (database unreachable, connection cut)
            }
        }
        return false;
    }

    /** The HTTP answer a failure carries (anywhere in its cause chain), or null when the remote did not answer. */
    public static HttpOperationFailedException httpFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof HttpOperationFailedException http) {
                return http;
            }
        }
        return null;
    }

    public static Throwable failureOf(Exchange exchange) {
        Throwable failure = exchange.getException();
        return failure != null ? failure : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
    }
}
