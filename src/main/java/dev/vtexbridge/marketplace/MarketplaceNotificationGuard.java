package dev.vtexbridge.marketplace;

import java.io.IOException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.vtexbridge.connections.Connection;
import dev.vtexbridge.connections.Connections;
import dev.vtexbridge.seller.VtexErrors;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Checks every call under {@code /marketplace/} before its body is read: the path must be
 * {@code /marketplace/<id>/api/notification} of an enabled marketplace-role connection (else 404), and the call must
 * carry that connection's {@code endpoint.token}, as query parameter {@code token} (VTEX's catalog broadcaster sends no
 * headers of ours, so the token is part of the URL registered as {@code searchURIEndpoint}) or as header
 * {@value #TOKEN_HEADER} (else 401). Then the body's type (415 unless JSON or none given). The body's size is held to
 * {@code bridge.http.max-body-bytes} by the {@code RequestBodyLimiter} that runs next.
 */
class MarketplaceNotificationGuard extends OncePerRequestFilter {

    static final String BASE = "/marketplace/";
    static final String TOKEN_HEADER = "X-Bridge-Token";
    static final String TOKEN_PARAMETER = "token";
    private static final Logger log = LoggerFactory.getLogger(MarketplaceNotificationGuard.class);
    private static final Pattern PATH = Pattern.compile("^/marketplace/([^/]+)/api/notification/?$");

    private final Connections connections;
    private final VtexErrors errors;

    MarketplaceNotificationGuard(Connections connections, VtexErrors errors) {
        this.connections = connections;
        this.errors = errors;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String uri = request.getRequestURI();
        String context = request.getContextPath() == null ? "" : request.getContextPath();
        Matcher path = PATH.matcher(uri.startsWith(context) ? uri.substring(context.length()) : uri);
        Optional<Connection> connection = path.matches()
                ? connections.find(path.group(1)).filter(Connection::servesMarketplaceEndpoints) : Optional.empty();
        if (connection.isEmpty()) {
            response.setHeader("Connection", "close");
            errors.write(response, 404, "NOT_FOUND", "No marketplace connection serves this path "
                    + "(POST /marketplace/<id>/api/notification of an enabled marketplace-role connection)");
            return;
        }
        if (!connection.get().endpoint().matchesToken(presentedToken(request))) {
            log.info("Rejected {} {}: missing or wrong token for connection {}", request.getMethod(), uri,
                    connection.get().id());
            response.setHeader("Connection", "close");
            errors.write(response, 401, "UNAUTHORIZED", "Missing or invalid token (?token= or header " + TOKEN_HEADER + ")");
            return;
        }
        String contentType = request.getContentType();
        if (contentType != null && !contentType.toLowerCase(Locale.ROOT).contains("json")) {
            response.setHeader("Connection", "close");
            errors.write(response, 415, "UNSUPPORTED_MEDIA_TYPE",
                    "Content-Type " + contentType + " is not supported: send application/json");
            return;
        }
        chain.doFilter(request, response);
    }

    /** The token in the header, else the query's {@code token} (read from the raw query: the body is not parsed). */
    private static String presentedToken(HttpServletRequest request) {
        String header = request.getHeader(TOKEN_HEADER);
        if (header != null) {
            return header.trim();
        }
        String query = request.getQueryString();
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            if (TOKEN_PARAMETER.equals(name)) {
                return equals < 0 ? "" : java.net.URLDecoder.decode(pair.substring(equals + 1),
                        java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}
