package dev.vtexbridge.erp;

import java.io.IOException;

import dev.vtexbridge.vtex.VtexErrors;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a call to the ERP webhook on its headers, before a byte of its body is read: 401 without the bearer token,
 * 404 for a path that names no event kind. An unauthenticated sender can then neither fill the heap nor hold a
 * thread with a body it never finishes.
 */
class ErpWebhookGuard extends OncePerRequestFilter {

    static final String BASE = "/erp/events/";

    private final ErpWebhook webhook;
    private final VtexErrors errors;

    ErpWebhookGuard(ErpWebhook webhook, VtexErrors errors) {
        this.webhook = webhook;
        this.errors = errors;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!webhook.authorizes(request.getHeader("Authorization"))) {
            response.setHeader("WWW-Authenticate", "Bearer");
            response.setHeader("Connection", "close");
            errors.write(response, 401, "UNAUTHORIZED", "a valid Bearer token is required");
            return;
        }
        String kind = request.getRequestURI().substring(request.getRequestURI().indexOf(BASE) + BASE.length());
        if (!ErpWebhook.KINDS.contains(kind)) {
            response.setHeader("Connection", "close");
            errors.write(response, 404, "NOT_FOUND", "no such event kind: " + kind + " (catalog, price or stock)");
            return;
        }
        chain.doFilter(request, response);
    }
}
