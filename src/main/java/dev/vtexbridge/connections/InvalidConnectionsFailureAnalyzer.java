package dev.vtexbridge.connections;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a refused connection configuration into Spring Boot's short "APPLICATION FAILED TO START" report. */
class InvalidConnectionsFailureAnalyzer extends AbstractFailureAnalyzer<InvalidConnectionsException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidConnectionsException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Fix the properties named above (README \"Connections\"; the environment form is "
                        + "BRIDGE_CONNECTIONS_<ID>_<PROPERTY>, e.g. BRIDGE_CONNECTIONS_OUTLET_VTEX_APP_TOKEN).", cause);
    }
}
