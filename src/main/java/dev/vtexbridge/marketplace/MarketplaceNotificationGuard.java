package dev.vtexbridge.marketplace;

import java.io.IOException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.vtexbridge.connections.Connection;
import dev.vtexbridge.connections.Connections;
import dev.vtexbridge.vtex.VtexErrors;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Checks every call under {@code /marketplace/} before its body is read: the path must be
 * {@code /marketplace/<id>/api/notification}, {@code /marketplace/<id>/orders} or {@code /marketplace/<id>/mse/<token>/…}
 * of an enabled marketplace-role connection (else 404), and the call must carry that connection's
 * {@code endpoint.token} (else 401): on notifications as query parameter {@code token} (VTEX's catalog broadcaster
 * sends no headers of ours, so the token is part of the URL registered as {@code searchURIEndpoint}) or header
 * {@value #TOKEN_HEADER}; on orders as {@code Authorization: Bearer}; on the services endpoint as the path segment
 * after {@code mse} (it is part of the {@code marketplaceServicesEndpoint} the store was given). Then the body's type (415 unless JSON or none given). The body's size is held to
 * {@code bridge.http.max-body-bytes} by the {@code RequestBodyLimiter} that runs next.
 */
class MarketplaceNotificationGuard extends OncePerRequestFilter {

    static final String BASE = "/marketplace/";
    static final String TOKEN_HEADER = "X-Bridge-Token";
    static final String TOKEN_PARAMETER = "token";
    private static final Logger log = LoggerFactory.getLogger(MarketplaceNotificationGuard.class);
    private static final Pattern PATH = Pattern.compile("^/marketplace/([^/]+)/api/notification/?$");
    /** The external marketplace's orders: {@code Authorization: Bearer <endpoint.token>}. */
    private static final Pattern ORDERS = Pattern.compile("^/marketplace/([^/]+)/orders/?$");
    /** The services endpoint the VTEX store calls back: the token is the path segment after {@code mse}. */
    private static final Pattern SERVICES = Pattern.compile("^/marketplace/([^/]+)/mse/([^/]+)(/.*)?$");

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
        String local = uri.startsWith(context) ? uri.substring(context.length()) : uri;
        Matcher path = PATH.matcher(local);
        Matcher orders = ORDERS.matcher(local);
        Matcher services = SERVICES.matcher(local);
        String id = path.matches() ? path.group(1) : orders.matches() ? orders.group(1) : services.matches()
                ? services.group(1) : null;
        Optional<Connection> connection = id == null ? Optional.empty()
                : connections.find(id).filter(Connection::servesMarketplaceEndpoints);
        if (connection.isEmpty()) {
            response.setHeader("Connection", "close");
            errors.write(response, 404, "NOT_FOUND", "No marketplace connection serves this path "
                    + "(/marketplace/<id>/api/notification, /marketplace/<id>/orders or /marketplace/<id>/mse/<token>/… "
                    + "of an enabled marketplace-role connection)");
            return;
        }
        String presented = orders.matches() ? bearer(request) : services.matches()
                ? java.net.URLDecoder.decode(services.group(2), java.nio.charset.StandardCharsets.UTF_8) : presentedToken(request);
        if (!connection.get().endpoint().matchesToken(presented)) {
            // the services endpoint's path carries the presented token: never log it
            String shown = services.matches() ? "/marketplace/" + id + "/mse/[token]" + Objects.toString(services.group(3), "") : uri;
            log.info("Rejected {} {}: missing or wrong token for connection {}", request.getMethod(), shown,
                    connection.get().id());
            response.setHeader("Connection", "close");
            errors.write(response, 401, "UNAUTHORIZED", orders.matches() ? "Missing or invalid token (Authorization: Bearer)"
                    : services.matches() ? "Invalid token in the services endpoint path"
                    : "Missing or invalid token (?token= or header " + TOKEN_HEADER + ")");
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

    /** The token of {@code Authorization: Bearer <token>}, or null. */
    private static String bearer(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
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
