package dev.vtexbridge.ops;

import java.io.IOException;
import java.security.Principal;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vtexbridge.web.ApiError;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.UrlPathHelper;

/**
 * The actuator on the engine's port: health (with its liveness and readiness groups), info and prometheus are open,
 * as a load balancer or Prometheus needs them; everything else ({@code camelroutes}, a single component's health …)
 * needs an ops token (401 otherwise). A request with an ops token is authenticated as that token's name, so
 * {@code management.endpoint.health.show-details: when-authorized} shows the components' details to it alone.
 */
class ActuatorGuard extends OncePerRequestFilter {

    private static final UrlPathHelper PATHS = new UrlPathHelper();

    private final String basePath;
    private final Set<String> open;
    private final OpsTokens tokens;
    private final ObjectMapper json;

    ActuatorGuard(String basePath, OpsTokens tokens, ObjectMapper json) {
        this.basePath = basePath;
        this.open = Set.of(basePath + "/health", basePath + "/health/liveness", basePath + "/health/readiness",
                basePath + "/info", basePath + "/prometheus");
        this.tokens = tokens;
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<String> operator = tokens.nameOf(request.getHeader("Authorization"));
        if (operator.isPresent()) {
            chain.doFilter(new Authenticated(request, operator.get()), response);
            return;
        }
        // The path as Spring MVC resolves it: decoded, ";…" parameters removed.
        String path = PATHS.getPathWithinApplication(request);
        if (open.contains(path)) {
            chain.doFilter(request, response);
            return;
        }
        response.setHeader("WWW-Authenticate", "Bearer");
        response.setHeader("Cache-Control", "no-store");
        ApiError.write(response, json, HttpStatus.UNAUTHORIZED, "unauthorized", basePath
                + "/health, /health/liveness, /health/readiness, /info and /prometheus are open; the rest of the "
                + "actuator and health details need the header Authorization: Bearer <BRIDGE_OPS_TOKEN>");
    }

    /** A request made with an ops token, as the actuator's security context sees it. */
    private static final class Authenticated extends HttpServletRequestWrapper {
        private final Principal operator;

        Authenticated(HttpServletRequest request, String name) {
            super(request);
            this.operator = () -> name;
        }

        @Override
        public Principal getUserPrincipal() {
            return operator;
        }

        @Override
        public boolean isUserInRole(String role) {
            return false;
        }
    }
}
