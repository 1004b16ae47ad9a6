package dev.vtexbridge.seller;

import java.io.IOException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.vtexbridge.connections.Connection;
import dev.vtexbridge.connections.Connections;
import dev.vtexbridge.connections.EndpointCredentials;
import dev.vtexbridge.vtex.VtexErrorException;
import dev.vtexbridge.vtex.VtexErrors;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Checks every call to the seller endpoints before its body is read. The path names the connection
 * ({@code /seller/pvt/…} is {@code default}, {@code /seller/<id>/pvt/…} is {@code <id>}, see {@link SellerPaths}); an
 * unknown or disabled connection, or any other path under the base path, is answered 404. Then that connection's
 * credentials ({@code X-VTEX-API-AppKey}/{@code X-VTEX-API-AppToken}, or {@code Authorization: VTEX key="…" token="…"}):
 * another connection's are refused 401. Then the body's type (415 unless JSON: a form body would otherwise be parsed as
 * form fields before any route sees it). The body's size is held to {@code bridge.seller.max-body-bytes} by the
 * {@code RequestBodyLimiter} that runs next.
 *
 * <p>The call goes on as a {@link ConnectionRequest}: at the path the one set of seller routes serves
 * ({@code /seller/pvt/…}), carrying the connection in header {@value Connection#HTTP_HEADER}. Puts
 * {@code x-vtex-operation-id} in the logging context of the call.
 */
public class SellerRequestGuard extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(SellerRequestGuard.class);
    private static final Pattern VTEX_AUTHORIZATION =
            Pattern.compile("(?i)^\\s*VTEX\\s+key\\s*=\\s*\"([^\"]*)\"\\s*,?\\s*token\\s*=\\s*\"([^\"]*)\"\\s*$");
    static final String OPERATION_ID = "vtexOperationId";

    private final Connections connections;
    private final SellerPaths paths;
    private final VtexErrors errors;

    public SellerRequestGuard(Connections connections, String basePath, VtexErrors errors) {
        this.connections = connections;
        this.paths = new SellerPaths(basePath);
        this.errors = errors;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String operationId = request.getHeader("x-vtex-operation-id");
        if (operationId != null) {
            MDC.put(OPERATION_ID, operationId);
        }
        try {
            Optional<SellerPaths.Target> target = paths.resolve(pathWithinContext(request));
            Optional<Connection> connection = target.flatMap(t -> connections.find(t.connectionId()))
                    .filter(Connection::servesSellerEndpoints);
            if (connection.isEmpty()) {
                log.info("Rejected {} {} (operation {}): no seller connection serves this path",
                        request.getMethod(), request.getRequestURI(), operationId);
                errors.write(response, new VtexErrorException(404, "NOT_FOUND", "No seller endpoint at this path"));
                return;
            }
            if (!authenticated(request, connection.get().endpoint())) {
                log.info("Rejected {} {} (operation {}): missing or wrong credentials for connection {}",
                        request.getMethod(), request.getRequestURI(), operationId, connection.get().id());
                errors.write(response, new VtexErrorException(401, "UNAUTHORIZED",
                        "Missing or invalid X-VTEX-API-AppKey/X-VTEX-API-AppToken"));
                return;
            }
            String contentType = request.getContentType();
            if (contentType != null && !contentType.toLowerCase(Locale.ROOT).contains("json")) {
                errors.write(response, new VtexErrorException(415, "UNSUPPORTED_MEDIA_TYPE",
                        "Content-Type " + contentType + " is not supported: send application/json"));
                return;
            }
            log.debug("{} {} (operation {}, connection {})", request.getMethod(), request.getRequestURI(), operationId,
                    connection.get().id());
            chain.doFilter(new ConnectionRequest(request, target.get()), response);
        } finally {
            MDC.remove(OPERATION_ID);
        }
    }

    private static String pathWithinContext(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String context = request.getContextPath() == null ? "" : request.getContextPath();
        return uri.startsWith(context) ? uri.substring(context.length()) : uri;
    }

    private static boolean authenticated(HttpServletRequest request, EndpointCredentials credentials) {
        String key = request.getHeader("X-VTEX-API-AppKey");
        String token = request.getHeader("X-VTEX-API-AppToken");
        if (key == null && token == null) {
            String authorization = request.getHeader("Authorization");
            Matcher vtex = authorization == null ? null : VTEX_AUTHORIZATION.matcher(authorization);
            if (vtex != null && vtex.matches()) {
                key = vtex.group(1);
                token = vtex.group(2);
            }
        }
        return credentials.matches(key, token);
    }
}
