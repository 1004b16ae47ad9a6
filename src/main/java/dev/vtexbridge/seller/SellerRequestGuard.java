package dev.vtexbridge.seller;

import java.io.IOException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Checks every call to the seller's {@code /pvt/} endpoints before its body is read: the marketplace's credentials
 * ({@code X-VTEX-API-AppKey}/{@code X-VTEX-API-AppToken}, or {@code Authorization: VTEX key="…" token="…"}), then
 * the body's type (415 unless JSON: a form body would otherwise be parsed as form fields before any route sees it).
 * The body's size is held to {@code bridge.seller.max-body-bytes} by the {@code RequestBodyLimiter} that runs next.
 * Puts {@code x-vtex-operation-id} in the logging context of the call.
 */
public class SellerRequestGuard extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(SellerRequestGuard.class);
    private static final Pattern VTEX_AUTHORIZATION =
            Pattern.compile("(?i)^\\s*VTEX\\s+key\\s*=\\s*\"([^\"]*)\"\\s*,?\\s*token\\s*=\\s*\"([^\"]*)\"\\s*$");
    static final String OPERATION_ID = "vtexOperationId";

    private final SellerCredentials credentials;
    private final VtexErrors errors;

    public SellerRequestGuard(SellerCredentials credentials, VtexErrors errors) {
        this.credentials = credentials;
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
            if (!authenticated(request)) {
                log.info("Rejected {} {} (operation {}): missing or wrong credentials",
                        request.getMethod(), request.getRequestURI(), operationId);
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
            log.debug("{} {} (operation {})", request.getMethod(), request.getRequestURI(), operationId);
            chain.doFilter(request, response);
        } finally {
            MDC.remove(OPERATION_ID);
        }
    }

    private boolean authenticated(HttpServletRequest request) {
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
