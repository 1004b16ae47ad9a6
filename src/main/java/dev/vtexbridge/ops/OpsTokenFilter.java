package dev.vtexbridge.ops;

import java.io.IOException;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vtexbridge.web.ApiError;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Guards the ops API with {@code Authorization: Bearer <token>} ({@link OpsTokens}). The name of the token a request
 * presented is its actor in the audit trail (request attribute {@link #ACTOR}). Every answer, refusals included, is
 * marked not to be cached or sniffed: it carries failed messages, orders and customer data.
 */
public class OpsTokenFilter extends OncePerRequestFilter {

    /** Request attribute holding the name of the token the request presented. */
    public static final String ACTOR = OpsTokenFilter.class.getName() + ".actor";

    private final OpsTokens tokens;
    private final ObjectMapper json;

    public OpsTokenFilter(OpsTokens tokens, ObjectMapper json) {
        this.tokens = tokens;
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        Optional<String> actor = tokens.nameOf(request.getHeader("Authorization"));
        if (actor.isEmpty()) {
            response.setHeader("WWW-Authenticate", "Bearer");
            response.setHeader("Connection", "close");
            ApiError.write(response, json, HttpStatus.UNAUTHORIZED, "unauthorized",
                    "the ops API needs the header Authorization: Bearer <BRIDGE_OPS_TOKEN>");
            return;
        }
        request.setAttribute(ACTOR, actor.get());
        chain.doFilter(request, response);
    }

    /** The actor of a request that passed the filter. */
    public static String actorOf(HttpServletRequest request) {
        Object actor = request.getAttribute(ACTOR);
        return actor == null ? "unknown" : actor.toString();
    }
}
